import { parseArgs } from "node:util";
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

function chatIdOf(input: {
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

/** Prints webhook attempts and bot answers until the bot goes quiet or the time is up. */
async function waitForAnswers(
  client: ControlClient,
  chatId: string,
  sent: SentEvent,
  seconds: number,
) {
  const deadline = Date.now() + seconds * 1000;
  const shownDeliveries = new Set<string>();
  const before = (
    await client.get<{ messages: ChatMessage[] }>(`/emulator/chats/${chatId}/messages`)
  ).messages;
  const known = new Set(before.map((m) => m.id));
  let answers = 0;
  let lastAnswerAt = 0;
  while (Date.now() < deadline) {
    const deliveries = await client.get<DeliveryAttempt[]>("/emulator/deliveries");
    for (const d of deliveries.filter(
      (d) => d.deliveryId === sent.deliveryId && !shownDeliveries.has(d.id),
    )) {
      shownDeliveries.add(d.id);
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
  return answers;
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
  const baseUrl =
    (values.url as string | undefined) ?? process.env.EMULATOR_URL ?? "http://127.0.0.1:8090";
  const client = createControlClient(baseUrl);

  if (event === "verify") {
    const result = await client.post<{ status: number; error?: string }>("/emulator/verify");
    console.log(`verify → ${result.status || result.error}`);
    return result.status >= 200 && result.status < 300 ? 0 : 1;
  }
  if (!(eventTypes as readonly string[]).includes(event)) {
    throw new TriggerUsageError(`unknown event ${event}; one of: ${eventTypes.join(", ")}, verify`);
  }

  const input = await buildEventInput(client, event, values as TriggerValues);
  const sent = await client.post<SentEvent>("/emulator/events", input);
  console.log(`sent ${event} event to ${chatIdOf(input)}`);
  console.log(JSON.stringify({ input, ...sent }, null, 2));

  const wait = values.wait === undefined ? undefined : Number(values.wait);
  if (wait === undefined) return 0;
  if (!Number.isFinite(wait) || wait <= 0)
    throw new TriggerUsageError("--wait wants a number of seconds");
  const answers = await waitForAnswers(client, chatIdOf(input), sent, wait);
  if (answers === 0) {
    console.log(`no answer from the bot within ${wait} s`);
    return 1;
  }
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
