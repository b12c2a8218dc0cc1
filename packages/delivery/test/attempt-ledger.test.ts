import { describe, expect, it } from "vitest";
import { AttemptLedger } from "../src/attempt-ledger.ts";
import type { LedgerEntry } from "../src/send-ledger.ts";

const delivered: LedgerEntry = { status: "delivered", via: "reply", at: 1 };

describe("AttemptLedger", () => {
  it("claims a new position, and writes back only what this attempt changed", async () => {
    const ledger = new AttemptLedger(new Map([[0, delivered]]), {
      interruptedAt: undefined,
      replyDeadline: 50_000,
    });
    expect(await ledger.claim("e", 0, "reply", 10)).toEqual(delivered);
    expect(await ledger.claim("e", 1, "push", 10)).toBeUndefined();
    await ledger.record("e", 1, { status: "delivered", via: "push", at: 11 });
    expect(ledger.changes()).toEqual([
      "1",
      JSON.stringify({ status: "delivered", via: "push", at: 11 }),
    ]);
  });

  describe("after an attempt that died mid-way", () => {
    const after = (interruptedAt: number) =>
      new AttemptLedger(new Map(), { interruptedAt, replyDeadline: 50_000 });

    it("takes a reply it knows nothing of as possibly sent by reply", async () => {
      expect(await after(1_000).claim("e", 0, "reply", 2_000, "reply")).toMatchObject({
        status: "sending",
        via: "reply",
      });
    });

    it("takes a push the handler asked for as possibly pushed (sent again with its retry key)", async () => {
      expect(await after(1_000).claim("e", 0, "push", 2_000, "push")).toMatchObject({
        status: "sending",
        via: "push",
      });
    });

    it("takes a reply that must now be pushed as a possible reply if the dead attempt had a young token", async () => {
      expect(await after(40_000).claim("e", 0, "push", 60_000, "reply")).toMatchObject({
        via: "reply",
      });
      expect(await after(55_000).claim("e", 0, "push", 60_000, "reply")).toMatchObject({
        via: "push",
      });
    });

    it("still trusts what was recorded", async () => {
      const ledger = new AttemptLedger(new Map([[0, delivered]]), {
        interruptedAt: 1_000,
        replyDeadline: 50_000,
      });
      expect(await ledger.claim("e", 0, "reply", 2_000, "reply")).toEqual(delivered);
    });
  });
});
