import { describe, expect, it } from "vitest";
import { validateMessages } from "../src/api/message-validation.ts";

describe("validateMessages", () => {
  it("accepts 1 to 5 valid messages", () => {
    expect(validateMessages([{ type: "text", text: "hi" }])).toEqual([]);
    expect(
      validateMessages(Array(5).fill({ type: "sticker", packageId: "1", stickerId: "2" })),
    ).toEqual([]);
  });

  it("counts text length in UTF-16 units", () => {
    expect(validateMessages([{ type: "text", text: "🍎".repeat(2500) }])).toEqual([]);
    expect(validateMessages([{ type: "text", text: `${"🍎".repeat(2500)}a` }])).toEqual([
      { message: "Length must be between 1 and 5000", property: "messages[0].text" },
    ]);
  });

  it("names every bad property", () => {
    expect(
      validateMessages([
        { type: "image", originalContentUrl: "http://insecure", previewImageUrl: "https://ok" },
        { type: "unknown" },
        { type: "flex", altText: "x", contents: {}, quickReply: { items: Array(14).fill({}) } },
      ]),
    ).toEqual([
      { message: "Must be a valid HTTPS URL", property: "messages[0].originalContentUrl" },
      { message: expect.stringContaining("Must be one of"), property: "messages[1].type" },
      { message: "Size must be between 1 and 13", property: "messages[2].quickReply.items" },
    ]);
  });

  it("refuses an empty or oversized list", () => {
    expect(validateMessages([])).toEqual([
      { message: "Size must be between 1 and 5", property: "messages" },
    ]);
    expect(validateMessages(undefined)).toEqual([
      { message: "Must not be null", property: "messages" },
    ]);
  });
});
