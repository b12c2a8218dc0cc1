/**
 * Comparison (c), the naive durable pipeline's worker: a plain BullMQ Worker that replies through
 * `@line/bot-sdk`'s client, the same echo bot as linefleet's. No lanes, no ledger, no rate limit,
 * no push fallback.
 */
import { messagingApi } from "@line/bot-sdk";
import { Worker } from "bullmq";
import { Redis } from "ioredis";

const client = new messagingApi.MessagingApiClient({
  channelAccessToken: process.env.LINE_CHANNEL_ACCESS_TOKEN ?? "",
  baseURL: process.env.LINE_API_BASE_URL ?? "https://api.line.me",
});
const connection = new Redis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379", {
  maxRetriesPerRequest: null,
});
type TextEvent = { replyToken?: string; message?: { type: string; text?: string } };

const worker = new Worker<{ event: TextEvent }>(
  "line-events",
  async (job) => {
    const { replyToken, message } = job.data.event;
    if (!replyToken || message?.type !== "text" || message.text === undefined) return;
    await client.replyMessage({ replyToken, messages: [{ type: "text", text: message.text }] });
  },
  {
    connection,
    prefix: process.env.QUEUE_PREFIX ?? "naive",
    concurrency: Number(process.env.WORKER_CONCURRENCY ?? 16),
  },
);
await worker.waitUntilReady();
console.log(JSON.stringify({ msg: "worker ready" }));
process.on("SIGTERM", () => void worker.close().then(() => process.exit(0)));
