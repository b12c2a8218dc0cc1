// pnpm dead-letters <list|show|replay|prune> — inspect and recover events that failed for good.
import { parseArgs } from "node:util";
import { locateService, parseEnvOrExit, printableUrl, redisEnv } from "@linefleet/config";
import { createDeadLetters } from "@linefleet/delivery";
import { checkShardCountOrExit, createWorkerConnection, redisKeys } from "@linefleet/store";
import { z } from "zod";
import { reachRedisOrExit } from "./reach-redis.ts";

const usage = `Usage: linefleet dead-letters <command>   (pnpm dead-letters in linefleet's repository)

  list [--limit N] [--json]     dead letters, newest first: events, scheduled work (type
                                scheduled) and recurring jobs' ticks (type recurring)
  show <webhookEventId>         one dead letter: event, errors, what it already sent (a tick:
                                its id, repeat:<job>:<ms>)
  replay <webhookEventId>...    run again, answering by push only; sends already made are skipped
  replay --all                  replay every dead letter
  prune --older-than <hours>    delete dead letters older than that

Reads REDIS_URL, REDIS_CLUSTER_NODES, QUEUE_PREFIX and QUEUE_SHARDS like the worker, and
reads every shard; with REDIS_URL unset, uses the Redis of a
running linefleet dev (else redis://127.0.0.1:6379).`;

/** How long to wait for Redis before saying it is unreachable. */
const connectDeadlineMs = 5_000;

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    limit: { type: "string", default: "50" },
    json: { type: "boolean", default: false },
    all: { type: "boolean", default: false },
    "older-than": { type: "string" },
    help: { type: "boolean", short: "h", default: false },
  },
});
const [command, ...ids] = positionals;
if (values.help || !command) {
  console.log(usage);
  process.exit(command || values.help ? 0 : 2);
}

const redisAt = locateService("REDIS_URL", "redis://127.0.0.1:6379");
const env = parseEnvOrExit(z.object(redisEnv), {
  ...process.env,
  REDIS_URL: redisAt.url,
  QUEUE_PREFIX: process.env.QUEUE_PREFIX || redisAt.stack?.queuePrefix,
});
console.error(`dead-letters: Redis ${printableUrl(env.REDIS_URL)} (${redisAt.source})`);
const redis = createWorkerConnection({ url: env.REDIS_URL, clusterNodes: env.REDIS_CLUSTER_NODES });
const keys = redisKeys(env.QUEUE_PREFIX, {
  shards: env.QUEUE_SHARDS,
  cluster: env.REDIS_CLUSTER_NODES !== undefined,
});
await reachRedisOrExit(redis, {
  command: "dead-letters",
  url: env.REDIS_URL,
  deadlineMs: connectDeadlineMs,
});
const deadLetters = createDeadLetters({
  connection: redis,
  keys,
});

try {
  await checkShardCountOrExit(redis, keys, { onMismatch: (error) => console.error(error.message) });
  process.exitCode = await run();
} finally {
  await deadLetters.close();
  redis.disconnect();
}

async function run(): Promise<number> {
  switch (command) {
    case "list": {
      const letters = await deadLetters.list(Number(values.limit));
      if (values.json) console.log(JSON.stringify(letters, null, 2));
      else if (letters.length === 0) console.log("No dead letters.");
      else
        for (const letter of letters) {
          const when = letter.failedAt ? new Date(letter.failedAt).toISOString() : "?";
          console.log(
            `${letter.webhookEventId}  ${letter.type.padEnd(12)} ${when}  ${letter.attempts} attempts  ${letter.error}`,
          );
        }
      return 0;
    }
    case "show": {
      const letter = ids[0] ? await deadLetters.show(ids[0]) : undefined;
      if (!letter) {
        console.error(`No dead letter ${ids[0] ?? "(give a webhookEventId)"}`);
        return 1;
      }
      console.log(JSON.stringify(letter, null, 2));
      return 0;
    }
    case "replay": {
      const targets = values.all
        ? (await deadLetters.list(10_000)).map((letter) => letter.webhookEventId)
        : ids;
      let missing = 0;
      for (const id of targets) {
        const replayed = await deadLetters.replay(id);
        console.log(replayed ? `replaying ${id}` : `no dead letter ${id}`);
        if (!replayed) missing++;
      }
      return missing > 0 ? 1 : 0;
    }
    case "prune": {
      const hours = Number(values["older-than"]);
      if (!Number.isFinite(hours) || hours < 0) {
        console.error("prune needs --older-than <hours>");
        return 2;
      }
      console.log(`pruned ${await deadLetters.prune(hours * 3_600_000)} dead letters`);
      return 0;
    }
    default:
      console.error(`Unknown command ${command}\n\n${usage}`);
      return 2;
  }
}
