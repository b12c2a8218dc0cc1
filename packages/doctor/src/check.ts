export type CheckStatus = "ok" | "warn" | "fail";

/** What a check found, before it gets its name. */
export interface Finding {
  status: CheckStatus;
  detail: string;
  /** How to fix it; absent when there is nothing to do. */
  hint?: string;
}

/** One line of the doctor's report. */
export interface CheckResult extends Finding {
  name: string;
}

/**
 * Runs one check within `timeoutMs`: a check that throws or hangs becomes a `fail` naming the
 * cause, so one broken dependency never stops the others from being reported.
 */
export async function bounded(
  name: string,
  timeoutMs: number,
  run: () => Promise<CheckResult[]>,
  hint?: string,
): Promise<CheckResult[]> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([run(), timeout]);
  } catch (error) {
    return [
      {
        name,
        status: "fail",
        detail: describe(error),
        ...(hint ? { hint } : {}),
      },
    ];
  } finally {
    clearTimeout(timer);
  }
}

/** An error's message, with the cause fetch hides behind "fetch failed". */
export function describe(error: unknown): string {
  const { message, cause } = error as Error & { cause?: Error };
  return cause?.message ? `${message}: ${cause.message}` : message;
}
