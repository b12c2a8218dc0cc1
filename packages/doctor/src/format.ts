import type { CheckResult } from "./check.ts";

const label = { ok: "ok  ", warn: "warn", fail: "FAIL" } as const;

/** One line per check, `status  name: detail`, with the fix after an arrow when there is one. */
export function formatResults(results: readonly CheckResult[]): string {
  const lines = results.map((result) => {
    const hint = result.hint && result.status !== "ok" ? ` → ${result.hint}` : "";
    return `${label[result.status]}  ${result.name}: ${result.detail}${hint}`;
  });
  const count = (status: CheckResult["status"]) =>
    results.filter((r) => r.status === status).length;
  lines.push(`${count("ok")} ok, ${count("warn")} warn, ${count("fail")} fail`);
  return lines.join("\n");
}

export const hasFailure = (results: readonly CheckResult[]) =>
  results.some((result) => result.status === "fail");
