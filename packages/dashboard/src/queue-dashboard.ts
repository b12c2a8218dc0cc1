import { createBullBoard } from "@bull-board/api";
import { BullMQAdapter } from "@bull-board/api/bullMQAdapter";
import { FastifyAdapter } from "@bull-board/fastify";
import fastifyBasicAuth from "@fastify/basic-auth";
import type { RedisConnection, RedisKeys } from "@linefleet/store";
import { Queue } from "bullmq";
import type { FastifyPluginAsync } from "fastify";
import { credentialsMatch, type DashboardCredentials } from "./credentials.ts";
import { refuseCrossSiteWrites } from "./cross-site-guard.ts";
import { createLoginLimiter, defaultLoginLimit, type LoginLimit } from "./login-limiter.ts";

export const dashboardPath = "/admin/queues";

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
 * queue, one entry per shard (scheduled work waits there as delayed jobs), and the recurring jobs'
 * queue; its failed jobs are the dead letters, retried from there. Everything under the path, the
 * UI's files included, needs the credentials: the dashboard can retry and delete jobs.
 */
export const queueDashboard: FastifyPluginAsync<QueueDashboardOptions> = async (
  app,
  { connection, keys, credentials, loginLimit = defaultLoginLimit },
) => {
  const logins = createLoginLimiter(loginLimit);
  const { layout } = keys;
  const queues = layout.shards.map((shard) => {
    const queue = new Queue(layout.queueName(shard), { connection, prefix: keys.prefix });
    queue.on("error", () => {}); // failures surface as the dashboard's failing requests
    return queue;
  });
  // The recurring jobs' ticks (`bot.every`): the next tick of each is a delayed job there.
  const recurring = new Queue(keys.recurringQueueName, { connection, prefix: keys.prefix });
  recurring.on("error", () => {});
  app.addHook("onClose", () => Promise.all([...queues, recurring].map((queue) => queue.close())));
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
  });
};
