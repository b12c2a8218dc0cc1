import { repoRoot } from "@linefleet/test-support";
import { runShell } from "./shell-command.ts";

let packed: Promise<void> | undefined;

/** `pnpm release:pack`, once for the test file however many tests need the tarballs. */
export function packRelease(): Promise<void> {
  packed ??= (async () => {
    const pack = runShell("pnpm release:pack", { cwd: repoRoot, env: process.env });
    const code = await pack.exit(180_000);
    if (code !== 0) throw new Error(`pnpm release:pack failed (${code}):\n${pack.output()}`);
  })();
  return packed;
}
