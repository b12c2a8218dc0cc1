import { HTTPFetchError } from "@line/bot-sdk";
import { LineApiError, type LineClient, type Message, retryKeyFor } from "@linefleet/line-client";
import { describe, expect, it } from "vitest";
import { EventResponder, type ResponderEvent } from "../src/responder.ts";
import { createMemoryLedger } from "../src/send-ledger.ts";
import type { SendObserver } from "../src/send-observer.ts";

type Call = { kind: "reply" | "push"; target: string; messages: Message[]; retryKey?: string };

/** A LINE client whose answers the test scripts; the responder's policy is what is under test. */
function scriptedClient(answers: { reply?: (() => never)[]; push?: (() => never)[] } = {}) {
  const calls: Call[] = [];
  const client = {
    async reply(replyToken: string, messages: Message[]) {
      calls.push({ kind: "reply", target: replyToken, messages });
      answers.reply?.shift()?.();
      return { sentMessages: [{ id: "1" }], requestId: "r", alreadyAccepted: false };
    },
    async push(to: string, messages: Message[], retryKey: string) {
      calls.push({ kind: "push", target: to, messages, retryKey });
      answers.push?.shift()?.();
      return { sentMessages: [{ id: "2" }], requestId: "p", alreadyAccepted: false };
    },
  } as unknown as LineClient;
  return { client, calls };
}

const httpError = (status: number, message: string) => () => {
  throw new HTTPFetchError(`${status}`, {
    status,
    statusText: "",
    headers: new Headers(),
    body: JSON.stringify({ message }),
  });
};
const networkError = () => () => {
  throw new TypeError("fetch failed");
};

const NOW = 1_800_000_000_000;
const event = (overrides: Partial<ResponderEvent> = {}): ResponderEvent => ({
  webhookEventId: "01EVENT",
  timestamp: NOW - 1_000,
  replyToken: "reply-token",
  chatId: "Uuser",
  ...overrides,
});
const policy = { replyTokenMaxAgeMs: 50_000, now: () => NOW };
const text = (value: string): Message[] => [{ type: "text", text: value }];

describe("EventResponder", () => {
  it("replies while the token is young, then pushes the next answer (a token is single use)", async () => {
    const { client, calls } = scriptedClient();
    const responder = new EventResponder(event(), client, createMemoryLedger(), policy);
    expect(await responder.reply(text("one"))).toMatchObject({ status: "delivered", via: "reply" });
    expect(await responder.reply(text("two"))).toMatchObject({ status: "delivered", via: "push" });
    expect(calls.map((call) => call.kind)).toEqual(["reply", "push"]);
    expect(calls[1]?.retryKey).toBe(retryKeyFor("01EVENT", 1));
  });

  it("pushes when the token is older than the threshold", async () => {
    const { client, calls } = scriptedClient();
    const responder = new EventResponder(
      event({ timestamp: NOW - 50_001 }),
      client,
      createMemoryLedger(),
      policy,
    );
    expect(await responder.reply(text("late"))).toMatchObject({ status: "delivered", via: "push" });
    expect(calls).toEqual([
      {
        kind: "push",
        target: "Uuser",
        messages: text("late"),
        retryKey: retryKeyFor("01EVENT", 0),
      },
    ]);
  });

  it("pushes when LINE rejects the reply token", async () => {
    const { client, calls } = scriptedClient({ reply: [httpError(400, "Invalid reply token")] });
    const responder = new EventResponder(event(), client, createMemoryLedger(), policy);
    expect(await responder.reply(text("x"))).toMatchObject({ status: "delivered", via: "push" });
    expect(calls.map((call) => call.kind)).toEqual(["reply", "push"]);
  });

  it("retries a reply whose outcome is unknown with the same token, and never turns it into a push", async () => {
    const ledger = createMemoryLedger();
    const first = scriptedClient({ reply: [httpError(500, "Internal error")] });
    const error = await new EventResponder(event(), first.client, ledger, policy)
      .reply(text("x"))
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: "server_error", retryable: true, outcome: "unknown" });
    expect((await ledger.entries("01EVENT")).get(0)?.status).toBe("unknown");

    // The 500 did not deliver: the retried reply goes through, once.
    const second = scriptedClient();
    expect(
      await new EventResponder(event(), second.client, ledger, policy).reply(text("x")),
    ).toMatchObject({
      status: "delivered",
      via: "reply",
    });
    expect(second.calls.map((call) => [call.kind, call.target])).toEqual([
      ["reply", "reply-token"],
    ]);
  });

  it("settles for unknown when the retried reply finds its token used, unless told to push", async () => {
    for (const pushAfterUnknownReply of [false, true]) {
      const ledger = createMemoryLedger();
      const first = scriptedClient({ reply: [networkError()] });
      await new EventResponder(event(), first.client, ledger, policy)
        .reply(text("maybe"))
        .catch(() => {});

      const second = scriptedClient({ reply: [httpError(400, "Invalid reply token")] });
      const report = await new EventResponder(event(), second.client, ledger, {
        ...policy,
        pushAfterUnknownReply,
      }).reply(text("maybe"));
      expect(report.status).toBe(pushAfterUnknownReply ? "delivered" : "unknown");
      expect(second.calls.map((call) => call.kind)).toEqual(
        pushAfterUnknownReply ? ["reply", "push"] : ["reply"],
      );
      if (!pushAfterUnknownReply)
        expect((await ledger.entries("01EVENT")).get(0)?.status).toBe("unknown");
    }
  });

  it("sends nothing again when a retried event repeats what an earlier attempt delivered", async () => {
    const ledger = createMemoryLedger();
    const first = scriptedClient({ push: [undefined as never, networkError()] });
    const attempt1 = new EventResponder(event(), first.client, ledger, policy);
    await attempt1.reply(text("a"));
    await attempt1.push(text("b"));
    await expect(attempt1.push(text("c"))).rejects.toBeInstanceOf(LineApiError);

    const second = scriptedClient();
    const attempt2 = new EventResponder(event(), second.client, ledger, policy);
    expect(await attempt2.reply(text("a"))).toMatchObject({
      status: "skipped",
      reason: "already_sent",
    });
    expect(await attempt2.push(text("b"))).toMatchObject({
      status: "skipped",
      reason: "already_sent",
    });
    expect(await attempt2.push(text("c"))).toMatchObject({ status: "delivered", via: "push" });
    // The interrupted push is retried with the key it had: LINE dedupes it if it did arrive.
    expect(second.calls).toEqual([
      { kind: "push", target: "Uuser", messages: text("c"), retryKey: retryKeyFor("01EVENT", 2) },
    ]);
  });

  it("after a worker died mid-reply, replies again while the token is young, else gives up on it", async () => {
    const young = createMemoryLedger();
    await young.claim("01EVENT", 0, "reply", NOW - 500);
    const retry = scriptedClient();
    expect(
      await new EventResponder(event(), retry.client, young, policy).reply(text("a")),
    ).toMatchObject({
      status: "delivered",
      via: "reply",
    });

    const old = createMemoryLedger();
    await old.claim("01EVENT", 0, "reply", NOW - 500);
    const late = scriptedClient();
    const report = await new EventResponder(
      event({ timestamp: NOW - 60_000 }),
      late.client,
      old,
      policy,
    ).reply(text("a"));
    expect(report).toMatchObject({ status: "unknown" });
    expect(late.calls).toHaveLength(0);
  });

  it("sends nothing in standby mode", async () => {
    const { client, calls } = scriptedClient();
    const responder = new EventResponder(
      event({ mode: "standby", replyToken: undefined }),
      client,
      createMemoryLedger(),
      policy,
    );
    expect(await responder.reply(text("x"))).toMatchObject({
      status: "skipped",
      reason: "standby",
    });
    expect(calls).toHaveLength(0);
  });

  it("fails for good on a rejected push and lets retryable failures be retried", async () => {
    const rejected = scriptedClient({ push: [httpError(400, "Failed to send messages")] });
    const error = await new EventResponder(
      event({ replyToken: undefined }),
      rejected.client,
      createMemoryLedger(),
      policy,
    )
      .push(text("x"))
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: "bad_request", retryable: false });

    const limited = scriptedClient({
      push: [httpError(429, "The API rate limit has been exceeded. Try again later.")],
    });
    const retry = await new EventResponder(
      event({ replyToken: undefined }),
      limited.client,
      createMemoryLedger(),
      policy,
    )
      .push(text("x"))
      .catch((caught: unknown) => caught);
    expect(retry).toMatchObject({ code: "rate_limited", retryable: true });
  });
});

describe("EventResponder observer (what metrics count)", () => {
  function recorder() {
    const seen: string[] = [];
    const observe: SendObserver = {
      sent: (method, outcome) => seen.push(`sent ${method} ${outcome}`),
      pushFallback: (reason) => seen.push(`fallback ${reason}`),
      replyTokenAge: (ms) => seen.push(`token age ${ms}`),
      answered: (ms) => seen.push(`answered ${ms}`),
      lineApiError: (status) => seen.push(`error ${status}`),
    };
    return { seen, policy: { ...policy, observe } };
  }

  it("counts a reply with its token's age and the latency of the answer", async () => {
    const { seen, policy } = recorder();
    const { client } = scriptedClient();
    await new EventResponder(event(), client, createMemoryLedger(), policy).reply(text("hi"));
    expect(seen).toEqual(["token age 1000", "sent reply delivered", "answered 1000"]);
  });

  it("counts a push instead of a reply whose token is too old as a fallback", async () => {
    const { seen, policy } = recorder();
    const { client } = scriptedClient();
    const old = event({ timestamp: NOW - 60_000 });
    await new EventResponder(old, client, createMemoryLedger(), policy).reply(text("late"));
    expect(seen).toEqual(["fallback token_too_old", "sent push delivered", "answered 60000"]);
  });

  it("counts a rejected token: the failed reply, LINE's 400 and the fallback push", async () => {
    const { seen, policy } = recorder();
    const { client } = scriptedClient({ reply: [httpError(400, "Invalid reply token")] });
    await new EventResponder(event(), client, createMemoryLedger(), policy).reply(text("x"));
    expect(seen).toEqual([
      "token age 1000",
      "error 400",
      "sent reply failed",
      "fallback token_rejected",
      "sent push delivered",
      "answered 1000",
    ]);
  });

  it("counts a 500 as unknown, and the retry's skip of what was delivered as already delivered", async () => {
    const { seen, policy } = recorder();
    const ledger = createMemoryLedger();
    const { client } = scriptedClient({ reply: [httpError(500, "oops")] });
    await expect(
      new EventResponder(event(), client, ledger, policy).reply(text("x")),
    ).rejects.toThrow();
    expect(seen).toEqual(["token age 1000", "error 500", "sent reply unknown"]);

    seen.length = 0;
    await new EventResponder(event(), client, ledger, policy).reply(text("x"));
    expect(seen).toEqual(["token age 1000", "sent reply delivered", "answered 1000"]);

    seen.length = 0;
    await new EventResponder(event(), client, ledger, policy).reply(text("x"));
    expect(seen).toEqual(["sent reply already_delivered"]);
  });

  it("does not count a second answer's push as a fallback: the token was used", async () => {
    const { seen, policy } = recorder();
    const { client } = scriptedClient();
    const responder = new EventResponder(event(), client, createMemoryLedger(), policy);
    await responder.reply(text("one"));
    seen.length = 0;
    await responder.reply(text("two"));
    expect(seen).toEqual(["sent push delivered", "answered 1000"]);
  });

  it("counts a network failure of a push as unknown, under the error's code", async () => {
    const { seen, policy } = recorder();
    const { client } = scriptedClient({ push: [networkError()] });
    const responder = new EventResponder(event(), client, createMemoryLedger(), policy);
    await expect(responder.push(text("x"))).rejects.toThrow();
    expect(seen).toEqual(["error network", "sent push unknown"]);
  });
});
