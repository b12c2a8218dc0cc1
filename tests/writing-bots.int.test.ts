import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import type { Bot } from "@linefleet/bot";
import { repoRoot } from "@linefleet/test-support";
import { type BotTest, startBotTest } from "@linefleet/testing";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";

/**
 * Every TypeScript snippet of docs/writing-bots.md, run: each is written to a file as it stands,
 * imported, and driven by its scenario below (a bot through `startBotTest`, a test file by running
 * its tests). A snippet no scenario covers, or a scenario whose snippet is gone, fails the test.
 */
const doc = readFileSync(join(repoRoot, "docs", "writing-bots.md"), "utf8");
const snippets = [...doc.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((match) => match[1] ?? "");

// biome-ignore lint/suspicious/noExplicitAny: any bot a snippet exports
type AnyBot = Bot<any, any>;
interface Scenario {
  /** Text that only this scenario's snippets contain (one entry per snippet it covers). */
  snippets: string[];
  run(load: (marker: string) => Promise<Record<string, unknown>>): Promise<void>;
}

const texts = (answers: Array<{ text: string | undefined }>) => answers.map((a) => a.text);

/** Runs a snippet's `bot` through the test kit. */
async function withBot(
  module: Record<string, unknown>,
  drive: (test: BotTest<unknown>) => Promise<void>,
  options: { attempts?: number } = {},
) {
  const test = await startBotTest({
    bot: module.bot as AnyBot,
    redisUrl: inject("redisUrl"),
    ...options,
  });
  try {
    await drive(test);
  } finally {
    await test.stop();
  }
}

/** Runs the tests a test-file snippet declared (with `it`/`afterAll` of the shim), in order. */
async function runTestFile(load: () => Promise<Record<string, unknown>>, shim: string) {
  await load();
  const { collected } = (await import(pathToFileURL(shim).href)) as {
    collected: { tests: Array<[string, () => Promise<void>]>; afterAll: Array<() => unknown> };
  };
  expect(collected.tests.length).toBeGreaterThan(0);
  try {
    for (const [, test] of collected.tests) await test();
  } finally {
    for (const hook of collected.afterAll) await hook();
  }
}

const scenarios: Scenario[] = [
  {
    snippets: ["// src/bot.ts", "// test/bot.test.ts"],
    async run(load) {
      await runTestFile(() => load("// test/bot.test.ts"), shimOf("// test/bot.test.ts"));
      await withBot(await load("// src/bot.ts"), async (test) => {
        const alice = test.user("Alice");
        expect(
          texts(await alice.sends({ type: "sticker", packageId: "1", stickerId: "1" })),
        ).toEqual([]);
      });
    },
  },
  {
    snippets: ['onPostback("action=start"'],
    run: async (load) =>
      withBot(await load('onPostback("action=start"'), async (test) => {
        const answers = await test.user("Alice").presses("action=start", { date: "2026-12-24" });
        expect(texts(answers)).toEqual(["Your plan starts on 2026-12-24."]);
      }),
  },
  {
    snippets: ['.command("order", (ctx, args)'],
    run: async (load) =>
      withBot(await load('.command("order", (ctx, args)'), async (test) => {
        const alice = test.user("Alice");
        expect(texts(await alice.says("Order latte"))).toEqual(["One latte, coming up."]);
        expect(texts(await alice.says("/order"))).toEqual(["Order what?"]);
        expect(texts(await alice.says("menu"))).toEqual(["Try: order latte"]);
        expect(texts(await alice.says("/menu"))).toEqual(["Latte, flat white, espresso."]);
        const { groupId } = test.emulator.addGroup({ groupName: "office", memberIds: [alice.id] });
        const chat = { type: "group" as const, groupId };
        const inGroup = (text: string, mentionBot = false) =>
          test.send({ type: "text", from: alice.id, chat, text, mentionBot });
        expect(texts(await inGroup("order flat white", true))).toEqual([
          "One flat white, coming up.",
        ]);
        expect(texts(await inGroup("hello", true))).toEqual(['You said "hello". Try: order latte']);
        expect(texts(await inGroup("lunch?"))).toEqual([]);
      }),
  },
  {
    snippets: ['chat: ["group", "room"]'],
    run: async (load) =>
      withBot(await load('chat: ["group", "room"]'), async (test) => {
        const alice = test.user("Alice");
        const { groupId } = test.emulator.addGroup({ groupName: "office", memberIds: [alice.id] });
        const chat = { type: "group" as const, groupId };
        expect(texts(await test.send({ type: "join", chat }))).toEqual([
          "Hello everyone! Mention me to order.",
        ]);
        expect(texts(await test.send({ type: "text", from: alice.id, chat, text: "hi" }))).toEqual([
          "(group) hi",
        ]);
        expect(texts(await alice.says("hi"))).toEqual(["hi"]);
      }),
  },
  {
    snippets: ["const started = Date.now();"],
    run: async (load) =>
      withBot(await load("const started = Date.now();"), async (test) => {
        expect(texts(await test.user("Alice").says("timed"))).toEqual(["timed"]);
      }),
  },
  {
    snippets: [".use<{ user: User }>"],
    run: async (load) =>
      withBot(await load(".use<{ user: User }>"), async (test) => {
        expect(texts(await test.user("Alice").says("plan?"))).toEqual(["You are on free"]);
      }),
  },
  {
    snippets: [".extend((ctx) => ({ greeting"],
    run: async (load) =>
      withBot(await load(".extend((ctx) => ({ greeting"), async (test) => {
        const alice = test.user("Alice");
        expect(texts(await alice.says("hey"))).toEqual(["Hi!"]);
        const { groupId } = test.emulator.addGroup({ groupName: "g", memberIds: [alice.id] });
        const chat = { type: "group" as const, groupId };
        expect(texts(await test.send({ type: "text", from: alice.id, chat, text: "hey" }))).toEqual(
          ["Hi all!"],
        );
      }),
  },
  {
    snippets: ['ctx.reply("Hello!", { type: "sticker"'],
    run: async (load) =>
      withBot(await load('ctx.reply("Hello!", { type: "sticker"'), async (test) => {
        const answers = await test.user("Alice").says("hello");
        expect(answers.map((a) => [a.via, a.message.type])).toEqual([
          ["reply", "text"],
          ["reply", "sticker"],
        ]);
      }),
  },
  {
    snippets: ["// Quick replies: buttons under a message"],
    run: async (load) =>
      withBot(await load("// Quick replies: buttons under a message"), async (test) => {
        const alice = test.user("Alice");
        const [size] = await alice.says("size");
        expect(size?.message.quickReply).toMatchObject({ items: [{}, {}, {}] });
        const [plans] = await alice.says("plans");
        expect(plans?.message).toMatchObject({ type: "template", template: { type: "buttons" } });
        const [flex] = await alice.says("flex");
        expect(flex?.message).toMatchObject({ type: "flex", contents: { type: "bubble" } });
      }),
  },
  {
    snippets: ["await ctx.showLoading(10);"],
    run: async (load) =>
      withBot(await load("await ctx.showLoading(10);"), async (test) => {
        expect(texts(await test.user("Alice").says("slow"))).toEqual(["Done."]);
        const loading = test.emulator
          .apiCalls()
          .filter((call) => call.path === "/v2/bot/chat/loading/start");
        expect(loading).toHaveLength(1);
      }),
  },
  {
    snippets: ['onMessage("image"'],
    run: async (load) =>
      withBot(await load('onMessage("image"'), async (test) => {
        const bytes = Buffer.from("an image of a latte");
        const answers = await test
          .user("Alice")
          .sends({ type: "image", contentBase64: bytes.toString("base64") });
        expect(texts(answers)).toEqual([`Image received: ${bytes.length} bytes.`]);
      }),
  },
  {
    snippets: ["interface Member { name?: string; age?: number }"],
    run: async (load) =>
      withBot(await load("interface Member { name?: string"), async (test) => {
        const ann = test.user("Ann");
        expect(texts(await ann.says("signup"))).toEqual(["What is your name?"]);
        expect(texts(await ann.says("Ann"))).toEqual(["How old are you, Ann?"]);
        // Not a number: the wait does not take it, the echo route does.
        expect(texts(await ann.says("old"))).toEqual(["old"]);
        expect(texts(await ann.says("33"))).toEqual(["Free or Pro?"]);
        expect(texts(await ann.says("pro"))).toEqual(["Welcome, Ann!"]);
        expect(await test.session(ann.id)).toEqual({ name: "Ann", age: 33 });
        // Left by /cancel at any step: the escape and what follows go to the routes.
        await ann.says("signup");
        expect(texts(await ann.says("/cancel"))).toEqual(["/cancel"]);
        expect(texts(await ann.says("Anna"))).toEqual(["Anna"]);
      }),
  },
  {
    snippets: ["conversations: { cancel: /^(stop|quit)$/i"],
    run: async (load) =>
      withBot(await load("conversations: { cancel: /^(stop|quit)$/i"), async (test) => {
        const ben = test.user("Ben");
        const [asked] = texts(await ben.says("delete my data"));
        const code = /^Say (\d{4}) to confirm\.$/.exec(asked ?? "")?.[1];
        expect(code).toBeDefined();
        expect(texts(await ben.says("0"))).toEqual([]); // dropped: unmatched "ignore"
        expect(texts(await ben.says(code ?? ""))).toEqual(["Confirmed."]);
        await ben.says("delete my data");
        expect(texts(await ben.says("STOP"))).toEqual(["Say 'delete my data' to start."]);
      }),
  },
  {
    snippets: ["interface Order { ordering: boolean; coffees: number }"],
    run: async (load) =>
      withBot(await load("interface Order { ordering: boolean"), async (test) => {
        const alice = test.user("Alice");
        expect(texts(await alice.says("order"))).toEqual(["Which size? S, M or L"]);
        expect(texts(await alice.says("M"))).toEqual(["One M coffee coming up (coffee #1)."]);
        expect(texts(await alice.says("thanks"))).toEqual(["thanks"]);
        expect(await test.session(alice.id)).toEqual({ ordering: false, coffees: 1 });
      }),
  },
  {
    snippets: [".onUnsend((ctx, messageId)"],
    run: async (load) =>
      withBot(await load(".onUnsend((ctx, messageId)"), async (test) => {
        const alice = test.user("Alice");
        const said = await alice.says("a secret");
        expect(texts(said)).toEqual([]);
        const messageId = said.event.messageId ?? "";
        const answers = await alice.sends({ type: "unsend", messageId });
        expect(answers.map((a) => [a.via, a.text])).toEqual([
          ["push", "Forgotten. 0 messages kept."],
        ]);
      }),
  },
  {
    snippets: ['.command("pay"'],
    run: async (load) =>
      withBot(
        await load('.command("pay"'),
        async (test) => {
          const alice = test.user("Alice");
          expect(texts(await alice.says("hi"))).toEqual(["Say: pay"]);
          // Two attempts rethrow (retried), the third answers and handles the error.
          expect(texts(await alice.says("pay"))).toEqual([
            "Sorry, we could not take your payment. Please try again later.",
          ]);
        },
        { attempts: 3 },
      ),
  },
  {
    snippets: ["// src/coffee-bot.ts", "// test/coffee-bot.test.ts"],
    run: (load) =>
      runTestFile(() => load("// test/coffee-bot.test.ts"), shimOf("// test/coffee-bot.test.ts")),
  },
  {
    snippets: ['ctx.channel.name === "support"'],
    run: async (load) =>
      withBot(await load('ctx.channel.name === "support"'), async (test) => {
        expect(texts(await test.user("Alice").says("help"))).toEqual(["help"]);
      }),
  },
  {
    snippets: ["remind me in"],
    run: async (load) =>
      withBot(await load("remind me in"), async (test) => {
        const alice = test.user("Alice");
        expect(texts(await alice.says("remind me in 5 min"))).toEqual([
          'OK, in 5 min. Say "cancel" to cancel it.',
        ]);
        await test.clock.advance(5 * 60_000);
        expect(test.answers(alice.id).at(-1)).toMatchObject({
          via: "push",
          text: "Time's up: your reminder!",
        });
        expect(texts(await alice.says("cancel"))).toEqual(["Already sent."]);
        await alice.says("remind me in 1 min");
        expect(texts(await alice.says("cancel"))).toEqual(["Cancelled."]);
        await test.clock.advance(60_000);
        // (Answers are pushes now: the workers' clock is ahead of LINE's, so reply tokens are old.)
        const reminders = test
          .answers(alice.id)
          .filter((answer) => answer.text?.startsWith("Time's up"));
        expect(reminders).toHaveLength(1);
        expect(texts(await test.user("Bob").says("cancel"))).toEqual(["Nothing to cancel."]);
      }),
  },
  {
    snippets: ['onSchedule<{ item: string }>("ready"'],
    run: async (load) =>
      withBot(await load('onSchedule<{ item: string }>("ready"'), async (test) => {
        const alice = test.user("Alice");
        expect(texts(await alice.says("order latte"))).toEqual(["One latte, ready in 5 minutes."]);
        await test.clock.advance(5 * 60_000);
        expect(test.answers(alice.id).at(-1)).toMatchObject({
          via: "push",
          text: "Your latte is ready (coffee #1).",
        });
        expect(await test.session(alice.id)).toEqual({ coffees: 1 });
      }),
  },
  {
    snippets: ['every("morning-report"'],
    run: async (load) =>
      withBot(await load('every("morning-report"'), async (test) => {
        const alice = test.user("Alice");
        await alice.says("subscribe");
        // A day passes: one 9 o'clock in Tokyo, one report.
        await test.clock.advance(24 * 60 * 60_000);
        const pushed = test.answers(alice.id).filter((answer) => answer.text?.startsWith("Report"));
        expect(pushed).toHaveLength(1);
        expect(pushed[0]?.text).toMatch(/^Report for \d{4}-\d{2}-\d{2}: all good\.$/);
      }),
  },
];

let dir = "";
/** Where a snippet lives: the path its first line names (`// src/bot.ts`), else its own file. */
const files = new Map<string, string>();
const shims = new Map<string, string>();
const shimOf = (marker: string) => shims.get(marker) ?? "";

/** The vitest functions a test-file snippet calls: collected here, run by `runTestFile`. */
const shimSource = `import { expect } from "vitest";
export { expect };
export const collected = { tests: [], afterAll: [] };
export const it = (name, test) => void collected.tests.push([name, test]);
export const afterAll = (hook) => void collected.afterAll.push(hook);
`;

const snippetFor = (marker: string) => {
  const found = snippets.filter((snippet) => snippet.includes(marker));
  if (found.length !== 1) throw new Error(`${found.length} snippets contain ${marker}`);
  return found[0] as string;
};

beforeAll(() => {
  // Inside the repository, so the snippets' imports of @linefleet/* resolve as a project's do.
  dir = mkdtempSync(join(repoRoot, "tests", ".writing-bots-"));
  snippets.forEach((snippet, index) => {
    const named = /^\/\/ ((?:src|test)\/[\w.-]+\.ts)\n/.exec(snippet)?.[1];
    const file = join(dir, named ?? `snippets/snippet-${index}.ts`);
    let source = snippet;
    if (source.includes('from "vitest"')) {
      const shim = join(dir, `vitest-shim-${index}.mjs`);
      writeFileSync(shim, shimSource);
      shims.set(`// ${named}`, shim);
      source = source.replace('from "vitest"', `from ${JSON.stringify(shim)}`);
    }
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, source);
    files.set(snippet, file);
    // As written, for the type checker (which reads vitest's own types).
    const typed = join(dir, "typed", named ?? `snippets/snippet-${index}.ts`);
    mkdirSync(dirname(typed), { recursive: true });
    writeFileSync(typed, snippet);
  });
  writeFileSync(
    join(dir, "typed", "tsconfig.json"),
    JSON.stringify({
      extends: "../../../tsconfig.base.json",
      // The store's declaration of an untyped dependency: the packages are read as sources here.
      include: ["**/*.ts", "../../../packages/store/src/redis-model/cluster-key-slot.d.ts"],
    }),
  );
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const load = async (marker: string) =>
  (await import(pathToFileURL(files.get(snippetFor(marker)) ?? "").href)) as Record<
    string,
    unknown
  >;

describe("docs/writing-bots.md", () => {
  it("has a scenario for every TypeScript snippet, and a snippet for every scenario", () => {
    expect(snippets.length).toBeGreaterThan(10);
    const markers = scenarios.flatMap((scenario) => scenario.snippets);
    for (const marker of markers) snippetFor(marker);
    const uncovered = snippets.filter(
      (snippet) => markers.filter((marker) => snippet.includes(marker)).length !== 1,
    );
    expect(uncovered).toEqual([]);
  });

  it("typechecks every snippet as written, with the repository's strict settings", async () => {
    const tsc = join(repoRoot, "node_modules", ".bin", "tsc");
    const checked = await promisify(execFile)(tsc, ["-p", join(dir, "typed")]).then(
      () => "",
      (error: { stdout?: string }) => error.stdout ?? String(error),
    );
    expect(checked).toBe("");
  });

  it("starts from create-linefleet, as the README's section on your own project", () => {
    // The commands themselves are run by the packing and installing test of the README's section.
    expect(doc).toMatch(/^pnpm release:pack\b/m);
    expect(doc).toMatch(
      /^npx .*create-linefleet-\*\.tgz create-linefleet \S+ --packages \.\/release$/m,
    );
    expect(doc).toContain("npm create linefleet@latest my-bot");
    expect(doc).toContain("(../README.md#use-linefleet-in-your-own-project)");
  });

  for (const scenario of scenarios) {
    it(`runs ${scenario.snippets.join(" and ")}`, () => scenario.run(load));
  }
});
