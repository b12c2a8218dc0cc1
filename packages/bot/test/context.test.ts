import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { fetchContent } from "../src/content.ts";
import { ContentTooLargeError, ContextUsageError, RetryAfterError } from "../src/index.ts";
import { fakeContext, text } from "./fake-context.ts";

const textOf = (m: unknown) => (m as { text?: string }).text;

describe("reply and push", () => {
  it("sends more than 5 messages as the first 5 by reply and the rest by push, in order", async () => {
    const { context, sent, ledger } = fakeContext(text("many"));
    const says = Array.from({ length: 12 }, (_, i) => `m${i + 1}`);
    const reports = await context.reply(...says);
    expect(sent.map((s) => [s.via, s.messages?.map(textOf)])).toEqual([
      ["reply", ["m1", "m2", "m3", "m4", "m5"]],
      ["push", ["m6", "m7", "m8", "m9", "m10"]],
      ["push", ["m11", "m12"]],
    ]);
    expect(reports.map((r) => r.via)).toEqual(["reply", "push", "push"]);
    // Each batch has its own ledger position, so a retry skips exactly what was delivered.
    const entries = await ledger.entries("01HXYZ");
    expect([...entries].map(([position, e]) => [position, e.via, e.status])).toEqual([
      [0, "reply", "delivered"],
      [1, "push", "delivered"],
      [2, "push", "delivered"],
    ]);
  });

  it("quotes the event's message with its quoteToken on the first text or sticker", async () => {
    const { context, sent } = fakeContext(text("quote me"));
    await context.quote(
      { type: "image", originalContentUrl: "https://x/a.png", previewImageUrl: "https://x/a.png" },
      "said",
    );
    expect(sent[0]?.messages).toEqual([
      { type: "image", originalContentUrl: "https://x/a.png", previewImageUrl: "https://x/a.png" },
      { type: "text", text: "said", quoteToken: "q1" },
    ]);
  });
});

describe("showLoading", () => {
  it("asks LINE in one-to-one chats, in multiples of 5 between 5 and 60 seconds", async () => {
    const { context, sent } = fakeContext(text("slow"));
    await context.showLoading(7);
    await context.showLoading(1);
    await context.showLoading(600);
    await context.showLoading();
    expect(sent.map((s) => s.body)).toEqual([
      { chatId: "Ualice", loadingSeconds: 10 },
      { chatId: "Ualice", loadingSeconds: 5 },
      { chatId: "Ualice", loadingSeconds: 60 },
      { chatId: "Ualice", loadingSeconds: 20 },
    ]);
  });

  it("does nothing in groups and rooms", async () => {
    const { context, sent } = fakeContext({
      ...text("slow"),
      source: { type: "group", groupId: "Cgroup", userId: "Ualice" },
    });
    await context.showLoading(10);
    expect(sent).toEqual([]);
  });
});

describe("markAsRead", () => {
  it("uses the message's markAsReadToken, and says false when there is none", async () => {
    const withToken = fakeContext(text("read me", { markAsReadToken: "mar-1" }));
    expect(await withToken.context.markAsRead()).toBe(true);
    expect(withToken.sent).toEqual([{ via: "markAsRead", body: { markAsReadToken: "mar-1" } }]);
    const without = fakeContext({ type: "follow" });
    expect(await without.context.markAsRead()).toBe(false);
    expect(without.sent).toEqual([]);
  });
});

describe("getContent", () => {
  it("refuses events without content", async () => {
    await expect(fakeContext(text("hi")).context.getContent()).rejects.toBeInstanceOf(
      ContextUsageError,
    );
  });

  /** A data API answering each call with the next of `answers`. */
  function blobAnswering(...answers: Array<{ status: number; bytes?: Buffer; length?: boolean }>) {
    let calls = 0;
    return {
      get calls() {
        return calls;
      },
      getMessageContentWithHttpInfo: async () => {
        const answer = answers[Math.min(calls++, answers.length - 1)] ?? { status: 500 };
        const bytes = answer.bytes ?? Buffer.alloc(0);
        const headers = new Headers(
          answer.length === false ? {} : { "content-length": String(bytes.length) },
        );
        return {
          httpResponse: { status: answer.status, headers } as Response,
          body: Readable.from([bytes]),
        };
      },
    };
  }
  const collect = async (stream: Readable) => {
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  };
  const noWait = async () => {};

  it("asks again while LINE answers 202 (still preparing), then streams the bytes", async () => {
    const blob = blobAnswering(
      { status: 202 },
      { status: 202 },
      { status: 200, bytes: Buffer.from("video") },
    );
    const stream = await fetchContent(blob as never, "m1", {
      maxBytes: 100,
      preparingWaitMs: 5_000,
      wait: noWait,
    });
    expect((await collect(stream)).toString()).toBe("video");
    expect(blob.calls).toBe(3);
  });

  it("retries the event later when the content is still preparing after the wait", async () => {
    const blob = blobAnswering({ status: 202 });
    const waits: number[] = [];
    const fetching = fetchContent(blob as never, "m1", {
      maxBytes: 100,
      preparingWaitMs: 1_000,
      wait: async (ms) => void waits.push(ms),
    });
    await expect(fetching).rejects.toBeInstanceOf(RetryAfterError);
    expect(waits).toEqual([250, 500, 250]);
  });

  it("refuses content over maxBytes, by Content-Length or by counting", async () => {
    const declared = blobAnswering({ status: 200, bytes: Buffer.alloc(11) });
    await expect(
      fetchContent(declared as never, "m1", { maxBytes: 10, preparingWaitMs: 0, wait: noWait }),
    ).rejects.toBeInstanceOf(ContentTooLargeError);
    const undeclared = blobAnswering({ status: 200, bytes: Buffer.alloc(11), length: false });
    const stream = await fetchContent(undeclared as never, "m1", {
      maxBytes: 10,
      preparingWaitMs: 0,
      wait: noWait,
    });
    await expect(collect(stream)).rejects.toBeInstanceOf(ContentTooLargeError);
  });
});
