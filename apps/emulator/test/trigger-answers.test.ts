import type { ApiCall } from "@linefleet/emulator";
import { retryKeyFor } from "@linefleet/line-client";
import { describe, expect, it } from "vitest";
import { createAnswerMatcher } from "../src/trigger/answers.ts";

const event = {
  webhookEventId: "01EVENTAAAAAAAAAAAAAAAAAAA",
  timestamp: 1_700_000_000_000,
  eventKey: "01EVENTAAAAAAAAAAAAAAAAAAA",
  replyToken: "token-a",
  chatId: "Ualice",
};
const text = (t: string) => ({ type: "text", text: t });
let ids = 0;
const call = (path: string, body: object, extra: Partial<ApiCall> = {}): ApiCall => ({
  id: String(ids++),
  method: "POST",
  path,
  status: 200,
  requestId: "r",
  body,
  response: {},
  at: 0,
  ...extra,
});

describe("which API calls answer an event", () => {
  const answerOf = createAnswerMatcher(event);

  it("takes a reply with the event's reply token, not another's", () => {
    expect(
      answerOf(call("/v2/bot/message/reply", { replyToken: "token-a", messages: [text("a")] })),
    ).toEqual({ via: "reply", messages: [text("a")] });
    expect(
      answerOf(call("/v2/bot/message/reply", { replyToken: "token-b", messages: [text("b")] })),
    ).toBeUndefined();
  });

  it("takes a push by linefleet's retry key for this event, wherever it went", () => {
    const own = retryKeyFor(event.webhookEventId, 1);
    const other = retryKeyFor("01OTHERAAAAAAAAAAAAAAAAAAA", 1);
    const push = (retryKey: string, to: string) =>
      call("/v2/bot/message/push", { to, messages: [text("p")] }, { retryKey });
    expect(answerOf(push(own, "Cgroup"))).toEqual({
      via: "push",
      to: "Cgroup",
      messages: [text("p")],
    });
    // Another event's push to the same chat is that event's.
    expect(answerOf(push(other, event.chatId))).toBeUndefined();
  });

  it("names a named channel's pushes after the channel's event key, not the bare id", () => {
    const sales = { ...event, eventKey: `sales/${event.webhookEventId}` };
    const answerOfSales = createAnswerMatcher(sales);
    const push = (retryKey: string) =>
      call("/v2/bot/message/push", { to: "Cgroup", messages: [text("p")] }, { retryKey });
    expect(answerOfSales(push(retryKeyFor(sales.eventKey, 0)))?.via).toBe("push");
    // The default channel's event with the same webhookEventId is another event.
    expect(answerOfSales(push(retryKeyFor(event.webhookEventId, 0)))).toBeUndefined();
  });

  it("takes a push without such a key by the event's chat", () => {
    const random = "3b241101-e2bb-4255-8caf-4136c566a962";
    const push = (to: string | string[], path = "/v2/bot/message/push") =>
      call(path, { to, messages: [text("p")] }, { retryKey: random });
    expect(answerOf(push(event.chatId))?.via).toBe("push");
    expect(answerOf(push(["Ubob", event.chatId], "/v2/bot/message/multicast"))?.via).toBe(
      "multicast",
    );
    expect(answerOf(push("Ubob"))).toBeUndefined();
  });

  it("ignores refused sends and calls that send nothing", () => {
    expect(
      answerOf(
        call(
          "/v2/bot/message/reply",
          { replyToken: "token-a", messages: [text("a")] },
          { status: 400 },
        ),
      ),
    ).toBeUndefined();
    expect(answerOf(call("/v2/bot/profile/Ualice", {}, { method: "GET" }))).toBeUndefined();
  });
});
