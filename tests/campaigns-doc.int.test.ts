import { spawn } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { campaignSchema } from "@linefleet/campaigns";
import { repoRoot } from "@linefleet/test-support";
import { cliPath } from "linefleet";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type EmulatedStack, startEmulatedStack } from "./emulated-stack.ts";

/**
 * Every snippet of docs/campaigns.md, run: its files written as the doc names them, its shell
 * blocks run by bash with `linefleet` on the PATH, its TypeScript imported, against real workers
 * and the emulator. A snippet no scenario covers, or a scenario whose snippet is gone, fails.
 */
const doc = readFileSync(join(repoRoot, "docs", "campaigns.md"), "utf8");
const fences = [...doc.matchAll(/^```(\w+)\n([\s\S]*?)^```$/gm)].map((match) => ({
  lang: match[1] ?? "",
  body: match[2] ?? "",
  at: match.index ?? 0,
}));

/** The files a doc paragraph names before its blocks ("`vip.json` and `vip-ids.txt`:"). */
function namedFiles(): Map<string, string> {
  const files = new Map<string, string>();
  for (const label of doc.matchAll(/^((?:`[\w.-]+\.(?:json|txt)`(?: and )?)+):$/gm)) {
    const names = [...(label[1] ?? "").matchAll(/`([\w.-]+)`/g)].map((name) => name[1] ?? "");
    const after = fences.filter((fence) => fence.at > (label.index ?? 0)).slice(0, names.length);
    for (const [i, name] of names.entries()) files.set(name, after[i]?.body ?? "");
  }
  return files;
}

const vips = [
  "U4af4980629a1b2c3d4e5f60718293a4b",
  "U5bf5a9173ab2c3d4e5f60718293a4b5c",
  "U6cf6ba284bc3d4e5f60718293a4b5c6d",
];
const followers = 2_003;

describe("docs/campaigns.md", () => {
  let stack: EmulatedStack;
  let dir: string;
  const covered = new Set<string>();

  beforeAll(async () => {
    dir = mkdtempSync(join(repoRoot, "tests", ".campaigns-doc-"));
    for (const [name, body] of namedFiles()) writeFileSync(join(dir, name), body);
    // `linefleet` as a project that installs it has it.
    writeFileSync(
      join(dir, "linefleet"),
      `#!/bin/sh\nexec "${process.execPath}" "${cliPath}" "$@"\n`,
    );
    chmodSync(join(dir, "linefleet"), 0o755);
    stack = await startEmulatedStack({
      redisUrl: inject("redisUrl"),
      workers: 2,
      // One multicast a second: slow enough to pause a campaign of 5 chunks on its way.
      workerEnv: { CAMPAIGN_MULTICAST_PER_SECOND: "1" },
      emulator: {
        users: [
          ...vips.map((userId, i) => ({ userId, displayName: `vip ${i}` })),
          ...Array.from({ length: followers - vips.length }, (_, i) => ({
            displayName: `user ${i}`,
          })),
        ],
      },
    });
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
    rmSync(dir, { recursive: true, force: true });
    const blocks = fences.filter((fence) => fence.lang === "sh" || fence.lang === "ts");
    expect(blocks.filter((block) => !covered.has(block.body)).map((b) => b.body)).toEqual([]);
  });

  /** The doc's block containing `marker`, once: it counts as covered. */
  function block(lang: string, marker: string): string {
    const found = fences.filter((fence) => fence.lang === lang && fence.body.includes(marker));
    expect(found, `one ${lang} block with ${marker}`).toHaveLength(1);
    covered.add(found[0]?.body ?? "");
    return found[0]?.body ?? "";
  }

  /** Runs a shell block as a user would, in the doc's directory; its exit code and output. */
  function sh(script: string, cwd = dir): Promise<{ code: number | null; output: string }> {
    return new Promise((resolve) => {
      const child = spawn("bash", ["-c", script], {
        cwd,
        env: {
          ...process.env,
          PATH: `${dir}:${process.env.PATH}`,
          REDIS_URL: inject("redisUrl"),
          QUEUE_PREFIX: stack.prefix,
        },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let output = "";
      child.stdout.on("data", (chunk) => {
        output += chunk;
      });
      child.stderr.on("data", (chunk) => {
        output += chunk;
      });
      child.on("close", (code) => resolve({ code, output }));
    });
  }

  const counts = (kind = "multicast") => stack.emulator.recipientCounts(kind);

  it("has valid campaign files, the demo bot's sample among them", () => {
    const files = namedFiles();
    expect([...files.keys()].sort()).toEqual(["spring-sale.json", "vip-ids.txt", "vip.json"]);
    for (const [name, body] of files) {
      if (name.endsWith(".json"))
        expect(campaignSchema.safeParse(JSON.parse(body)).success).toBe(true);
    }
    const sample = readFileSync(
      join(repoRoot, "examples/demo-bot/campaigns/spring-sale.json"),
      "utf8",
    );
    expect(campaignSchema.safeParse(JSON.parse(sample)).success).toBe(true);
  });

  it("sends the demo bot's sample campaign with pnpm campaign", async () => {
    stack.emulator.reset();
    const { code, output } = await sh(block("sh", "pnpm campaign send"), repoRoot);
    expect(code, output).toBe(0);
    expect(output).toContain(`done: sent to ${followers} of ${followers} recipients`);
    expect(counts().recipients).toBe(followers);
  });

  it("send: prints the id first, follows, and says how it ended", async () => {
    stack.emulator.reset();
    const { code, output } = await sh(block("sh", "linefleet campaign send vip.json"));
    expect(code, output).toBe(0);
    const lines = output.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^c[0-9a-z]+$/);
    expect(lines.at(-1)).toMatch(/^done: sent to 3 of 3 recipients in \d+s$/);
    // The doc's sample output has the same shape.
    const sample = fences.find(
      (fence) => fence.lang === "text" && fence.body.includes("done: sent to 3"),
    );
    expect(sample?.body.trimEnd().split("\n").at(-1)).toMatch(
      /^done: sent to 3 of 3 recipients in \d+s$/,
    );
    expect(Object.keys(counts().counts).sort()).toEqual([...vips].sort());
  });

  it("status, pause, resume, list", async () => {
    stack.emulator.reset();
    const { code, output } = await sh(block("sh", 'linefleet campaign pause "$id"'));
    expect(code, output).toBe(0);
    const id = /^paused (\S+)$/m.exec(output)?.[1];
    expect(id).toBeDefined();
    expect(output).toMatch(/^state: {6}paused$/m);
    expect(output).toContain(`resumed ${id}`);
    expect(output).toContain(`done: sent to ${followers} of ${followers} recipients`);
    expect(output).toMatch(new RegExp(`^${id}  done `, "m"));
    expect(counts().recipients).toBe(followers);
    expect(Object.values(counts().counts).every((n) => n === 1)).toBe(true);
  }, 60_000);

  it("--at schedules, cancel cancels", async () => {
    stack.emulator.reset();
    const { code, output } = await sh(block("sh", "--at +1h"));
    expect(code, output).toBe(0);
    expect(output).toMatch(/^state: {6}scheduled$/m);
    expect(output).toMatch(/^cancelled c\S+$/m);
    expect(counts().recipients).toBe(0);
  });

  it("refuses over the quota with the numbers; --allow-over-quota stops at LINE's limit; retry", async () => {
    stack.emulator.reset();
    stack.emulator.configure({ messageQuota: 1_000 });
    try {
      const refused = await sh(block("sh", "linefleet campaign send spring-sale.json\n"));
      expect(refused.code, refused.output).toBe(1);
      const said = fences.find(
        (fence) => fence.lang === "text" && fence.body.startsWith("refused:"),
      );
      expect(refused.output.trimEnd().split("\n").at(-1)).toBe(said?.body.trimEnd());

      const allowed = await sh(block("sh", "--allow-over-quota"));
      expect(allowed.code, allowed.output).toBe(0);
      const stopped = /stopped: LINE's monthly limit reached; sent (\d+), not sent (\d+)/.exec(
        allowed.output,
      );
      expect(stopped, allowed.output).not.toBeNull();
      const notSent = readFileSync(join(dir, "not-sent.txt"), "utf8").trim().split("\n");
      expect(notSent).toHaveLength(Number(stopped?.[2]));
      expect(Number(stopped?.[1])).toBe(counts().recipients);
      expect(allowed.output).toMatch(/^sending \d+ chunk\(s\) again: /m);
    } finally {
      stack.emulator.configure({ messageQuota: null });
    }
  }, 60_000);

  it("runs the README's campaign commands", async () => {
    stack.emulator.reset();
    const readme = readFileSync(join(repoRoot, "README.md"), "utf8");
    const section = readme.slice(readme.indexOf("## Campaigns"), readme.indexOf("## Commands"));
    const script = /^```sh\n([\s\S]*?)^```$/m.exec(section)?.[1] ?? "";
    expect(script).toContain(
      "linefleet campaign send examples/demo-bot/campaigns/spring-sale.json",
    );
    const { code, output } = await sh(script, repoRoot);
    expect(code, output).toBe(0);
    expect(output).toMatch(/^state: {6}(paused|preparing|sending)/m);
    expect(output).toContain(`done: sent to ${followers} of ${followers} recipients`);
    expect(output).toContain("nothing to retry");
    expect(counts().recipients).toBe(followers);
  }, 60_000);

  it("the API: an async iterable of IDs as the audience", async () => {
    stack.emulator.reset();
    const file = join(dir, "from-code.ts");
    writeFileSync(file, block("ts", "createCampaigns"));
    process.env.REDIS_URL = inject("redisUrl");
    process.env.QUEUE_PREFIX = stack.prefix;
    const module = (await import(pathToFileURL(file).href)) as {
      id: string;
      status: { name: string };
    };
    expect(module.id).toMatch(/^c/);
    expect(module.status.name).toBe("Spring is back");
    await stack.emulator.waitForBotMessages(vips[2] ?? "", { timeoutMs: 30_000 });
    expect(Object.keys(counts().counts).sort()).toEqual([vips[0], vips[2]].sort());
  });
});
