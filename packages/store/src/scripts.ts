import type { ChainableCommander } from "ioredis";
import type { RedisConnection } from "./connection.ts";
import type { ScriptSpec } from "./redis-model/keys.ts";

export type ScriptArg = string | number;

/** A Lua script registered on a connection: sent by SHA (EVALSHA), its text only when Redis lacks it. */
export interface RedisScript {
  readonly name: string;
  /** Runs the script on the connection it was defined on: `keys` then `args`. */
  run(...keysAndArgs: ScriptArg[]): Promise<unknown>;
  /** Queues the script into a MULTI or pipeline created from that connection. */
  queue(commands: ChainableCommander, ...keysAndArgs: ScriptArg[]): void;
}

type ScriptFunction = (...keysAndArgs: ScriptArg[]) => Promise<unknown>;

/**
 * Registers a script of the data model on `redis` with ioredis `defineCommand`: each socket gets
 * the text once (EVAL, which loads it), then only its SHA (EVALSHA); a NOSCRIPT answer (Redis
 * restarted or flushed its scripts) falls back to EVAL. Pipelines and MULTIs created from `redis`
 * afterwards carry it too.
 */
export function defineScript(redis: RedisConnection, { name, lua, keys }: ScriptSpec): RedisScript {
  const commands = redis as unknown as Record<string, ScriptFunction | undefined>;
  if (typeof commands[name] !== "function") redis.defineCommand(name, { lua, numberOfKeys: keys });
  const run = commands[name]?.bind(redis);
  if (!run) throw new Error(`Redis script ${name} could not be defined`);
  return {
    name,
    run,
    queue(transaction, ...keysAndArgs) {
      const queued = (transaction as unknown as Record<string, ScriptFunction | undefined>)[name];
      if (typeof queued !== "function") {
        throw new Error(`Redis script ${name} is missing on this transaction`);
      }
      void queued.apply(transaction, keysAndArgs);
    },
  };
}
