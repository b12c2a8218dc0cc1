import { execFile } from "node:child_process";
import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Bot } from "@linefleet/bot";
import { readDeclaredMenus } from "@linefleet/rich-menus";
import { repoRoot } from "@linefleet/test-support";
import { startBotTest } from "@linefleet/testing";
import { afterAll, describe, expect, inject, it } from "vitest";
import { lineAt } from "./richmenu-sync-command.ts";

/**
 * docs/rich-menus.md, run: its module and bot are written to files as they stand, each `sh` block
 * is run in bash (with `linefleet` on the PATH) against a bot test's emulator, and what the
 * commands print must be the `text` block that follows it, rich menu ids aside (each id the doc
 * shows stands for one id of the run, in the same places). A user of the doc's bot gets the plans
 * menu with `ctx.linkRichMenu` and keeps it through the sync that replaces it. The module shown
 * in packages/rich-menus/README.md is read as the sync reads it.
 */
const doc = readFileSync(join(repoRoot, "docs", "rich-menus.md"), "utf8");
const blocks = [...doc.matchAll(/^```(\w+)\n([\s\S]*?)^```$/gm)].map((m) => ({
  lang: m[1] ?? "",
  body: m[2] ?? "",
}));
const snippet = (name: string) => {
  const found = blocks.filter((b) => b.lang === "ts" && b.body.startsWith(`// ${name}\n`));
  if (found.length !== 1) throw new Error(`${found.length} snippets are ${name}`);
  return (found[0] as { body: string }).body;
};
/** Each `sh` block with the `text` block right after it. */
const commands = blocks.flatMap((block, i) => {
  const next = blocks[i + 1];
  return block.lang === "sh" && next?.lang === "text"
    ? [{ sh: block.body, output: next.body }]
    : [];
});

/** Names the ids of an output in order of appearance, so two runs compare as structures. */
function numberIds(text: string): string {
  const seen = new Map<string, string>();
  return text.trim().replace(/richmenu-[0-9a-f]{32}/g, (id) => {
    if (!seen.has(id)) seen.set(id, `<id ${seen.size + 1}>`);
    return seen.get(id) as string;
  });
}

let dir: string | undefined;
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("docs/rich-menus.md", () => {
  it("runs as written: sync, no-op, replace keeping a linked user's menu", async () => {
    expect(commands.map((c) => c.sh.trim().split("\n").at(-1))).toEqual([
      "linefleet richmenu sync rich-menus.ts --dry-run",
      "linefleet richmenu sync rich-menus.ts",
      "linefleet richmenu sync rich-menus.ts",
      "linefleet richmenu sync rich-menus.ts",
    ]);
    // Inside the repository, so the snippets' imports of @linefleet/* resolve as a project's do.
    dir = mkdtempSync(join(repoRoot, "tests", ".rich-menus-doc-"));
    const project = dir;
    writeFileSync(join(project, "rich-menus.ts"), snippet("rich-menus.ts"));
    writeFileSync(join(project, "bot.ts"), snippet("bot.ts"));
    mkdirSync(join(project, "menus"));
    const pictures = join(repoRoot, "examples/demo-bot/rich-menus");
    copyFileSync(join(pictures, "main.png"), join(project, "menus/home.png"));
    copyFileSync(join(pictures, "more.png"), join(project, "menus/plans.png"));
    copyFileSync(join(pictures, "main.png"), join(project, "new-plans.png"));
    // `linefleet` as an installed project has it.
    mkdirSync(join(project, "bin"));
    writeFileSync(
      join(project, "bin/linefleet"),
      `#!/bin/sh\nexec "${process.execPath}" "${join(repoRoot, "packages/linefleet/src/cli.ts")}" "$@"\n`,
    );
    chmodSync(join(project, "bin/linefleet"), 0o755);

    // The module as the sync reads it: two menus, `home` the default, the pictures found.
    const declared = await readDeclaredMenus(
      ((await import(pathToFileURL(join(project, "rich-menus.ts")).href)) as { default: unknown })
        .default,
      { baseDir: project, module: "rich-menus.ts" },
    );
    expect(declared.map((menu) => [menu.alias, menu.isDefault])).toEqual([
      ["home", true],
      ["plans", false],
    ]);
    // The package's README shows a module too: it reads as valid, with its picture.
    const readme = readFileSync(join(repoRoot, "packages/rich-menus/README.md"), "utf8");
    const readmeModule = /^```ts\n(\/\/ rich-menus\.ts\n[\s\S]*?)^```$/m.exec(readme)?.[1] ?? "";
    writeFileSync(join(project, "readme-menus.ts"), readmeModule);
    const fromReadme = await readDeclaredMenus(
      ((await import(pathToFileURL(join(project, "readme-menus.ts")).href)) as { default: unknown })
        .default,
      { baseDir: project, module: "readme-menus.ts" },
    );
    expect(fromReadme.map((menu) => menu.alias)).toEqual(["home"]);

    const { bot } = (await import(pathToFileURL(join(project, "bot.ts")).href)) as {
      // biome-ignore lint/suspicious/noExplicitAny: the doc's bot
      bot: Bot<any, any>;
    };
    const test = await startBotTest({ bot, redisUrl: inject("redisUrl") });
    try {
      const { emulator } = test;
      const run = (sh: string) =>
        new Promise<string>((resolve, reject) =>
          execFile(
            "bash",
            ["-e", "-c", sh],
            {
              cwd: project,
              env: {
                PATH: `${join(project, "bin")}:${process.env.PATH ?? ""}`,
                DEV_STATE_FILE: join(project, "no-dev-stack.json"),
                ...lineAt(emulator.url, emulator.channelAccessToken),
              },
            },
            (error, stdout, stderr) =>
              error ? reject(new Error(`${sh}\n${stderr}`)) : resolve(stdout),
          ),
        );
      const alias = async (name: string) =>
        (
          (await (
            await fetch(`${emulator.url}/v2/bot/richmenu/alias/${name}`, {
              headers: { authorization: `Bearer ${emulator.channelAccessToken}` },
            })
          ).json()) as { richMenuId: string }
        ).richMenuId;

      const [dryRun, first, second, replace] = commands as [
        (typeof commands)[0],
        (typeof commands)[0],
        (typeof commands)[0],
        (typeof commands)[0],
      ];
      expect(numberIds(await run(dryRun.sh))).toBe(numberIds(dryRun.output));
      expect(emulator.richMenuOf(test.user("Alice").id)).toBeNull();
      expect(numberIds(await run(first.sh))).toBe(numberIds(first.output));
      expect(numberIds(await run(second.sh))).toBe(numberIds(second.output));

      // The doc's bot: the plans menu becomes Alice's own; Bob sees the default.
      const alice = test.user("Alice");
      const bob = test.user("Bob");
      const home = await alias("home");
      expect((await alice.says("plans")).map((a) => a.text)).toEqual(["Here are our plans."]);
      expect(emulator.richMenuOf(alice.id)).toMatchObject({
        richMenuId: await alias("plans"),
        source: "user",
      });
      expect(emulator.richMenuOf(bob.id)).toMatchObject({ richMenuId: home, source: "default" });
      expect((await alice.presses("plan=pro")).map((a) => a.text)).toEqual(["You chose pro."]);

      // A new picture: the menu is replaced, and Alice keeps it.
      const oldPlans = await alias("plans");
      expect(numberIds(await run(replace.sh))).toBe(numberIds(replace.output));
      const newPlans = await alias("plans");
      expect(newPlans).not.toBe(oldPlans);
      expect(emulator.richMenuOf(alice.id)).toMatchObject({ richMenuId: newPlans, source: "user" });

      expect((await alice.says("home")).map((a) => a.text)).toEqual(["Back home."]);
      expect(emulator.richMenuOf(alice.id)).toMatchObject({ richMenuId: home, source: "default" });
    } finally {
      await test.stop();
    }
  });
});
