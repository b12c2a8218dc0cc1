import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import type { Readable } from "node:stream";
import { waitFor } from "./wait-for.ts";

export interface AppProcess {
  readonly name: string;
  readonly child: ChildProcess;
  /** Everything the process wrote, stdout and stderr, as parsed JSON lines (or raw strings). */
  readonly lines: Array<Record<string, unknown> | string>;
  output(): string;
  waitForLine(
    match: (line: Record<string, unknown>) => boolean,
    timeoutMs?: number,
  ): Promise<Record<string, unknown>>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves with the exit code. */
  stop(graceMs?: number): Promise<number | null>;
  kill(): Promise<void>;
}

/**
 * Runs a script (one of linefleet's commands, say) as a real process in the working directory,
 * with Node's built-in TypeScript support; `nodeFlags` go before the script (e.g. the ingress's GC
 * settings), `args` after it.
 */
export function startApp(
  name: string,
  script: string,
  env: Record<string, string>,
  nodeFlags: readonly string[] = [],
  args: readonly string[] = [],
): AppProcess {
  const child = spawn(process.execPath, [...nodeFlags, script, ...args], {
    env: { PATH: process.env.PATH ?? "", LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines: AppProcess["lines"] = [];
  let raw = "";
  // By lines, not by chunks: a line the pipe delivers in two chunks must still be one line.
  const collect = (stream: Readable | null) => {
    if (!stream) return;
    createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY }).on("line", (line) => {
      raw += `${line}\n`;
      if (!line.trim()) return;
      try {
        lines.push(JSON.parse(line));
      } catch {
        lines.push(line);
      }
    });
  };
  collect(child.stdout);
  collect(child.stderr);
  const exited = new Promise<number | null>((resolve) =>
    child.once("exit", (code) => resolve(code)),
  );

  return {
    name,
    child,
    lines,
    output: () => raw,
    waitForLine: (match, timeoutMs = 15_000) =>
      waitFor(
        () => {
          if (child.exitCode !== null)
            throw new Error(`${name} exited (${child.exitCode}):\n${raw}`);
          return lines.find(
            (line): line is Record<string, unknown> => typeof line === "object" && match(line),
          );
        },
        { timeoutMs, what: `a log line from ${name}` },
      ),
    async stop(graceMs = 10_000) {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGKILL");
      await exited;
    },
  };
}

/** Resolves once `url` answers 2xx; fails as soon as `server` (the process serving it) exits. */
export async function waitForHttp(
  url: string,
  timeoutMs = 15_000,
  server?: AppProcess,
): Promise<void> {
  const outcome = await waitFor(
    async () => {
      const up = await fetch(url).then(
        (response) => response.ok,
        () => false,
      );
      if (up) return "up";
      return server && server.child.exitCode !== null ? "exited" : false;
    },
    { timeoutMs, what: url },
  );
  if (outcome === "exited" && server) {
    throw new Error(`${server.name} exited (${server.child.exitCode}):\n${server.output()}`);
  }
}
