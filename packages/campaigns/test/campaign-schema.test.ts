import { describe, expect, it } from "vitest";
import { z } from "zod";
import { campaignSchema, kindOf } from "../src/campaign-schema.ts";

const messages = [{ type: "text", text: "hi" }];
const problems = (campaign: unknown) => {
  const parsed = campaignSchema.safeParse(campaign);
  return parsed.success ? "" : z.prettifyError(parsed.error);
};

describe("the campaign file", () => {
  it("takes each audience, and tells how it will be sent", () => {
    const audiences = [
      [{ userIds: [`U${"a".repeat(32)}`] }, "multicast"],
      [{ userIdsFile: "ids.txt" }, "multicast"],
      [{ followers: true }, "multicast"],
      [{ narrowcast: { recipient: { type: "audience", audienceGroupId: 1 } } }, "narrowcast"],
      [{ broadcast: true }, "broadcast"],
    ] as const;
    for (const [audience, kind] of audiences) {
      const parsed = campaignSchema.parse({ name: "n", audience, messages });
      expect(kindOf(parsed.audience)).toBe(kind);
    }
  });

  it("names the audience's mistake at its place", () => {
    expect(problems({ name: "n", audience: { userIds: ["U1"] }, messages })).toContain(
      "expected a LINE user ID (U followed by 32 hex digits)\n  → at audience.userIds[0]",
    );
    expect(
      problems({ name: "n", audience: { followers: true, broadcast: true }, messages }),
    ).toContain("expected exactly one of userIds, userIdsFile, followers, narrowcast, broadcast");
    expect(problems({ name: "n", audience: { broadcast: true, extra: 1 }, messages })).toContain(
      "expected exactly one of",
    );
  });

  it("refuses no messages, more than 5, and unknown fields", () => {
    expect(problems({ name: "n", audience: { broadcast: true }, messages: [] })).toContain(
      "messages",
    );
    expect(
      problems({ name: "n", audience: { broadcast: true }, messages: Array(6).fill(messages[0]) }),
    ).toContain("messages");
    expect(problems({ name: "n", audience: { broadcast: true }, messages, typo: 1 })).toContain(
      "typo",
    );
  });
});
