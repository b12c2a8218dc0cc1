import type { ErrorCode } from "@linefleet/errors";

/** A thin client of the emulator's control API, for the trigger CLI. */
export class ControlApiError extends Error {
  readonly code = "LF_TRIGGER_CONTROL_API" satisfies ErrorCode;
  readonly status: number;

  constructor(status: number, message: string) {
    super(message);
    this.name = "ControlApiError";
    this.status = status;
  }
}

/** Longest wait for one control API call: a stopped or unreachable emulator fails, never hangs. */
const callTimeoutMs = 5_000;

export function createControlClient(baseUrl: string) {
  async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
    let response: Response;
    try {
      response = await fetch(new URL(path, baseUrl), {
        method,
        signal: AbortSignal.timeout(callTimeoutMs),
        ...(body === undefined
          ? {}
          : { headers: { "content-type": "application/json" }, body: JSON.stringify(body) }),
      });
    } catch (error) {
      // fetch says only "fetch failed"; the reason (ECONNREFUSED, …) is its cause.
      const reason =
        ((error as Error).cause as Error | undefined)?.message ?? (error as Error).message;
      throw new ControlApiError(0, `cannot reach the emulator at ${baseUrl}: ${reason}`);
    }
    const text = await response.text();
    let json: { message?: string };
    try {
      json = text ? JSON.parse(text) : {};
    } catch {
      throw new ControlApiError(
        response.status,
        `${baseUrl} answered ${method} ${path} with something other than the emulator's JSON (${response.status})`,
      );
    }
    if (!response.ok) throw new ControlApiError(response.status, json.message ?? text);
    return json as T;
  }
  return {
    get: <T>(path: string) => call<T>("GET", path),
    post: <T>(path: string, body?: unknown) => call<T>("POST", path, body ?? {}),
  };
}

export type ControlClient = ReturnType<typeof createControlClient>;
