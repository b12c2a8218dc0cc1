import { ConfigError, parseEnv } from "@linefleet/config";
import type { z } from "zod";
import type { CheckResult } from "../check.ts";

export interface ConfigSchema {
  /** The process the schema belongs to: `ingress`, `worker`. */
  name: string;
  schema: z.ZodObject;
}

/** Each process's environment, validated by the very schema the process parses at start. */
export function checkConfig(
  schemas: readonly ConfigSchema[],
  source: NodeJS.ProcessEnv,
): CheckResult[] {
  return schemas.map(({ name, schema }) => {
    try {
      parseEnv(schema, source);
      return { name: `config (${name})`, status: "ok", detail: "complete and valid" };
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      return {
        name: `config (${name})`,
        status: "fail",
        detail: error.problems.join("; "),
        hint: "set the variables named (README: Configuration) in the environment the doctor runs in",
      };
    }
  });
}
