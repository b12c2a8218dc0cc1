import { setTimeout as sleep } from "node:timers/promises";
import type { Bot } from "@linefleet/bot";
import { loadBotModule } from "@linefleet/bot-loader";
import {
  createEventWorker,
  createRecurringWorker,
  createRedisBotStorage,
  type RecurringWorker,
  singleChannel,
} from "@linefleet/delivery";
import {
  type ChatMessage,
  createEmulator,
  type Emulator,
  type EmulatorOptions,
  type EventInputData,
} from "@linefleet/emulator";
import { createLineClient } from "@linefleet/line-client";
import { createLogger } from "@linefleet/log";
import type { RedisConnection } from "@linefleet/store";
import { createWorkerConnection, jobIdFor, openEventsQueue, redisKeys } from "@linefleet/store";
import type { EventSource } from "@linefleet/webhook";
import type { Worker } from "bullmq";
import { ticksBetween } from "./recurring-ticks.ts";
import { type Stack, startStack } from "./stack.ts";
import { startRedis } from "./start-redis.ts";
import type { TestRedis } from "./test-redis.ts";

// biome-ignore lint/suspicious/noExplicitAny: any bot, whatever its session and middleware types
type AnyBot = Bot<any, any>;

/** The session type of a bot (`unknown` for a module path: its type is not known here). */
// biome-ignore lint/suspicious/noExplicitAny: whatever the middleware added
export type SessionOf<B> = B extends Bot<infer S, any> ? S : unknown;

export interface BotTestOptions<B extends AnyBot | string = AnyBot | string> {
  /**
   * The bot under test. A `Bot` (from `createBot()`) runs in this process on the real worker
   * pipeline (BullMQ, lanes, ledger, responder) with a clock the test controls; a module path (as
   * `BOT_MODULE` takes it, relative to the working directory) runs in worker processes instead.
   */
  bot: B;
  /**
   * How many times an in-process bot's event is tried before it fails for good. Default 1: a
   * handler's error fails the action at once. Give more to test what a retry does (`ctx.attempt`):
   * the action then waits for the last attempt. A session conflict is retried whatever this says.
   * Worker processes keep the queue's attempts; the action rejects at their first failure.
   */
  attempts?: number;
  /** A running Redis (≥ 6.2); without it a `redis-server` (or container) is started and stopped. */
  redisUrl?: string;
  /** Worker processes, or in-process workers (each its own BullMQ worker). Default 1. */
  workers?: number;
  /** Display names of the users that exist (and follow the bot) from the start. Default Alice. */
  users?: string[];
  /** Environment of the worker processes (module-path bots), e.g. `LANE_MAX_WAIT_MS`. */
  workerEnv?: Record<string, string>;
  /** Like `REPLY_TOKEN_MAX_AGE_MS` (in-process bots). Default 50 s. */
  replyTokenMaxAgeMs?: number;
  /** Options of the emulator (its users, channels, redelivery schedule, …) over the kit's own. */
  emulator?: Partial<EmulatorOptions>;
}

/** What a bot sent, as the chat shows it. */
export interface BotAnswer {
  via: ChatMessage["via"];
  message: Record<string, unknown>;
  /** The message's text, for text messages. */
  text: string | undefined;
}

/** What the bot sent in answer to one event; `event` tells which event (its ids). */
export type BotAnswers = BotAnswer[] & {
  readonly event: { webhookEventId: string; messageId?: string; replyToken?: string };
};

/**
 * One emulated LINE user. Each action resolves once the bot has handled the event, with what the
 * bot sent in that chat meanwhile; it rejects with `BotFailedError` when a handler threw.
 */
export interface TestUser {
  /** The user's ID (`U…`), also the ID of their one-to-one chat with the bot. */
  readonly id: string;
  /** The display name. */
  readonly name: string;
  /** Sends a text in the one-to-one chat; resolves with what the bot sent in answer. */
  says(text: string, extra?: Omit<EventInputData, "type" | "from" | "text">): Promise<BotAnswers>;
  /** Presses a postback button (`data`, and `params` as a date/time picker gives them). */
  presses(data: string, params?: Record<string, string>): Promise<BotAnswers>;
  /** Any event input of the emulator (a sticker, an image, a location, `unsend`, …). */
  sends(input: Omit<EventInputData, "from">): Promise<BotAnswers>;
}

/** The worker's view of time, which an in-process test moves on. */
export interface TestClock {
  now(): number;
  /**
   * Moves the workers' clock ahead of LINE's: every event from now on is handled as if `ms` had
   * passed since LINE sent it (a backlog, a slow retry), so reply tokens count as that much older.
   * Scheduled work (`ctx.pushLater`, `ctx.schedule`) that falls due runs, in due order, and each
   * tick of a recurring job (`bot.every`) that passes; resolves once all of it is handled, and
   * rejects with `BotFailedError` when a handler threw.
   */
  advance(ms: number): Promise<void>;
}

/** A running bot test; `S` is the bot's session type. */
export interface BotTest<S = unknown> {
  /**
   * The LINE emulator the bot talks to: `addGroup({ groupName, memberIds })` and
   * `addRoom({ memberIds })` make chats for `send`, `apiCalls()` lists the bot's calls to LINE,
   * `addFault(...)` makes LINE fail, `messages(chatId)` is a chat's history.
   */
  readonly emulator: Emulator;
  /** The `QUEUE_PREFIX` of this test's keys. */
  readonly prefix: string;
  /** The workers' clock (in-process bots): `advance(ms)` ages the events handled from now on. */
  readonly clock: TestClock;
  /** The processes started: the ingress, and the workers of a module-path bot (their log lines). */
  readonly stack: Stack;
  /** The user with this display name; created (as a friend of the bot) if new. */
  user(displayName: string): TestUser;
  /** A chat's stored session (`chatId` a user, group or room ID), undefined if it has none. */
  session<T = S>(chatId: string): Promise<T | undefined>;
  /**
   * Sends any event, from anyone, in any chat (`chat: { type: "group", groupId }` for a group of
   * `emulator.addGroup`), and resolves once the bot has handled it, with what it sent in that chat.
   * Rejects with `BotFailedError` when a handler threw.
   */
  send(input: EventInputData): Promise<BotAnswers>;
  /** Every bot message in a chat so far. */
  answers(chatId: string): BotAnswer[];
  /** Stops the workers, the ingress, the emulator and the Redis it started. */
  stop(): Promise<void>;
}

const toAnswer = (m: ChatMessage): BotAnswer => ({
  via: m.via,
  message: m.message,
  text: typeof m.message.text === "string" ? m.message.text : undefined,
});

/**
 * Runs a bot against the LINE emulator through the real pipeline — ingress process, Redis, BullMQ
 * workers — in one call, for tests written as conversations:
 *
 * ```ts
 * const test = await startBotTest({ bot });
 * const alice = test.user("Alice");
 * expect(await alice.says("hi")).toMatchObject([{ via: "reply", text: "hi" }]);
 * ```
 */
export async function startBotTest<B extends AnyBot | string>(
  options: BotTestOptions<B>,
): Promise<BotTest<SessionOf<B>>> {
  // A module path is loaded here as the workers will load it (one loader: TypeScript compiled the
  // same way, the same message for a module without a bot), so a bad module fails the test at once.
  if (typeof options.bot === "string") await loadBotModule(options.bot);
  const ownRedis: TestRedis | undefined = options.redisUrl ? undefined : await startRedis();
  const redisUrl = options.redisUrl ?? (ownRedis as TestRedis).url;
  const emulator = createEmulator({
    channelSecret: "bot-test-channel-secret",
    channelAccessToken: "bot-test-channel-access-token",
    users: (options.users ?? ["Alice"]).map((displayName) => ({ displayName })),
    redelivery: { enabled: true, delaysMs: [200, 500, 1_000, 2_000, 4_000] },
    ...options.emulator,
  });
  await emulator.listen({ port: 0, host: "127.0.0.1" });

  const inProcess = typeof options.bot !== "string";
  const retriesWanted = inProcess && (options.attempts ?? 1) > 1;
  const workerCount = options.workers ?? 1;
  const stack = await startStack({
    redisUrl,
    lineApiUrl: emulator.url,
    channelSecret: emulator.channelSecret,
    channelAccessToken: emulator.channelAccessToken,
    workers: inProcess ? 0 : workerCount,
    workerEnv: inProcess ? {} : { BOT_MODULE: options.bot as string, ...options.workerEnv },
  });
  emulator.configure({ webhookUrl: `${stack.ingressUrl}/webhook` });

  let offset = 0;
  const clock: TestClock = {
    now: () => Date.now() + offset,
    async advance(ms) {
      if (!inProcess) {
        throw new Error(
          "the clock moves only for in-process bots: pass the Bot, not a module path",
        );
      }
      const from = clock.now();
      offset += ms;
      await runDueWork(from, clock.now());
    },
  };

  const redis: RedisConnection = createWorkerConnection(redisUrl);
  const keys = redisKeys(stack.prefix);
  // The bot's storage as the workers keep it: in-process workers get this one, worker processes
  // make their own alike; `session()` reads through it.
  const storage = createRedisBotStorage(redis, keys);
  const workers: Worker[] = [];
  let recurring: RecurringWorker | undefined;
  if (inProcess) {
    const client = createLineClient({
      channelAccessToken: emulator.channelAccessToken,
      apiBaseUrl: emulator.url,
      dataApiBaseUrl: emulator.url,
    });
    for (let i = 0; i < workerCount; i++) {
      const worker = createEventWorker({
        connection: redis,
        keys,
        bot: options.bot as AnyBot,
        client,
        storage,
        logger: createLogger({ name: "worker", level: process.env.LOG_LEVEL ?? "silent" }),
        concurrency: 8,
        replyTokenMaxAgeMs: options.replyTokenMaxAgeMs ?? 50_000,
        now: clock.now,
        maxAttempts: options.attempts ?? 1,
      });
      workers.push(worker);
    }
    // Recurring ticks come from the clock alone (`runDueWork`): no job scheduler runs in tests.
    recurring = createRecurringWorker({
      connection: redis,
      keys,
      bot: options.bot as AnyBot,
      channels: singleChannel(client),
      defaultChannel: "default",
      logger: createLogger({ name: "worker", level: process.env.LOG_LEVEL ?? "silent" }),
      now: clock.now,
    });
    await Promise.all(workers.map((worker) => worker.waitUntilReady()));
  }
  const queues = keys.layout.shards.map((shard) => {
    return openEventsQueue(keys.layout.queueName(shard), {
      connection: redis,
      prefix: keys.prefix,
    });
  });

  /**
   * Runs the work that fell due between two moments of the clock: the scheduled items due by
   * `to`, their jobs promoted in due order (each then takes its lane's turn as in production), and
   * every recurring tick in (`from`, `to`]. Work that this schedules and is already due runs too.
   */
  async function runDueWork(from: number, to: number) {
    for (let round = 0; round < 100; round++) {
      const due: string[] = [];
      for (const [shard, queue] of queues.entries()) {
        const items = await redis.zrangebyscore(keys.scheduledDue(shard), "-inf", to);
        for (const itemKey of items) {
          // An item whose job is gone (removed by hand) has nothing to run.
          const job = await queue.getJob(jobIdFor(itemKey));
          if (!job) continue;
          await job.promote().catch(() => {});
          due.push(itemKey);
        }
      }
      if (due.length === 0) break;
      await Promise.all(due.map((itemKey) => handled(itemKey, { delivered: true })));
    }
    for (const job of (options.bot as AnyBot).recurringJobs) {
      for (const at of ticksBetween(job.schedule, from, to)) {
        await recurring?.runTickAt(job.name, at).catch((error: Error) => {
          throw new BotFailedError(`${job.name}@${at}`, error.message, { final: true });
        });
      }
    }
  }

  const botMessages = (chatId: string) => emulator.messages(chatId).filter((m) => m.from === "bot");

  /**
   * Resolves once the ingress accepted the event and its job is gone (done), or fails.
   * `delivered`: the job is queued already (scheduled work), there is no webhook to wait for.
   */
  async function handled(webhookEventId: string, { delivered = false } = {}) {
    if (!delivered) {
      await emulator.waitForDeliveries(
        (d) => d.webhookEventIds.includes(webhookEventId) && d.status === 200,
        { timeoutMs: 15_000 },
      );
    }
    // The job is in one shard's queue; look in each (the layout names them).
    const jobKeys = keys.layout.shards.map((shard) =>
      keys.queueKey(shard, jobIdFor(webhookEventId)),
    );
    // Completed jobs are deleted at once. A failed attempt leaves its error (message and stack) on
    // the job, whether it is retried or failed for good: the action rejects with it at once.
    const deadline = Date.now() + 30_000;
    for (;;) {
      const jobs = await Promise.all(
        jobKeys.map((jobKey) =>
          redis.hmget(jobKey, "failedReason", "finishedOn", "stacktrace", "timestamp"),
        ),
      );
      const job = jobs.find((fields) => fields.some((field) => field !== null));
      if (!job) return;
      const [failedReason = null, finishedOn = null, stacktrace = null] = job;
      if (failedReason !== null) {
        const stack = lastStack(stacktrace);
        // A session conflict is the runtime's own retry, not the handler's error: wait it out, as
        // any retry a test asked for (`attempts`).
        const retried = stack?.startsWith("SessionConflictError") || retriesWanted;
        if (finishedOn || !retried) {
          throw new BotFailedError(webhookEventId, failedReason, {
            stack,
            final: finishedOn !== null,
          });
        }
      }
      if (Date.now() > deadline) {
        throw new Error(`the bot did not finish event ${webhookEventId} within 30 s`);
      }
      await sleep(20);
    }
  }

  async function send(input: EventInputData): Promise<BotAnswers> {
    const chat = input.chat;
    const chatId =
      chat?.type === "group"
        ? chat.groupId
        : chat?.type === "room"
          ? chat.roomId
          : (input.from ?? emulator.state().users[0]?.userId ?? "");
    const before = botMessages(chatId).length;
    const sent = emulator.sendEvent(input);
    await handled(sent.webhookEventId);
    const answers = botMessages(chatId).slice(before).map(toAnswer);
    // Not enumerable, so `expect(answers).toEqual([...])` compares the answers alone.
    Object.defineProperty(answers, "event", { value: sent, enumerable: false });
    return answers as BotAnswers;
  }

  return {
    emulator,
    prefix: stack.prefix,
    clock,
    stack,
    send,
    user(displayName) {
      const existing = emulator.state().users.find((u) => u.displayName === displayName);
      const id = (existing ?? emulator.addUser({ displayName })).userId;
      return {
        id,
        name: displayName,
        says: (text, extra = {}) => send({ ...extra, type: "text", from: id, text }),
        presses: (data, params) =>
          send({ type: "postback", from: id, data, ...(params ? { params } : {}) }),
        sends: (input) => send({ ...input, from: id } as EventInputData),
      };
    },
    async session<T>(chatId: string) {
      const { json } = await storage.loadSession(emulator.bot.userId, chatIdSource(chatId));
      return json ? (JSON.parse(json) as T) : undefined;
    },
    answers: (chatId) => botMessages(chatId).map(toAnswer),
    async stop() {
      await Promise.all(workers.map((worker) => worker.close()));
      await recurring?.close();
      await Promise.all(queues.map((queue) => queue.close()));
      await stack.stop();
      await emulator.close();
      redis.disconnect();
      await ownRedis?.close();
    },
  };
}

/**
 * A handler threw while handling an event. Its message ends with the handler's error message and
 * its stack is the handler's (where it threw). `final`: the event failed for good (a dead letter);
 * otherwise it is retried in the background (worker processes, or `attempts` above 1).
 */
export class BotFailedError extends Error {
  readonly webhookEventId: string;
  /** The handler's error message. */
  readonly reason: string;
  readonly final: boolean;
  constructor(
    webhookEventId: string,
    reason: string,
    options: { stack?: string | undefined; final: boolean },
  ) {
    const how = options.final ? "for good" : "(it will be retried)";
    super(`the bot failed event ${webhookEventId} ${how}: ${reason}`);
    this.name = "BotFailedError";
    this.webhookEventId = webhookEventId;
    this.reason = reason;
    this.final = options.final;
    // The handler's frames under this error's own first line, so a test runner points at them.
    const frames = options.stack?.split("\n").filter((line) => /^\s+at /.test(line));
    if (frames?.length) this.stack = [`${this.name}: ${this.message}`, ...frames].join("\n");
  }
}

/** The latest attempt's stack of BullMQ's `stacktrace` field (a JSON array of stacks). */
function lastStack(stacktrace: string | null): string | undefined {
  if (!stacktrace) return undefined;
  try {
    const stacks = JSON.parse(stacktrace) as unknown;
    const last = Array.isArray(stacks) ? stacks.at(-1) : undefined;
    return typeof last === "string" ? last : undefined;
  } catch {
    return undefined;
  }
}

/** A chat id as the source LINE would give (U… user, C… group, R… room). */
function chatIdSource(chatId: string): EventSource {
  if (chatId.startsWith("C")) return { type: "group", groupId: chatId };
  if (chatId.startsWith("R")) return { type: "room", roomId: chatId };
  return { type: "user", userId: chatId };
}
