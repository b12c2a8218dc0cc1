import { Cluster } from "ioredis";
import type { RedisConnection } from "./connection.ts";

/** An ioredis script as `defineCommand` keeps it on a connection (`scriptsSet`, by name). */
interface DefinedScript {
  lua: string;
  numberOfKeys: number | null;
}

/**
 * A connection of its own for a writer's script calls, carrying only the scripts they run.
 *
 * ioredis's `Pipeline` constructor (which `multi()` and `pipeline()` call) copies every script
 * defined on its connection onto itself. The producer connection carries BullMQ's whole script
 * table (about 60, defined when a Queue first uses it), so each MULTI made from it paid for a copy
 * of all of them: 5.6–7.5% of the ingress's CPU and about 24 KB of garbage per MULTI, profiled. A
 * pipeline made from this connection (the enqueue's, with WAIT) copies the one script its writer
 * defined. Same target, same options (a
 * producer's stay a producer's: no offline queue, fail fast), one more socket per Redis node.
 */
export function openTransactionConnection(connection: RedisConnection): RedisConnection {
  // Connected now even when the original waits for its first command (lazyConnect): the enqueuer
  // waits for this one to be ready before its first write.
  //
  // And a write in flight when its node goes away is never sent again later: ioredis would resend
  // it after a reconnect (one Redis), or after a delay once the cluster's slots moved to the
  // promoted replica (a Cluster), where a chat's newer events, written meanwhile, would already be
  // ahead of it in the chat's lane. It fails instead (see failOnClose), the request is answered 503
  // or spooled, and while the spool holds anything the newer requests go to it too, in order.
  const own: RedisConnection =
    connection instanceof Cluster
      ? connection.duplicate([], {
          lazyConnect: false,
          retryDelayOnFailover: 0,
          retryDelayOnClusterDown: 0,
        })
      : connection.duplicate({ lazyConnect: false, autoResendUnfulfilledCommands: false });
  // Its failures surface through the writes that fail, and the connection it copies, to the same
  // Redis, reports the same errors already: this only keeps them from being unhandled.
  own.on("error", () => {});
  return own;
}

/**
 * The text of a script BullMQ defined on `connection` (as it does when a Queue first uses it),
 * under the name it runs it by (`<script>:<BullMQ's version>`). Throws, naming the script, when
 * that BullMQ has none by that name: another BullMQ, whose scripts linefleet was not made for.
 */
export function definedScript(connection: RedisConnection, name: string): DefinedScript {
  const scripts = connection.scriptsSet as Record<string, DefinedScript | undefined>;
  const script = scripts[name];
  if (!script) {
    const names = Object.keys(scripts).filter((defined) =>
      defined.startsWith(name.split(":")[0] ?? name),
    );
    throw new Error(
      `BullMQ's script ${name} is not defined on the connection (found: ${names.join(", ") || "none"}); this BullMQ is not the one linefleet was built for`,
    );
  }
  return script;
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
 * first command, but a pipeline written to a node not yet connected fails and is retried
 * only after `retryDelayOnFailover` (500 ms): the first requests of each shard would wait that long.
 */
export async function connectEveryMaster(connection: RedisConnection): Promise<void> {
  if (!(connection instanceof Cluster)) return;
  await Promise.all(connection.nodes("master").map((node) => node.ping()));
}

/**
 * Makes a command sent on `connection` (one Redis, opened by openTransactionConnection) reject
 * when the connection closes before its reply. With `autoResendUnfulfilledCommands` off, ioredis
 * drops such a command on reconnecting without settling its promise (it does reject the commands
 * of a pipeline, which is why a MULTI used to fail at once). On a Cluster, the node's connection
 * rejects them itself, and the cluster passes that on without retrying (see above).
 */
export function failOnClose(connection: RedisConnection) {
  const pending = new Set<(error: Error) => void>();
  connection.on("close", () => {
    const error = new Error("Connection is closed.");
    for (const reject of pending) reject(error);
    pending.clear();
  });
  return <T>(command: Promise<T>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      pending.add(reject);
      command.then(
        (value) => {
          pending.delete(reject);
          resolve(value);
        },
        (error: unknown) => {
          pending.delete(reject);
          reject(error);
        },
      );
    });
}
