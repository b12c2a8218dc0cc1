import type { Message } from "@linefleet/line-client";

/** The demo's commands, offered as quick-reply buttons under its answers. */
export function withCommands<M extends Message>(message: M): M {
  const commands = ["help", "menu", "flex", "order", "signup", "slow", "quote", "profile", "many"];
  return {
    ...message,
    quickReply: {
      items: commands.map((text) => ({
        type: "action" as const,
        action: { type: "message" as const, label: text, text },
      })),
    },
  };
}

export const help = [
  "I'm the linefleet demo bot. Try:",
  "• any text: I echo it",
  "• a sticker, an image, a location",
  "• menu: a buttons template (postbacks, a date picker)",
  "• flex: a flex message",
  "• order: a two-step conversation kept in the session",
  "• signup: a three-step sign-up conversation (/cancel leaves it)",
  "• slow: the loading animation during a slow command",
  "• quote: I quote your message",
  "• profile: your profile (cached)",
  "• many: seven messages (five by reply, two by push)",
  "• unsend a message: I forget it",
  "• remind me in 1 min: a reminder pushed later (cancel reminder)",
  "• subscribe: news from a recurring job, when DEMO_NEWS_EVERY_MS is set",
  "• the rich menu under the chat; pin: the More menu stays yours, unpin: back to the main one",
].join("\n");

export const plansMenu: Message = {
  type: "template",
  altText: "Pick a plan",
  template: {
    type: "buttons",
    title: "Plans",
    text: "Pick a plan, or a start date",
    actions: [
      { type: "postback", label: "Free", data: "plan=free", displayText: "Free" },
      { type: "postback", label: "Pro", data: "plan=pro", displayText: "Pro" },
      { type: "datetimepicker", label: "Start date", data: "action=start", mode: "date" },
    ],
  },
};

export const flexCard: Message = {
  type: "flex",
  altText: "A flex message",
  contents: {
    type: "bubble",
    body: {
      type: "box",
      layout: "vertical",
      contents: [
        { type: "text", text: "linefleet", weight: "bold", size: "xl" },
        { type: "text", text: "A flex message from the demo bot", wrap: true },
      ],
    },
    footer: {
      type: "box",
      layout: "vertical",
      contents: [
        {
          type: "button",
          style: "primary",
          action: { type: "postback", label: "Go Pro", data: "plan=pro", displayText: "Pro" },
        },
      ],
    },
  },
};

export const sizes = ["S", "M", "L"];

export const sizeQuestion: Message = {
  type: "text",
  text: "Which size? S, M or L",
  quickReply: {
    items: sizes.map((size) => ({
      type: "action" as const,
      action: { type: "message" as const, label: size, text: size },
    })),
  },
};
