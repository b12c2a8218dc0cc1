import { parseArgs } from "node:util";
import {
  devStackFile,
  locateService,
  printableUrl,
  readDevStack,
  type ServiceLocation,
} from "@linefleet/config";
import type { ApiCall, DeliveryAttempt, SentEvent } from "@linefleet/emulator";
import { eventTypes } from "@linefleet/emulator";
import { eventKeyOf } from "@linefleet/store";
import { createAnswerMatcher, describeMessage, type TriggeredEvent } from "./trigger/answers.ts";
import { buildEventInput, TriggerUsageError, type TriggerValues } from "./trigger/build-input.ts";
import {
  ControlApiError,
  type ControlClient,
  createControlClient,
} from "./trigger/control-client.ts";
import {
  createEventProgress,
  type EventProgress,
  type EventProgressReader,
} from "./trigger/event-progress.ts";
import { helpText } from "./trigger/help.ts";
import { parseArgsOptions } from "./trigger/options.ts";

/** `pnpm trigger <event>`: makes an emulated user act, like `stripe trigger`. */

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function chatIdOfInput(input: {
  from?: string;
  chat?: { type: string; groupId?: string; roomId?: string };
}) {
  return input.chat?.groupId ?? input.chat?.roomId ?? input.from ?? "";
}

/** The ids of the API calls made so far: taken before the event is sent, so none is missed. */
async function apiCallIds(client: ControlClient): Promise<Set<string>> {
  const calls = await client.get<ApiCall[]>("/emulator/api-calls");
  return new Set(calls.map((call) => call.id));
}

const sameUrl = (a: string, b: string) => a.replace(/\/+$/, "") === b.replace(/\/+$/, "");

/**
 * The Redis of the stack behind the emulator, where the trigger sees when the bot has finished an
 * event: REDIS_URL (with QUEUE_PREFIX), else the running `pnpm dev`'s when the emulator is its.
 */
function locateStackRedis(
  emulatorUrl: string,
  source: NodeJS.ProcessEnv = process.env,
): (ServiceLocation & { prefix: string }) | undefined {
  if (source.REDIS_URL) {
    return {
      url: source.REDIS_URL,
      prefix: source.QUEUE_PREFIX || "linefleet",
      source: "REDIS_URL",
    };
  }
  const file = devStackFile(source);
  const stack = readDevStack(file);
  if (!stack?.emulatorUrl || !sameUrl(stack.emulatorUrl, emulatorUrl)) return undefined;
  return { url: stack.redisUrl, prefix: stack.queuePrefix, source: `pnpm dev, ${file}` };
}

/**
 * Prints the webhook's attempts and every answer the bot sends for the event until the bot has
 * finished it (as its stack's Redis tells, when there is one) or the time is up; the exit code.
 */
async function waitForEvent(
  client: ControlClient,
  event: TriggeredEvent & { deliveryId: string },
  knownCalls: Set<string>,
  seconds: number,
  progress: EventProgressReader | undefined,
): Promise<number> {
  const sentAt = Date.now();
  const deadline = sentAt + seconds * 1000;
  const answerOf = createAnswerMatcher(event);
  const shownDeliveries = new Set<string>();
  const answered: string[] = [];
  let accepted = false;
  let watching = progress !== undefined;
  for (;;) {
    // Progress first, then what the emulator recorded: once the worker is done, everything it
    // sent was recorded before this read.
    let outcome: EventProgress | undefined;
    if (accepted && watching && progress) {
      outcome = await progress.of(event.eventKey, event.timestamp).catch((error: Error) => {
        watching = false;
        console.error(
          `trigger: cannot read the event's progress from Redis (${error.message}); printing answers for ${seconds} s`,
        );
        return undefined;
      });
    }
    const deliveries = await client.get<DeliveryAttempt[]>("/emulator/deliveries");
    for (const d of deliveries.filter(
      (d) => d.deliveryId === event.deliveryId && !shownDeliveries.has(d.id),
    )) {
      shownDeliveries.add(d.id);
      if (d.status >= 200 && d.status < 300) accepted = true;
      const result = d.status === 0 ? (d.error ?? "no answer") : String(d.status);
      console.log(`webhook attempt ${d.attempt} (${d.kind}) → ${result} in ${d.durationMs} ms`);
    }
    for (const call of await client.get<ApiCall[]>("/emulator/api-calls")) {
      if (knownCalls.has(call.id)) continue;
      knownCalls.add(call.id);
      const answer = answerOf(call);
      if (!answer) continue;
      const elsewhere = answer.to !== undefined && answer.to !== event.chatId;
      const via = elsewhere ? `${answer.via} to ${[answer.to].flat().join(", ")}` : answer.via;
      for (const message of answer.messages)
        console.log(`bot (${via}): ${describeMessage(message)}`);
      answered.push(answer.via);
    }
    const took = `${((Date.now() - sentAt) / 1000).toFixed(1)} s`;
    if (outcome?.state === "done") {
      console.log(
        answered.length === 0
          ? `the bot finished event ${event.webhookEventId} in ${took} without sending a message`
          : `the bot finished event ${event.webhookEventId} in ${took}: ${answered.join(", ")}`,
      );
      return 0;
    }
    if (outcome?.state === "failed") {
      console.log(
        `the bot failed event ${event.webhookEventId} for good (a dead letter now): ${outcome.reason}`,
      );
      return 1;
    }
    if (Date.now() >= deadline) break;
    await sleep(100);
  }
  if (!accepted) {
    console.log(`the bot did not accept the webhook within ${seconds} s`);
    return 1;
  }
  if (watching) {
    console.log(`the bot had not finished event ${event.webhookEventId} within ${seconds} s`);
    return 1;
  }
  // Not every event gets an answer (the echo bot ignores stickers): that is an outcome, not a failure.
  if (answered.length === 0)
    console.log(`the bot accepted the event and sent no message within ${seconds} s`);
  return 0;
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: parseArgsOptions,
    allowPositionals: true,
  });
  const [event] = positionals;
  if (values.help || !event) {
    console.log(helpText());
    return values.help ? 0 : 2;
  }
  const flagUrl = values.url as string | undefined;
  const emulatorAt = flagUrl
    ? { url: flagUrl, source: "--url" }
    : locateService("EMULATOR_URL", "http://127.0.0.1:8090");
  console.error(`trigger: emulator ${printableUrl(emulatorAt.url)} (${emulatorAt.source})`);
  if (!URL.canParse(emulatorAt.url))
    throw new TriggerUsageError(`${emulatorAt.source} is invalid: not a URL`);
  const client = createControlClient(emulatorAt.url);

  if (event === "verify") {
    const result = await client.post<{ status: number; error?: string }>("/emulator/verify");
    console.log(`verify → ${result.status || result.error}`);
    return result.status >= 200 && result.status < 300 ? 0 : 1;
  }
  if (!(eventTypes as readonly string[]).includes(event)) {
    throw new TriggerUsageError(`unknown event ${event}; one of: ${eventTypes.join(", ")}, verify`);
  }

  const wait = values.wait === undefined ? undefined : Number(values.wait);
  if (wait !== undefined && (!Number.isFinite(wait) || wait <= 0))
    throw new TriggerUsageError("--wait wants a number of seconds");

  const input = await buildEventInput(client, event, values as TriggerValues, (note) =>
    console.error(`trigger: ${note}`),
  );
  const chatId = chatIdOfInput(input);
  const knownCalls = wait === undefined ? new Set<string>() : await apiCallIds(client);
  const sent = await client.post<SentEvent>("/emulator/events", input);
  // Channel events (module, botSuspended, botResumed) happen in no chat.
  console.log(chatId ? `sent ${event} event to ${chatId}` : `sent ${event} event to the channel`);
  console.log(JSON.stringify({ input, ...sent }, null, 2));
  if (wait === undefined) return 0;

  const redisAt = locateStackRedis(emulatorAt.url);
  if (redisAt) {
    console.error(
      `trigger: watching the event in Redis ${printableUrl(redisAt.url)}, prefix ${redisAt.prefix} (${redisAt.source})`,
    );
  } else {
    console.error(
      `trigger: no Redis of the bot's stack to tell when it has finished (set REDIS_URL and QUEUE_PREFIX, or run pnpm dev); printing answers for ${wait} s`,
    );
  }
  const progress = redisAt ? createEventProgress(redisAt.url, redisAt.prefix) : undefined;
  try {
    // Named channels' events are keyed by channel in Redis (eventKeyOf), the default one's by id.
    const channel = (values.channel as string | undefined) ?? "default";
    const eventKey = eventKeyOf(channel, sent.webhookEventId);
    return await waitForEvent(client, { ...sent, chatId, eventKey }, knownCalls, wait, progress);
  } finally {
    progress?.close();
  }
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  if (
    error instanceof TriggerUsageError ||
    error instanceof ControlApiError ||
    error instanceof TypeError
  ) {
    console.error(`trigger: ${error.message}`);
    process.exitCode = error instanceof TriggerUsageError || error instanceof TypeError ? 2 : 1;
  } else {
    throw error;
  }
}
