import { Cluster } from "ioredis";
import type { RedisConnection } from "./connection.ts";

/** An ioredis script as `defineCommand` keeps it on a connection (`scriptsSet`, by name). */
interface DefinedScript {
  lua: string;
  numberOfKeys: number | null;
}

/**
 * A connection of its own for a writer's MULTIs, carrying only the scripts they run.
 *
 * ioredis's `Pipeline` constructor (which `multi()` calls) copies every script defined on its
 * connection onto itself. The producer connection carries BullMQ's whole script table (about 60,
 * defined when a Queue first uses it), so each MULTI made from it paid for a copy of all of them:
 * 5.6–7.5% of the ingress's CPU and about 24 KB of garbage per MULTI, profiled. A MULTI made from
 * this connection copies the few scripts its writer defined. Same target, same options (a
 * producer's stay a producer's: no offline queue, fail fast), one more socket per Redis node.
 */
export function openTransactionConnection(connection: RedisConnection): RedisConnection {
  // Connected now even when the original waits for its first command (lazyConnect): the enqueuer
  // waits for this one to be ready before its first MULTI.
  const own: RedisConnection =
    connection instanceof Cluster
      ? connection.duplicate([], { lazyConnect: false })
      : connection.duplicate({ lazyConnect: false });
  // Its failures surface through the MULTIs that fail, and the connection it copies, to the same
  // Redis, reports the same errors already: this only keeps them from being unhandled.
  own.on("error", () => {});
  return own;
}

/**
 * Defines on `target` the scripts of `source` whose names pass `wanted` (BullMQ's add scripts,
 * which BullMQ defined on the producer connection under its own versioned names), unless already
 * there. BullMQ then queues them on `target`'s MULTIs by the same names: sent by SHA, their text
 * only the first time on each socket, as on `source`.
 */
export function copyScripts(
  source: RedisConnection,
  target: RedisConnection,
  wanted: (name: string) => boolean,
): string[] {
  const scripts = source.scriptsSet as Record<string, DefinedScript>;
  const copied: string[] = [];
  for (const [name, script] of Object.entries(scripts)) {
    if (!wanted(name)) continue;
    if (typeof (target as unknown as Record<string, unknown>)[name] !== "function") {
      target.defineCommand(name, {
        lua: script.lua,
        ...(script.numberOfKeys === null ? {} : { numberOfKeys: script.numberOfKeys }),
      });
    }
    copied.push(name);
  }
  return copied;
}

/**
 * Resolves once `connection` is ready for the first time (rejects if it ends first). Only the
 * first time: afterwards a producer connection must fail fast while Redis is away, so that the
 * ingress answers at once (503, or spool), which it does without waiting here.
 */
export function firstReady(connection: RedisConnection): Promise<void> {
  if (connection.status === "ready") return Promise.resolve();
  return new Promise((resolve, reject) => {
    const ready = () => {
      connection.off("end", ended);
      resolve();
    };
    const ended = () => {
      connection.off("ready", ready);
      reject(new Error("the Redis connection closed before it was ready"));
    };
    connection.once("ready", ready);
    connection.once("end", ended);
  });
}

/**
 * On a Cluster, opens the connection to every master. ioredis opens a node's connection at its
 * first command, but a MULTI (a pipeline) written to a node not yet connected fails and is retried
 * only after `retryDelayOnFailover` (500 ms): the first requests of each shard would wait that long.
 */
export async function connectEveryMaster(connection: RedisConnection): Promise<void> {
  if (!(connection instanceof Cluster)) return;
  await Promise.all(connection.nodes("master").map((node) => node.ping()));
}
