/** A thin client of the emulator's control API, for the trigger CLI. */
export class ControlApiError extends Error {
  readonly code = "LF_TRIGGER_CONTROL_API";
  readonly status: number;

  constructor(status: number, message: string) {
    super(message);
    this.name = "ControlApiError";
    this.status = status;
  }
}

export function createControlClient(baseUrl: string) {
  async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
    let response: Response;
    try {
      response = await fetch(new URL(path, baseUrl), {
        method,
        ...(body === undefined
          ? {}
          : { headers: { "content-type": "application/json" }, body: JSON.stringify(body) }),
      });
    } catch (error) {
      throw new ControlApiError(
        0,
        `cannot reach the emulator at ${baseUrl}: ${(error as Error).message}`,
      );
    }
    const text = await response.text();
    const json = text ? JSON.parse(text) : {};
    if (!response.ok) throw new ControlApiError(response.status, json.message ?? text);
    return json as T;
  }
  return {
    get: <T>(path: string) => call<T>("GET", path),
    post: <T>(path: string, body?: unknown) => call<T>("POST", path, body ?? {}),
  };
}

export type ControlClient = ReturnType<typeof createControlClient>;
