import { readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";

/**
 * Where a running `pnpm dev` has its services, so the commands run beside it (`pnpm dead-letters`,
 * `pnpm trigger`) reach the same Redis and emulator without the user typing a URL.
 */
export interface DevStack {
  /** The `pnpm dev` process; a file left by one that is gone is ignored. */
  pid: number;
  redisUrl: string;
  queuePrefix: string;
  ingressUrl: string;
  /** Absent when `pnpm dev` talks to real LINE. */
  emulatorUrl?: string;
}

/**
 * `.linefleet-dev.json` in the working directory (the project's root, where `linefleet dev` and
 * the commands beside it are run), or DEV_STATE_FILE.
 */
export function devStackFile(source: NodeJS.ProcessEnv = process.env): string {
  return source.DEV_STATE_FILE || resolve(".linefleet-dev.json");
}

export function writeDevStack(file: string, stack: DevStack): void {
  // Write, then rename: a command reading at the same moment never sees half a file.
  writeFileSync(`${file}.tmp`, `${JSON.stringify(stack, null, 2)}\n`);
  renameSync(`${file}.tmp`, file);
}

/** Removes the file if it is `pid`'s: a second `pnpm dev` that fails to start leaves the first's. */
export function removeDevStack(file: string, pid: number): void {
  try {
    const stack = JSON.parse(readFileSync(file, "utf8")) as Partial<DevStack>;
    if (stack.pid === pid) rmSync(file, { force: true });
  } catch {
    // No file, or not ours to judge: leave it; readers ignore a stale one.
  }
}

/** The running `pnpm dev`'s services; undefined without one (no file, unreadable, or stale). */
export function readDevStack(file: string): DevStack | undefined {
  let stack: Partial<DevStack>;
  try {
    stack = JSON.parse(readFileSync(file, "utf8")) as Partial<DevStack>;
  } catch {
    return undefined;
  }
  if (typeof stack.pid !== "number" || typeof stack.redisUrl !== "string") return undefined;
  return isRunning(stack.pid) ? (stack as DevStack) : undefined;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists, under another user.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

export interface ServiceLocation {
  url: string;
  /** Where the URL came from, for the line a command prints about it. */
  source: string;
}

/**
 * The URL a command run beside the dev stack uses for a service: the variable when set, else the
 * running `pnpm dev`'s, else the default.
 */
export function locateService(
  variable: "REDIS_URL" | "EMULATOR_URL",
  fallback: string,
  source: NodeJS.ProcessEnv = process.env,
): ServiceLocation & { stack?: DevStack } {
  const set = source[variable];
  if (set) return { url: set, source: variable };
  const file = devStackFile(source);
  const stack = readDevStack(file);
  const fromStack = variable === "REDIS_URL" ? stack?.redisUrl : stack?.emulatorUrl;
  if (stack && fromStack) return { url: fromStack, source: `pnpm dev, ${file}`, stack };
  return { url: fallback, source: `default; ${variable} unset and no pnpm dev running` };
}

/** A URL fit to print: any password replaced. */
export function printableUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString().replace(/\/$/, "");
  } catch {
    return url;
  }
}
