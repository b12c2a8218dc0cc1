import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createEmulator, type Emulator } from "@linefleet/emulator";
import { repoRoot, type Stack, startStack, waitFor, waitForIdle } from "@linefleet/test-support";
import { afterAll, describe, expect, inject, it } from "vitest";
import { writeChannelsFile } from "./channels-file.ts";

describe("a dead letter of a named channel", () => {
  let emulator: Emulator | undefined;
  let stack: Stack | undefined;
  afterAll(async () => {
    await stack?.stop();
    await emulator?.close();
  });

  it("is listed with what it sent, and replayed by its webhookEventId without repeating it", async () => {
    const marker = join(tmpdir(), `linefleet-fail-${randomUUID()}`);
    writeFileSync(marker, "");
    emulator = createEmulator({
      channelName: "shop",
      channelSecret: "shop-channel-secret",
      channelAccessToken: "shop-access-token",
      redelivery: { enabled: false },
    });
    await emulator.listen();
    stack = await startStack({
      redisUrl: inject("redisUrl"),
      lineApiUrl: emulator.url,
      env: {
        CHANNELS_FILE: writeChannelsFile([
          {
            name: "shop",
            channelSecret: "shop-channel-secret",
            channelAccessToken: "shop-access-token",
          },
        ]),
      },
      ingressEnv: { LINE_API_BASE_URL: emulator.url },
      workerEnv: { BOT_MODULE: "tests/bots/fail-on-marker.ts", FAIL_MARKER: marker },
    });
    emulator.configure({ webhookUrl: `${stack.ingressUrl}/webhook/shop` });
    const s = stack;
    const e = emulator;
    const user = e.state().users[0]?.userId ?? "";
    const sent = e.sendEvent({ type: "text", from: user, text: "order 7", channel: "shop" });
    await s.workers[0]?.waitForLine((line) => line.msg === "event dead-lettered");

    const cli = (...args: string[]) =>
      runCli(args, { REDIS_URL: inject("redisUrl"), QUEUE_PREFIX: s.prefix });
    const letters = JSON.parse((await cli("list", "--json")).stdout) as Array<{
      jobId: string;
      webhookEventId: string;
      sends: unknown[];
    }>;
    expect(letters.map((l) => [l.jobId, l.webhookEventId])).toEqual([
      [`shop/${sent.webhookEventId}`, sent.webhookEventId],
    ]);
    // The reply it made is in its ledger, keyed by channel and id.
    expect(letters[0]?.sends).toHaveLength(1);

    rmSync(marker);
    expect((await cli("replay", sent.webhookEventId)).code).toBe(0);
    await waitFor(() => e.messages(user).filter((m) => m.from === "bot").length >= 2, {
      what: "the replay",
    });
    await waitForIdle(inject("redisUrl"), s.prefix);
    expect(
      e
        .messages(user)
        .filter((m) => m.from === "bot")
        .map((m) => [m.via, m.message.text]),
    ).toEqual([
      ["reply", "got it: order 7"],
      ["push", "done: order 7"],
    ]);
  });
});

/** Runs the dead-letters CLI as a user would, and collects what it printed. */
async function runCli(args: string[], env: Record<string, string>) {
  const child = spawn(
    process.execPath,
    ["packages/linefleet/src/worker/dead-letters.ts", ...args],
    {
      cwd: repoRoot,
      env: { PATH: process.env.PATH ?? "", ...env },
    },
  );
  let stdout = "";
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk;
  });
  const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
  return { code, stdout };
}
