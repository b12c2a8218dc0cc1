import { createBullBoard } from "@bull-board/api";
import { BullMQAdapter } from "@bull-board/api/bullMQAdapter";
import { FastifyAdapter } from "@bull-board/fastify";
import fastifyBasicAuth from "@fastify/basic-auth";
import type { RedisConnection } from "@linefleet/store";
import { lineEventsQueue } from "@linefleet/store";
import { Queue } from "bullmq";
import type { FastifyPluginAsync } from "fastify";
import { credentialsMatch, type DashboardCredentials } from "./credentials.ts";

export const dashboardPath = "/admin/queues";

export interface QueueDashboardOptions {
  connection: RedisConnection;
  /** QUEUE_PREFIX. Not `prefix`: Fastify reads that register option as a route prefix. */
  queuePrefix: string;
  credentials: DashboardCredentials;
}

/**
 * A Fastify plugin mounting bull-board at /admin/queues behind HTTP basic auth, showing the events
 * queue; its failed jobs are the dead letters, retried from there. Everything under the path, the
 * UI's files included, needs the credentials: the dashboard can retry and delete jobs.
 */
export const queueDashboard: FastifyPluginAsync<QueueDashboardOptions> = async (
  app,
  { connection, queuePrefix, credentials },
) => {
  const queue = new Queue(lineEventsQueue.name, { connection, prefix: queuePrefix });
  queue.on("error", () => {}); // failures surface as the dashboard's failing requests
  app.addHook("onClose", () => queue.close());
  const serverAdapter = new FastifyAdapter();
  serverAdapter.setBasePath(dashboardPath);
  createBullBoard({
    queues: [
      new BullMQAdapter(queue, { description: "LINE webhook events; failed = dead letters" }),
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
      async validate(user, password) {
        if (!credentialsMatch(credentials, user, password)) throw new Error("wrong credentials");
      },
    });
    scope.addHook("onRequest", scope.basicAuth);
    await scope.register(serverAdapter.registerPlugin(), { prefix: dashboardPath });
  });
};
