import { describe, expectTypeOf, it } from "vitest";
import {
  type BotContext,
  type BotLogger,
  type ChatType,
  createBot,
  type Postback,
  type PostbackParams,
} from "../src/index.ts";

// Type-level tests: `pnpm typecheck` fails if these types regress; vitest runs them as no-ops.
describe("context typing", () => {
  it("narrows the event by route", () => {
    createBot()
      .on("follow", (ctx) => {
        expectTypeOf(ctx.event.follow.isUnblocked).toEqualTypeOf<boolean>();
      })
      .on("memberJoined", (ctx) => {
        expectTypeOf(ctx.event.joined.members).toBeArray();
      })
      .onMessage("location", (_ctx, location) => {
        expectTypeOf(location.latitude).toEqualTypeOf<number>();
      })
      .onText(/^(\w+)$/, (_ctx, match) => {
        expectTypeOf(match).toEqualTypeOf<RegExpExecArray>();
      })
      .onText("hi", (_ctx, text) => {
        expectTypeOf(text).toEqualTypeOf<string>();
      })
      .onPostback({ key: "plan" }, (_ctx, postback) => {
        expectTypeOf(postback.value).toEqualTypeOf<string>();
        expectTypeOf(postback.params).toEqualTypeOf<PostbackParams | undefined>();
      })
      .onPostback((_ctx, postback) => {
        expectTypeOf(postback).toEqualTypeOf<Postback>();
      })
      .onUnsend((_ctx, messageId) => {
        expectTypeOf(messageId).toEqualTypeOf<string>();
      });
  });

  it("types what middleware adds, for the handlers registered after it", () => {
    interface User {
      id: string;
      plan: "free" | "pro";
    }
    createBot()
      .onText((ctx) => {
        // @ts-expect-error no middleware has added `user` yet
        void ctx.user;
      })
      .use<{ user: User }>(async (ctx, next) => {
        ctx.user = { id: ctx.userId ?? "", plan: "free" };
        await next();
      })
      .extend((ctx) => ({ isPro: ctx.user.plan === "pro" }))
      .onText((ctx) => {
        expectTypeOf(ctx.user).toEqualTypeOf<User>();
        expectTypeOf(ctx.isPro).toEqualTypeOf<boolean>();
      })
      .on("follow", (ctx) => {
        expectTypeOf(ctx.user.plan).toEqualTypeOf<"free" | "pro">();
      });
  });

  it("types the session from its initial value", () => {
    createBot({
      session: { initial: () => ({ plan: "free" as "free" | "pro", visits: 0 }) },
    }).onText((ctx) => {
      expectTypeOf(ctx.session.visits).toEqualTypeOf<number>();
      ctx.session.plan = "pro";
      // @ts-expect-error not a plan
      ctx.session.plan = "gold";
    });
    createBot().onText((ctx) => {
      expectTypeOf(ctx.session).toEqualTypeOf<undefined>();
    });
  });

  it("keeps the context's own API on extended contexts", () => {
    createBot()
      .use<{ tenant: string }>(async (_ctx, next) => next())
      .onText((ctx) => {
        expectTypeOf(ctx).toExtend<BotContext<unknown, undefined>>();
        expectTypeOf(ctx.channel.name).toEqualTypeOf<string>();
      });
  });
});

describe("the context's newer parts", () => {
  it("logs as pino takes its arguments", () => {
    createBot().onText((ctx) => {
      ctx.log.info("a message alone");
      ctx.log.info({ orderId: 7 }, "an object, then a message");
      ctx.log.warn("printf style: %s", "latte");
      ctx.log.error({ err: new Error("x") });
      // @ts-expect-error a message is a string
      ctx.log.debug(42);
    });
    expectTypeOf<BotLogger["info"]>().toBeCallableWith("text");
  });

  it("types text, chat type, attempt, command arguments and the error hook", () => {
    createBot({ session: { initial: () => ({ cups: 0 }) } })
      .onText((ctx) => {
        expectTypeOf(ctx.text).toEqualTypeOf<string | undefined>();
        expectTypeOf(ctx.textWithoutMention).toEqualTypeOf<string | undefined>();
        expectTypeOf(ctx.chatType).toEqualTypeOf<ChatType | undefined>();
        expectTypeOf(ctx.attempt).toEqualTypeOf<number>();
      })
      .command("order", (_ctx, args) => {
        expectTypeOf(args).toEqualTypeOf<string>();
      })
      .onMention((_ctx, text) => {
        expectTypeOf(text).toEqualTypeOf<string>();
      })
      .on("join", () => {}, { chat: ["group", "room"] })
      .catch((error, ctx) => {
        expectTypeOf(error).toEqualTypeOf<unknown>();
        expectTypeOf(ctx.session.cups).toEqualTypeOf<number>();
      });
    // @ts-expect-error not a chat type
    createBot().on("join", () => {}, { chat: "channel" });
  });
});
