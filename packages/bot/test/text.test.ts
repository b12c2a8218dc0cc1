import { describe, expect, it } from "vitest";
import { parseCommand, stripSelfMentions } from "../src/text.ts";

const self = (text: string, handle: string) => ({
  index: text.indexOf(handle),
  length: handle.length,
  isSelf: true,
});

describe("stripSelfMentions", () => {
  it("cuts the bot's mention at the start, in the middle and at the end, leaving single spaces", () => {
    for (const [text, expected] of [
      ["@Coffee bot order latte", "order latte"],
      ["order @Coffee bot latte", "order latte"],
      ["order latte @Coffee bot", "order latte"],
      ["@Coffee bot", ""],
    ] as const) {
      expect(stripSelfMentions(text, [self(text, "@Coffee bot")])).toBe(expected);
    }
  });

  it("keeps other users' mentions and cuts every mention of the bot", () => {
    const text = "@Coffee bot ask @Bob and @Coffee bot";
    const mentionees = [
      { index: 0, length: 11, isSelf: true },
      { index: 16, length: 4 },
      { index: 25, length: 11, isSelf: true },
    ];
    expect(stripSelfMentions(text, mentionees)).toBe("ask @Bob and");
  });

  it("counts indexes as JavaScript strings do (an emoji before the mention is two units)", () => {
    const text = "☕️🍰 @Coffee bot menu";
    expect(stripSelfMentions(text, [self(text, "@Coffee bot")])).toBe("☕️🍰 menu");
  });

  it("leaves a text without mentions as it is, trimmed", () => {
    expect(stripSelfMentions("  hello  ")).toBe("hello");
  });
});

describe("parseCommand", () => {
  it("reads /order and LINE-style order, in any case, and gives the rest as arguments", () => {
    expect(parseCommand("order", "/order latte")).toBe("latte");
    expect(parseCommand("order", "Order  two lattes ")).toBe("two lattes");
    expect(parseCommand("order", "ORDER")).toBe("");
    expect(parseCommand("order", "/order\noat milk")).toBe("oat milk");
  });

  it("does not match another word or a word that only starts with the name", () => {
    expect(parseCommand("order", "orders latte")).toBeUndefined();
    expect(parseCommand("order", "my order latte")).toBeUndefined();
    expect(parseCommand("order", "//order latte")).toBeUndefined();
  });

  it("takes only the configured prefixes", () => {
    expect(parseCommand("order", "order latte", { prefixes: ["/"] })).toBeUndefined();
    expect(parseCommand("order", "/order latte", { prefixes: ["/"] })).toBe("latte");
    expect(parseCommand("order", "!order latte", { prefixes: ["!"] })).toBe("latte");
  });
});
