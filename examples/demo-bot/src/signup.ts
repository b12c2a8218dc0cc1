import type { ConversationFunction, WaitOptions } from "@linefleet/bot";
import type { Message } from "@linefleet/line-client";
import type { DemoSession } from "./demo-bot.ts";

/** How long each question waits for its answer before the sign-up gives up. */
const ANSWER_WITHIN_MS = 5 * 60_000;

const plans = { free: "Free", pro: "Pro" } as const;

const planQuestion: Message = {
  type: "text",
  text: "Last one: which plan? Free or Pro",
  quickReply: {
    items: Object.values(plans).map((label) => ({
      type: "action" as const,
      action: { type: "message" as const, label, text: label },
    })),
  },
};

/**
 * The demo's three-step sign-up: name, age, plan. A conversation, so the steps are plain code; it
 * is replayed from the top for each answer, so everything between two waits only reads the
 * answers and sends (no clock, no randomness, no outside state).
 */
export const signup: ConversationFunction<DemoSession> = async (conv) => {
  const wait: WaitOptions<DemoSession> = {
    timeoutMs: ANSWER_WITHIN_MS,
    otherwise: (ctx) => ctx.reply("Sign-up timed out. Say signup to start again."),
  };
  const isText = (ctx: { text: string | undefined }) => ctx.text !== undefined;

  const named = await conv.ask(
    "Let's sign you up (say /cancel to stop). What is your name?",
    isText,
    wait,
  );
  const name = named.text?.trim() ?? "";

  let aged = await conv.ask(`How old are you, ${name}?`, isText, wait);
  while (!/^\d{1,3}$/.test(aged.text?.trim() ?? "")) {
    aged = await conv.ask("Please answer with a number, like 30.", isText, wait);
  }
  const age = Number(aged.text?.trim());

  const planned = await conv.ask(planQuestion, /^(free|pro)$/i, wait);
  const plan = (planned.text ?? "").toLowerCase() as keyof typeof plans;

  conv.session.member = { name, age };
  conv.session.plan = plan;
  await planned.reply(`Welcome, ${name} (${age}), on the ${plans[plan]} plan!`);
};
