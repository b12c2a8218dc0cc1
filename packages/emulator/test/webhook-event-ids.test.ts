import { describe, expect, it } from "vitest";
import { newWebhookEventId } from "../src/ids.ts";

describe("webhook event ids", () => {
  it("sort in the order they were made, even within one millisecond", () => {
    const now = Date.now();
    const ids = Array.from({ length: 50 }, () => newWebhookEventId(now));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.every((id) => /^[0-9A-HJKMNP-TV-Z]{26}$/.test(id))).toBe(true);
  });
});
