import { createBot } from "@linefleet/bot";

// TypeScript that Node's type stripping refuses — an enum and a parameter property — which the bot
// loader compiles: the test kit and the worker must run this bot alike.
enum Size {
  Small = "S",
  Large = "L",
}

class Order {
  constructor(readonly size: Size) {}

  describe(): string {
    return `size ${this.size} of ${Object.values(Size).join("/")}`;
  }
}

/** Answers with the size of the order the text asks for. */
export const bot = createBot().onText((context, text) =>
  context.reply(new Order(/large/i.test(text) ? Size.Large : Size.Small).describe()),
);
