import type { ErrorCode } from "@linefleet/errors";
import type { z } from "zod";

/** Thrown when the environment does not describe a runnable process; names every bad variable. */
export class ConfigError extends Error {
  readonly code = "LF_CONFIG_INVALID" satisfies ErrorCode;
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
    this.problems = problems;
  }
}

/**
 * Validates environment variables against a schema of the variables a process reads.
 * Call it once, in a process's `main`, never at import time, so tests can pass their own source.
 */
export function parseEnv<S extends z.ZodObject>(
  schema: S,
  source: NodeJS.ProcessEnv = process.env,
): z.infer<S> {
  // An empty variable means "not set": `FOO= pnpm start` should fall back to the default.
  const present = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== ""));
  const result = schema.safeParse(present);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const name = issue.path.join(".");
    const value = source[name];
    return value === undefined || value === ""
      ? `${name} is required: ${issue.message}`
      : `${name} is invalid: ${issue.message}`;
  });
  throw new ConfigError(problems);
}

/**
 * For a process's `main`: a bad configuration is the operator's to fix, not a bug, so a
 * ConfigError prints the message naming each variable (no stack trace) and exits 1. Anything
 * else is rethrown. Usable as a promise's catch handler.
 */
export function exitWithConfigError(error: unknown): never {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
}

/** Runs a process's configuration step, exiting as `exitWithConfigError` says on a ConfigError. */
export function exitOnConfigError<T>(configure: () => T): T {
  try {
    return configure();
  } catch (error) {
    return exitWithConfigError(error);
  }
}

/**
 * Runs several configuration steps (the environment, a channels file, …) and returns each one's
 * result; every step runs even when an earlier one fails, so one ConfigError names every problem
 * of all of them.
 */
export function configureAll<T extends Record<string, () => unknown>>(
  steps: T,
): { [K in keyof T]: ReturnType<T[K]> } {
  const results: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [name, step] of Object.entries(steps)) {
    try {
      results[name] = step();
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems.push(...error.problems);
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return results as { [K in keyof T]: ReturnType<T[K]> };
}

/** `parseEnv` for a process's `main`: exits 1 with the message on a bad environment. */
export function parseEnvOrExit<S extends z.ZodObject>(
  schema: S,
  source: NodeJS.ProcessEnv = process.env,
): z.infer<S> {
  return exitOnConfigError(() => parseEnv(schema, source));
}
