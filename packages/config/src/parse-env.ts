import type { z } from "zod";

/** Thrown when the environment does not describe a runnable process; names every bad variable. */
export class ConfigError extends Error {
  readonly code = "LF_CONFIG_INVALID";
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
 * else is rethrown.
 */
export function exitOnConfigError(error: unknown): never {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
}

/** `parseEnv` for a process's `main`: exits 1 with the message on a bad environment. */
export function parseEnvOrExit<S extends z.ZodObject>(
  schema: S,
  source: NodeJS.ProcessEnv = process.env,
): z.infer<S> {
  try {
    return parseEnv(schema, source);
  } catch (error) {
    return exitOnConfigError(error);
  }
}
