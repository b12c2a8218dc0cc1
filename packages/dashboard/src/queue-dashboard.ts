import { createBullBoard } from "@bull-board/api";
import { BullMQAdapter } from "@bull-board/api/bullMQAdapter";
import { FastifyAdapter } from "@bull-board/fastify";
import fastifyBasicAuth from "@fastify/basic-auth";
import { createCampaigns } from "@linefleet/campaigns";
import {
  CAMPAIGNS_QUEUE_NAME,
  openEventsQueue,
  type RedisConnection,
  type RedisKeys,
} from "@linefleet/store";
import { Queue } from "bullmq";
import type { FastifyPluginAsync } from "fastify";
import { campaignsPage } from "./campaigns-page.ts";
import { credentialsMatch, type DashboardCredentials } from "./credentials.ts";
import { refuseCrossSiteWrites } from "./cross-site-guard.ts";
import { createLoginLimiter, defaultLoginLimit, type LoginLimit } from "./login-limiter.ts";

export const dashboardPath = "/admin/queues";
/** Every campaign with its progress, beside the queues, behind the same credentials. */
export const campaignsPath = "/admin/campaigns";

export interface QueueDashboardOptions {
  connection: RedisConnection;
  /** The deployment's keys (QUEUE_PREFIX and the shard layout): one queue is shown per shard. */
  keys: RedisKeys;
  credentials: DashboardCredentials;
  /** Wrong logins an address may make per window before it is answered 429 (10 a minute). */
  loginLimit?: LoginLimit;
}

/**
 * A Fastify plugin mounting bull-board at /admin/queues behind HTTP basic auth, showing the events
 * queue, one entry per shard (scheduled work waits there as delayed jobs), the recurring jobs'
 * queue and the campaign queue; its failed jobs are the dead letters, retried from there.
 * Every campaign with its progress is at /admin/campaigns. Everything under the path, the
 * UI's files included, needs the credentials: the dashboard can retry and delete jobs.
 */
export const queueDashboard: FastifyPluginAsync<QueueDashboardOptions> = async (
  app,
  { connection, keys, credentials, loginLimit = defaultLoginLimit },
) => {
  const logins = createLoginLimiter(loginLimit);
  const { layout } = keys;
  const open = (name: string) => {
    const queue = new Queue(name, { connection, prefix: keys.prefix });
    queue.on("error", () => {}); // failures surface as the dashboard's failing requests
    return queue;
  };
  const queues = layout.shards.map((shard) =>
    openEventsQueue(layout.queueName(shard), { connection, prefix: keys.prefix }),
  );
  // The recurring jobs' ticks (`bot.every`): the next tick of each is a delayed job there.
  const recurring = open(keys.recurringQueueName);
  const campaigns = open(CAMPAIGNS_QUEUE_NAME);
  const campaignRecords = createCampaigns({ redis: connection, prefix: keys.prefix });
  app.addHook("onClose", () =>
    Promise.all([
      ...[...queues, recurring, campaigns].map((queue) => queue.close()),
      campaignRecords.close(),
    ]),
  );
  const serverAdapter = new FastifyAdapter();
  serverAdapter.setBasePath(dashboardPath);
  const description = (shard: number) =>
    `LINE webhook events${layout.count > 1 ? ` (shard ${shard} of ${layout.count})` : ""}; failed = dead letters`;
  createBullBoard({
    queues: [
      ...queues.map(
        (queue, shard) => new BullMQAdapter(queue, { description: description(shard) }),
      ),
      new BullMQAdapter(recurring, {
        description: "Recurring jobs (bot.every): each one's next tick waits as a delayed job",
      }),
      new BullMQAdapter(campaigns, {
        description:
          "Campaigns (linefleet campaign): start, chunk (one multicast of up to 500), send and progress jobs; delayed = scheduled with --at, or waiting for a rate limit",
      }),
    ],
    serverAdapter,
    options: { uiConfig: { boardTitle: "linefleet" } },
  });

  await app.register(async (scope) => {
    // The ingress keeps webhook bodies as raw bytes; the dashboard's API speaks JSON.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(
      "application/json",
      { parseAs: "string" },
      scope.getDefaultJsonParser("error", "error"),
    );
    await scope.register(fastifyBasicAuth, {
      authenticate: { realm: "linefleet dashboard" },
      async validate(user, password, request, reply) {
        // Per client address as the socket gives it (the ingress trusts no forwarding header).
        const waitMs = logins.retryAfterMs(request.ip);
        if (waitMs > 0) {
          reply.header("retry-after", String(Math.ceil(waitMs / 1000)));
          throw Object.assign(new Error("too many failed logins; try again later"), {
            statusCode: 429,
          });
        }
        if (!credentialsMatch(credentials, user, password)) {
          logins.recordFailure(request.ip);
          throw new Error("wrong credentials");
        }
        logins.recordSuccess(request.ip);
      },
    });
    scope.addHook("onRequest", scope.basicAuth);
    // After the credentials: a request without them is answered 401 whatever it carries.
    scope.addHook("onRequest", refuseCrossSiteWrites);
    await scope.register(serverAdapter.registerPlugin(), { prefix: dashboardPath });
    scope.get(campaignsPath, async (_request, reply) =>
      reply.type("text/html; charset=utf-8").send(campaignsPage(await campaignRecords.list())),
    );
  });
};
