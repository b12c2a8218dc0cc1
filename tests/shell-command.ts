import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { waitFor } from "@linefleet/test-support";

/** A command line running in bash, in a process group of its own, its output read by lines. */
export interface ShellCommand {
  readonly commandLine: string;
  /** stdout and stderr, line by line, in the order they arrived. */
  readonly lines: string[];
  output(): string;
  /** Resolves with the first line matching `pattern`; fails if the command exits first. */
  waitForLine(pattern: RegExp, timeoutMs: number): Promise<string>;
  /** Resolves with the exit code once the command is done; fails (with its output) after `timeoutMs`. */
  exit(timeoutMs: number): Promise<number | null>;
  /** Ctrl-C to the whole process group, then SIGKILL to it after `graceMs`; resolves once it exited. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Runs `commandLine` as a user types it in a terminal (`bash -c`). Its own process group lets
 * `stop()` reach everything it started (npm, then linefleet, then its processes).
 */
export function runShell(
  commandLine: string,
  options: { cwd: string; env: NodeJS.ProcessEnv },
): ShellCommand {
  const child = spawn("bash", ["-c", commandLine], {
    cwd: options.cwd,
    env: options.env,
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  const lines: string[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY }).on("line", (line) =>
      lines.push(line),
    );
  }
  let code: number | null | undefined;
  const exited = new Promise<number | null>((resolve) =>
    child.once("close", (exitCode) => {
      code = exitCode;
      resolve(exitCode);
    }),
  );
  const output = () => lines.join("\n");
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, signal);
    } catch {
      // The group is gone already.
    }
  };

  return {
    commandLine,
    lines,
    output,
    async waitForLine(pattern, timeoutMs) {
      const found = await waitFor(
        () => lines.find((line) => pattern.test(line)) ?? (code !== undefined && { exited: code }),
        { timeoutMs, intervalMs: 100, what: `${pattern} from ${commandLine}` },
      ).catch((error: Error) => {
        throw new Error(`${error.message}; its output:\n${output()}`);
      });
      if (typeof found === "string") return found;
      throw new Error(
        `${commandLine} exited (${found.exited}) before printing ${pattern}:\n${output()}`,
      );
    },
    async exit(timeoutMs) {
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () =>
            reject(new Error(`${commandLine} still running after ${timeoutMs} ms:\n${output()}`)),
          timeoutMs,
        );
      });
      try {
        return await Promise.race([exited, timedOut]);
      } finally {
        clearTimeout(timer);
      }
    },
    async stop(graceMs = 15_000) {
      if (code !== undefined) return;
      signalGroup("SIGINT");
      const timer = setTimeout(() => signalGroup("SIGKILL"), graceMs);
      await exited;
      clearTimeout(timer);
      // Whatever of the group outlived its leader.
      signalGroup("SIGKILL");
    },
  };
}
