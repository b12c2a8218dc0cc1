import { createBot } from "@linefleet/bot";
import { describe, expectTypeOf, it } from "vitest";
import type { BotTest, SessionOf, startBotTest } from "../src/index.ts";

// Type-level tests: `pnpm typecheck` fails if these types regress; vitest runs them as no-ops.
describe("the test kit's types follow the bot", () => {
  const shop = createBot({
    session: { initial: () => ({ cart: [] as string[], table: undefined as number | undefined }) },
  }).use<{ tenant: string }>(async (_ctx, next) => next());

  it("types test.session() as the bot's session", () => {
    expectTypeOf<SessionOf<typeof shop>>().toEqualTypeOf<{
      cart: string[];
      table: number | undefined;
    }>();
    type ShopTest = Awaited<ReturnType<typeof startBotTest<typeof shop>>>;
    const cartOf = async (test: ShopTest) => (await test.session("U1"))?.cart;
    expectTypeOf(cartOf).returns.toEqualTypeOf<Promise<string[] | undefined>>();
  });

  it("types it as unknown for a module path, and lets the test name it", () => {
    type ModuleTest = Awaited<ReturnType<typeof startBotTest<string>>>;
    expectTypeOf<ModuleTest>().toEqualTypeOf<BotTest<unknown>>();
    const named = async (test: ModuleTest) => (await test.session<{ count: number }>("U1"))?.count;
    expectTypeOf(named).returns.toEqualTypeOf<Promise<number | undefined>>();
  });

  it("a bot without a session has none", () => {
    const plain = createBot();
    expectTypeOf<SessionOf<typeof plain>>().toEqualTypeOf<undefined>();
  });
});
