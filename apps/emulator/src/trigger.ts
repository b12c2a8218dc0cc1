import { parseArgs } from "node:util";
import { locateService, printableUrl } from "@linefleet/config";
import type { ChatMessage, DeliveryAttempt, SentEvent } from "@linefleet/emulator";
import { eventTypes } from "@linefleet/emulator";
import { buildEventInput, TriggerUsageError, type TriggerValues } from "./trigger/build-input.ts";
import {
  ControlApiError,
  type ControlClient,
  createControlClient,
} from "./trigger/control-client.ts";
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

function describeMessage(message: Record<string, unknown>): string {
  if (message.type === "text") return String(message.text);
  if (message.type === "flex" || message.type === "template")
    return `[${message.type}] ${message.altText}`;
  return `[${message.type}] ${JSON.stringify(message)}`;
}

/** The ids of the messages a chat has now: taken before the event is sent, so no answer is missed. */
async function messageIds(client: ControlClient, chatId: string): Promise<Set<string>> {
  const { messages } = await client.get<{ messages: ChatMessage[] }>(
    `/emulator/chats/${chatId}/messages`,
  );
  return new Set(messages.map((m) => m.id));
}

interface WaitOutcome {
  answers: number;
  /** Whether any webhook attempt of this event got a 2xx from the bot. */
  accepted: boolean;
}

/** Prints webhook attempts and bot answers until the bot goes quiet or the time is up. */
async function waitForAnswers(
  client: ControlClient,
  chatId: string,
  sent: SentEvent,
  known: Set<string>,
  seconds: number,
): Promise<WaitOutcome> {
  const deadline = Date.now() + seconds * 1000;
  const shownDeliveries = new Set<string>();
  let answers = 0;
  let accepted = false;
  let lastAnswerAt = 0;
  while (Date.now() < deadline) {
    const deliveries = await client.get<DeliveryAttempt[]>("/emulator/deliveries");
    for (const d of deliveries.filter(
      (d) => d.deliveryId === sent.deliveryId && !shownDeliveries.has(d.id),
    )) {
      shownDeliveries.add(d.id);
      if (d.status >= 200 && d.status < 300) accepted = true;
      const outcome = d.status === 0 ? (d.error ?? "no answer") : String(d.status);
      console.log(`webhook attempt ${d.attempt} (${d.kind}) → ${outcome} in ${d.durationMs} ms`);
    }
    const { messages } = await client.get<{ messages: ChatMessage[] }>(
      `/emulator/chats/${chatId}/messages`,
    );
    for (const m of messages.filter((m) => m.from === "bot" && !known.has(m.id))) {
      known.add(m.id);
      answers += 1;
      lastAnswerAt = Date.now();
      console.log(`bot (${m.via}): ${describeMessage(m.message)}`);
    }
    // Once the bot has answered, a second of silence means it is done.
    if (answers > 0 && Date.now() - lastAnswerAt > 1000) break;
    await sleep(100);
  }
  return { answers, accepted };
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
  const known = wait === undefined ? new Set<string>() : await messageIds(client, chatId);
  const sent = await client.post<SentEvent>("/emulator/events", input);
  console.log(`sent ${event} event to ${chatId}`);
  console.log(JSON.stringify({ input, ...sent }, null, 2));
  if (wait === undefined) return 0;

  const { answers, accepted } = await waitForAnswers(client, chatId, sent, known, wait);
  if (answers > 0) return 0;
  if (!accepted) {
    console.log(`the bot did not accept the webhook within ${wait} s`);
    return 1;
  }
  // Not every event gets an answer (the echo bot ignores stickers): that is an outcome, not a failure.
  console.log(`the bot accepted the event and sent no message within ${wait} s`);
  return 0;
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
