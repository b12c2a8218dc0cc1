// linefleet campaign <send|status|pause|resume|cancel|retry|list> — campaigns the workers send.
import { readFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { parseArgs } from "node:util";
import {
  CampaignError,
  type CampaignStatus,
  createCampaigns,
  endedStates,
  endLine,
  parseAt,
  progressBar,
  progressLine,
  statusReport,
} from "@linefleet/campaigns";
import { locateService, parseEnvOrExit, redisEnv } from "@linefleet/config";
import { withTimeout } from "@linefleet/errors";
import { createWorkerConnection } from "@linefleet/store";
import { z } from "zod";
import { reachRedisOrExit } from "./reach-redis.ts";

const usage = `Usage: linefleet campaign <command>

  send <file.json> [--detach] [--at <time>] [--allow-over-quota]
                        creates the campaign; prints its id first, then follows its progress
                        until it ends (Ctrl-C leaves it running; --detach returns at once).
                        --at: ISO 8601 with offset (2026-12-24T09:00:00+09:00) or +<n>s|m|h|d
  status <id> [--json] [--list failed|not-sent|sent] [--follow]
                        progress, quota, request ids and failed sends; --list prints user IDs;
                        --follow follows the progress until the campaign ends, as send does
  pause <id>            stops sending after the sends in flight
  resume <id>           goes on where it stopped
  cancel <id>           sends nothing more
  retry <id>            sends the failed and not-sent chunks again (same retry keys)
  list [--json]         every campaign on record, newest first

The workers send (a running linefleet worker or linefleet dev). Reads REDIS_URL,
REDIS_CLUSTER_NODES and QUEUE_PREFIX like the worker; with REDIS_URL unset, uses the Redis of a
running linefleet dev (else redis://127.0.0.1:6379). Exit codes: 0 done, 1 refused, stopped,
failed or cancelled, 2 a usage or campaign file error.`;

const connectDeadlineMs = 5_000;
const followEveryMs = 500;

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    detach: { type: "boolean", default: false },
    at: { type: "string" },
    "allow-over-quota": { type: "boolean", default: false },
    json: { type: "boolean", default: false },
    follow: { type: "boolean", default: false },
    list: { type: "string" },
    help: { type: "boolean", short: "h", default: false },
  },
});
const [command, argument] = positionals;
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
const redis = createWorkerConnection({ url: env.REDIS_URL, clusterNodes: env.REDIS_CLUSTER_NODES });
await reachRedisOrExit(redis, {
  command: "campaign",
  url: env.REDIS_URL,
  deadlineMs: connectDeadlineMs,
});
const campaigns = createCampaigns({ redis, prefix: env.QUEUE_PREFIX });

try {
  process.exitCode = await run();
} catch (error) {
  if (!(error instanceof CampaignError)) throw error;
  console.error(`campaign: ${error.message}`);
  process.exitCode = error.code === "not_found" || error.code === "wrong_state" ? 1 : 2;
} finally {
  await campaigns.close();
  redis.disconnect();
}

function needId(): string {
  if (!argument)
    throw new CampaignError("invalid_campaign", `${command} needs a campaign id\n\n${usage}`);
  return argument;
}

function exitCodeOf(status: CampaignStatus) {
  return status.state === "done" ? 0 : 1;
}

/** The campaign file, with a userIdsFile taken relative to the file's own directory. */
async function readCampaignFile(path: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new CampaignError("invalid_campaign", `${path}: ${(error as Error).message}`);
  }
  let campaign: Record<string, unknown>;
  try {
    campaign = JSON.parse(text);
  } catch (error) {
    throw new CampaignError("invalid_campaign", `${path} is not JSON: ${(error as Error).message}`);
  }
  const audience = campaign?.audience as { userIdsFile?: unknown } | undefined;
  if (typeof audience?.userIdsFile === "string") {
    campaign.audience = { userIdsFile: resolve(dirname(path), audience.userIdsFile) };
  }
  return campaign;
}

/** Follows a campaign until it ends: a live bar on a terminal, a line per change otherwise. */
async function follow(id: string): Promise<number> {
  const live = process.stderr.isTTY === true;
  let interrupted = false;
  process.once("SIGINT", () => {
    interrupted = true;
  });
  let last = "";
  for (;;) {
    // Redis away mid-way: say so and keep following (the workers wait for it too), never hang mute.
    const status = await withTimeout(
      campaigns.status(id),
      connectDeadlineMs,
      "reading the campaign",
    ).catch((error: Error) => {
      if (error instanceof CampaignError) throw error;
      console.error(`campaign: no answer from Redis (${error.message}); still following`);
      return undefined;
    });
    if (!status && !interrupted) continue;
    if (!status) {
      console.log(`left running: linefleet campaign status ${id}`);
      return 0;
    }
    if (endedStates.has(status.state)) {
      if (live) process.stderr.write(`\r${progressBar(status)}\x1b[K\n`);
      console.log(endLine(status));
      return exitCodeOf(status);
    }
    if (interrupted) {
      if (live) process.stderr.write("\n");
      console.log(`left running: linefleet campaign status ${id}`);
      return 0;
    }
    if (live) process.stderr.write(`\r${progressBar(status)}\x1b[K`);
    else {
      const line = progressLine(status);
      if (line !== last) console.log(line);
      last = line;
    }
    await new Promise((done) => setTimeout(done, followEveryMs));
  }
}

async function run(): Promise<number> {
  switch (command) {
    case "send": {
      if (!argument)
        throw new CampaignError("invalid_campaign", `send needs a campaign file\n\n${usage}`);
      const campaign = await readCampaignFile(argument);
      const at = values.at === undefined ? undefined : parseAt(values.at);
      const id = await campaigns.send(campaign as Parameters<typeof campaigns.send>[0], {
        ...(at === undefined ? {} : { at }),
        allowOverQuota: values["allow-over-quota"],
      });
      console.log(id);
      if (values.detach) return 0;
      return follow(id);
    }
    case "status": {
      const id = needId();
      if (values.list !== undefined) {
        const state = { failed: "failed", "not-sent": "not_sent", sent: "sent" }[values.list];
        if (!state)
          throw new CampaignError("invalid_campaign", `--list takes failed, not-sent or sent`);
        const ids = await campaigns.recipientsIn(id, state as "failed" | "not_sent" | "sent");
        if (ids.length > 0) console.log(ids.join("\n"));
        return 0;
      }
      if (values.follow) return follow(id);
      const status = await campaigns.status(id);
      console.log(values.json ? JSON.stringify(status, null, 2) : statusReport(status));
      return 0;
    }
    case "pause":
      await campaigns.pause(needId());
      console.log(`paused ${argument}`);
      return 0;
    case "resume":
      await campaigns.resume(needId());
      console.log(`resumed ${argument}`);
      return 0;
    case "cancel":
      await campaigns.cancel(needId());
      console.log(`cancelled ${argument}`);
      return 0;
    case "retry": {
      const chunks = await campaigns.retry(needId());
      console.log(
        chunks.length > 0
          ? `sending ${chunks.length} chunk(s) again: ${chunks.join(", ")}`
          : "nothing to retry",
      );
      return 0;
    }
    case "list": {
      const all = await campaigns.list();
      if (values.json)
        console.log(
          JSON.stringify(
            all.map(({ chunks: _chunks, ...rest }) => rest),
            null,
            2,
          ),
        );
      else if (all.length === 0) console.log("No campaigns.");
      else
        for (const status of all) {
          console.log(
            `${status.id}  ${status.state.padEnd(9)} ${status.kind.padEnd(10)} sent ${status.sent}/${status.total}  ${new Date(status.createdAt).toISOString()}  ${status.name}`,
          );
        }
      return 0;
    }
    default:
      console.error(`Unknown command ${command}\n\n${usage}`);
      return 2;
  }
}
