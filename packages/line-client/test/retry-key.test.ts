import { describe, expect, it } from "vitest";
import { retryKeyFor } from "../src/index.ts";

describe("retryKeyFor", () => {
  it("is a stable UUID per event and position", () => {
    expect(retryKeyFor("01A", 0)).toBe(retryKeyFor("01A", 0));
    expect(retryKeyFor("01A", 0)).not.toBe(retryKeyFor("01A", 1));
    expect(retryKeyFor("01A", 0)).not.toBe(retryKeyFor("01B", 0));
    expect(retryKeyFor("01A", 0)).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });

  it("keeps the keys it gave out: the same inputs yield these exact keys", () => {
    // Pinned: workers of two releases must agree on the key of an in-flight push, or a push retried
    // across a deploy gets a new key and LINE delivers it twice. Changing the algorithm needs a
    // migration, not a new expected value here.
    expect(retryKeyFor("01A", 0)).toBe("da874ee9-ebb6-5dd1-9dca-ce718edbb7ac");
    expect(retryKeyFor("01A", 1)).toBe("e8aa3d92-8a57-5249-b96c-2a1a8d49818b");
    expect(retryKeyFor("01B", 0)).toBe("d5dd51b5-f4a3-5972-8b66-abd300f9992c");
    expect(retryKeyFor("01JQ8ZK3V7W9X2Y4Z6A8B0C2D4", 4)).toBe(
      "38f48296-0cbb-528d-8313-0f729d17fdab",
    );
  });
});
