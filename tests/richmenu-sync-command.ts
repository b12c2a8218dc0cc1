import { execFile } from "node:child_process";
import { dirname, join } from "node:path";
import { repoRoot } from "@linefleet/test-support";

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `linefleet richmenu sync <module> [flags]` as a process, against the LINE of `env`, in the
 * module's directory (as a project runs it from its root).
 */
export function richMenuSync(
  modulePath: string,
  env: Record<string, string>,
  ...flags: string[]
): Promise<CommandResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(repoRoot, "packages/linefleet/src/cli.ts"), "richmenu", "sync", modulePath, ...flags],
      // No linefleet dev's state file: the command must use the LINE it is given.
      {
        cwd: dirname(modulePath),
        env: { PATH: process.env.PATH ?? "", DEV_STATE_FILE: "/nonexistent", ...env },
      },
      (error, stdout, stderr) =>
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** The env that points the command at an emulator. */
export const lineAt = (url: string, token: string) => ({
  LINE_CHANNEL_ACCESS_TOKEN: token,
  LINE_API_BASE_URL: url,
  LINE_DATA_API_BASE_URL: url,
});
