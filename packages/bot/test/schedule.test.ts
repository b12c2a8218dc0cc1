import type { LineClient } from "@linefleet/line-client";
import { describe, expect, it } from "vitest";
import { createContext } from "../src/create-context.ts";
import {
  type BotServices,
  type BotStorage,
  ContextUsageError,
  createBot,
  NonRetriableError,
  type Responder,
  type ScheduledWork,
  type Scheduler,
} from "../src/index.ts";
import { fakeContext, text } from "./fake-context.ts";

const NOW = Date.UTC(2026, 11, 24, 9, 0);

/** A context whose scheduler records what it was asked, at a fixed clock. */
function scheduling(event: Record<string, unknown>, names = new Set<string>()) {
  const scheduled: Array<{ dueAt: number; work: ScheduledWork }> = [];
  const cancelled: string[] = [];
  const scheduler: Scheduler = {
    async schedule(dueAt, work) {
      scheduled.push({ dueAt, work });
      return { id: `item-${scheduled.length}` };
    },
    async cancel(id) {
      cancelled.push(id);
      return { status: "too_late" };
    },
  };
  const { context: base } = fakeContext(event);
  const context = createContext({
    destination: "Ubot",
    event: base.event,
    channel: { name: "default" },
    client: {} as LineClient,
    responder: { replyDeadline: 0 } as unknown as Responder,
    storage: {} as BotStorage,
    services: {} as BotServices,
    log: base.log,
    session: undefined,
    attempt: 1,
    scheduler,
    scheduledNames: names,
    now: () => NOW,
  });
  return { context, scheduled, cancelled };
}

describe("scheduling from a context", () => {
  it("turns when into a due time: ms from now, a Date, never in the past", async () => {
    const { context, scheduled } = scheduling(text("hi"));
    await context.pushLater(60_000, "in a minute");
    await context.pushLater(new Date(NOW + 3_600_000), "in an hour", {
      type: "sticker",
      packageId: "1",
      stickerId: "2",
    });
    await context.pushLater(new Date(NOW - 5_000), "overdue: now");
    expect(scheduled).toEqual([
      {
        dueAt: NOW + 60_000,
        work: { kind: "push", messages: [{ type: "text", text: "in a minute" }] },
      },
      {
        dueAt: NOW + 3_600_000,
        work: {
          kind: "push",
          messages: [
            { type: "text", text: "in an hour" },
            { type: "sticker", packageId: "1", stickerId: "2" },
          ],
        },
      },
      { dueAt: NOW, work: { kind: "push", messages: [{ type: "text", text: "overdue: now" }] } },
    ]);
    await expect(context.pushLater(1_000)).rejects.toThrow(RangeError);
    await expect(context.pushLater(Number.NaN, "x")).rejects.toThrow(RangeError);
  });

  it("keeps a handler's data as JSON, and refuses a name no onSchedule registered", async () => {
    const { context, scheduled, cancelled } = scheduling(text("hi"), new Set(["ready"]));
    await context.schedule("ready", 1_000, { item: "latte", at: new Date(NOW), skip: undefined });
    expect(scheduled[0]?.work).toEqual({
      kind: "handler",
      name: "ready",
      data: { item: "latte", at: new Date(NOW).toISOString() },
    });
    await expect(context.schedule("missing", 1_000)).rejects.toBeInstanceOf(ContextUsageError);
    expect(await context.cancelLater("item-1")).toEqual({ status: "too_late" });
    expect(cancelled).toEqual(["item-1"]);
  });

  it("fails with a clear error where nothing can be scheduled (no chat, no runtime's scheduler)", async () => {
    const { context } = fakeContext(text("hi"));
    await expect(context.pushLater(1_000, "x")).rejects.toBeInstanceOf(ContextUsageError);
    await expect(context.cancelLater("x")).rejects.toThrow(/needs a chat/);
  });
});

describe("scheduled handlers and recurring jobs on the bot", () => {
  const scheduledEvent = (name: string, data: unknown) => ({
    type: "scheduled",
    replyToken: undefined,
    scheduled: { id: "item-1", name, scheduledAt: NOW, position: 0, data },
  });

  it("runs the named handler after the middleware, with its data, and no route", async () => {
    const seen: string[] = [];
    const bot = createBot()
      .use(async (ctx, next) => {
        seen.push(`middleware ${ctx.event.type}`);
        await next();
      })
      .onText(() => void seen.push("text route"))
      .fallback(() => void seen.push("fallback"))
      .onSchedule<{ item: string }>("ready", (ctx, data) => {
        seen.push(`ready ${data.item} (${ctx.event.scheduled.id})`);
      });
    await bot.dispatch(fakeContext(scheduledEvent("ready", { item: "latte" })).context);
    expect(seen).toEqual(["middleware scheduled", "ready latte (item-1)"]);
  });

  it("fails an item for good when its handler is gone", async () => {
    const bot = createBot().onSchedule("ready", () => {});
    await expect(
      bot.dispatch(fakeContext(scheduledEvent("gone", null)).context),
    ).rejects.toBeInstanceOf(NonRetriableError);
  });

  it("checks names and schedules as they are declared", () => {
    const bot = createBot().onSchedule("ready", () => {});
    expect(() => bot.onSchedule("ready", () => {})).toThrow(/name of its own/);
    expect(() => bot.every("fast", { everyMs: 10 }, () => {})).toThrow(/at least 1000/);
    expect(() => bot.every("bad name!", { everyMs: 1_000 }, () => {})).toThrow(/letters, digits/);
    expect(() => bot.every("no-cron", { cron: " " }, () => {})).toThrow(/cron/);
    bot
      .every("report", { cron: "0 9 * * *", tz: "Asia/Tokyo", channel: "shop" }, () => {})
      .every("beat", { everyMs: 60_000 }, () => {});
    expect(() => bot.every("beat", { everyMs: 1_000 }, () => {})).toThrow(/exists/);
    expect(
      bot.recurringJobs.map(({ name, schedule, channel }) => ({ name, schedule, channel })),
    ).toEqual([
      { name: "report", schedule: { cron: "0 9 * * *", tz: "Asia/Tokyo" }, channel: "shop" },
      { name: "beat", schedule: { everyMs: 60_000 }, channel: undefined },
    ]);
    expect([...bot.scheduledNames]).toEqual(["ready"]);
  });
});
