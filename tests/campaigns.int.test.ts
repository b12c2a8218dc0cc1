import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type CampaignStatus, type Campaigns, createCampaigns } from "@linefleet/campaigns";
import { queueDashboard } from "@linefleet/dashboard";
import {
  CAMPAIGNS_QUEUE_NAME,
  createWorkerConnection,
  type RedisConnection,
  redisKeys,
} from "@linefleet/store";
import {
  type AppProcess,
  scrape,
  startApp,
  waitFor,
  workerMetricsUrl,
} from "@linefleet/test-support";
import Fastify from "fastify";
import { cliPath } from "linefleet";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type EmulatedStack, startEmulatedStack } from "./emulated-stack.ts";

// One stack for the file: the emulator (in this process) with 20,000 friends of the bot, two
// workers. Multicast is limited to 4/s (so the 40 chunks of 20,000 take 10 s: time to kill) at both ends (ours and the emulator's, as LINE's token
// bucket) so that the limit is reached and measured; broadcast to 4 an hour on our side and 3 an
// hour at the emulator, so that both waits show without an hour going by.
const multicastPerSecond = 4;
const users = 20_000;
const text = (value: string) => [{ type: "text", text: value }];

describe("campaigns", () => {
  let stack: EmulatedStack;
  let dir: string;
  let friends: string[];
  let redis: RedisConnection;
  // Progress is read through the API (the command's `status` is the same call, in a process).
  let campaigns: Campaigns;
  const commands: AppProcess[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "linefleet-campaigns-"));
    stack = await startEmulatedStack({
      redisUrl: inject("redisUrl"),
      workers: 2,
      workerEnv: {
        CAMPAIGN_MULTICAST_PER_SECOND: String(multicastPerSecond),
        CAMPAIGN_BROADCAST_PER_HOUR: "4",
        // A killed worker's jobs are taken over after about this long.
        WORKER_LOCK_DURATION_MS: "2000",
      },
      emulator: {
        users: Array.from({ length: users }, (_, i) => ({ displayName: `user ${i}` })),
        // LINE takes a while to send a narrowcast: the first polls of its progress say "sending".
        narrowcastSendingMs: 2_500,
        rateLimits: {
          "/v2/bot/message/multicast": multicastPerSecond,
          "/v2/bot/message/broadcast": { limit: 3, perMs: 3_600_000 },
        },
      },
    });
    friends = stack.emulator.state().users.map((user) => user.userId);
    redis = createWorkerConnection({ url: inject("redisUrl") });
    campaigns = createCampaigns({ redis, prefix: stack.prefix });
  }, 120_000);

  afterAll(async () => {
    await Promise.all(commands.map((command) => command.kill()));
    await campaigns?.close();
    redis?.disconnect();
    await stack?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** `linefleet campaign …` against the stack's Redis and queue. */
  function campaign(...args: string[]): AppProcess {
    const command = startApp(
      `campaign ${args[0]}`,
      cliPath,
      { REDIS_URL: inject("redisUrl"), QUEUE_PREFIX: stack.prefix },
      [],
      ["campaign", ...args],
    );
    commands.push(command);
    return command;
  }

  /** Runs a campaign command to its end: its exit code and its output's lines. */
  async function run(...args: string[]) {
    const command = campaign(...args);
    const code = await new Promise<number | null>((resolve) =>
      command.child.once("exit", (exitCode) => resolve(exitCode)),
    );
    await new Promise((resolve) => setImmediate(resolve));
    return { code, lines: command.output().trimEnd().split("\n"), output: command.output() };
  }

  const status = (id: string) => campaigns.status(id);

  function writeCampaign(name: string, campaignFile: Record<string, unknown>) {
    const path = join(dir, `${name}.json`);
    writeFileSync(path, JSON.stringify(campaignFile));
    return path;
  }

  const callsTo = (operation: string) =>
    stack.emulator.apiCalls().filter((call) => call.operation === operation);

  it("refuses a bad campaign file with what is wrong, before anything is stored or sent", async () => {
    const badIds = join(dir, "bad-ids.txt");
    writeFileSync(badIds, `${friends[0]}\nnot-a-user\n`);
    const file = writeCampaign("bad", {
      name: "bad",
      audience: { userIdsFile: "bad-ids.txt" },
      messages: text("x"),
    });
    const refused = await run("send", file);
    expect(refused.code, refused.output).toBe(2);
    expect(refused.output).toContain(`${badIds}:2: "not-a-user" is not a user ID`);
    const noMessages = await run(
      "send",
      writeCampaign("empty", { name: "x", audience: { broadcast: true }, messages: [] }),
    );
    expect(noMessages.code).toBe(2);
    expect(noMessages.output).toMatch(/messages/);
    const unknown = await run("status", "cnosuchcampaign");
    expect([unknown.code, unknown.output.trim()]).toEqual([
      1,
      "campaign: no campaign cnosuchcampaign",
    ]);
    expect(await campaigns.list()).toEqual([]);

    // A bad variable is named, without a stack trace; Redis away is said in one line.
    const badUrl = startApp(
      "campaign list",
      cliPath,
      { REDIS_URL: "not a url" },
      [],
      ["campaign", "list"],
    );
    commands.push(badUrl);
    const badUrlCode = await new Promise((resolve) => badUrl.child.once("exit", resolve));
    expect(badUrlCode).toBe(1);
    expect(badUrl.output()).toContain("REDIS_URL is invalid");
    expect(badUrl.output()).not.toMatch(/^\s+at /m);
    const away = startApp(
      "campaign list",
      cliPath,
      { REDIS_URL: "redis://127.0.0.1:9" },
      [],
      ["campaign", "list"],
    );
    commands.push(away);
    const awayCode = await new Promise((resolve) => away.child.once("exit", resolve));
    expect(awayCode).toBe(1);
    expect(away.output().trim()).toMatch(
      /^campaign: cannot reach Redis at redis:\/\/127\.0\.0\.1:9 within 5 s/,
    );
  });

  it("refuses a campaign over the remaining quota with the numbers; --allow-over-quota sends until LINE's monthly limit and lists the rest as not sent", async () => {
    stack.emulator.reset();
    stack.emulator.configure({ messageQuota: 1_000 });
    const audience = friends.slice(0, 1_200);
    writeFileSync(
      join(dir, "quota-ids.txt"),
      `# the first 1,200 friends\n${audience.join("\n")}\n`,
    );
    const file = writeCampaign("quota", {
      name: "over quota",
      audience: { userIdsFile: "quota-ids.txt" },
      messages: text("sale"),
    });

    const refused = await run("send", file);
    expect(refused.code, refused.output).toBe(1);
    expect(refused.lines.at(-1)).toBe(
      "refused: over the monthly quota: needs 1200 messages, 1000 left (quota 1000, used 0); send with --allow-over-quota to send until LINE stops it",
    );
    expect(callsTo("multicast")).toEqual([]);

    const allowed = await run("send", file, "--allow-over-quota");
    expect(allowed.code, allowed.output).toBe(1);
    const id = allowed.lines[0] ?? "";
    expect(allowed.lines.at(-1)).toMatch(
      /^stopped: LINE's monthly limit reached; sent \d+, not sent \d+/,
    );
    const ended = await status(id);
    expect(ended.state).toBe("stopped");
    const counts = stack.emulator.recipientCounts("multicast");
    // Chunks of 500, 500 and 200 race; whichever fit under the quota went out, the rest did not.
    expect(ended.sent).toBe(counts.recipients);
    expect(ended.sent).toBeLessThanOrEqual(1_000);
    expect(ended.notSent).toBeGreaterThan(0);
    expect(ended.sent + ended.notSent).toBe(1_200);
    expect(callsTo("multicast").some((call) => call.status === 429)).toBe(true);
    const listed = await run("status", id, "--list", "not-sent");
    const notSent = listed.lines.filter(Boolean);
    expect(notSent).toHaveLength(ended.notSent);
    for (const userId of notSent) expect(counts.counts[userId]).toBeUndefined();
    expect(new Set([...notSent, ...Object.keys(counts.counts)])).toEqual(new Set(audience));

    // The workers' metrics say the same, summed over both.
    const scrapes = await Promise.all(
      stack.workers.map(async (worker) => scrape(`${await workerMetricsUrl(worker)}/metrics`)),
    );
    const total = (outcome: string) =>
      scrapes.reduce(
        (sum, one) =>
          sum + one.value("linefleet_campaign_recipients_total", { channel: "default", outcome }),
        0,
      );
    expect(total("sent")).toBe(ended.sent);
    expect(total("not_sent")).toBe(ended.notSent);
    expect(
      scrapes.reduce(
        (sum, one) => sum + one.value("linefleet_campaign_ended_total", { state: "stopped" }),
        0,
      ),
    ).toBe(1);
    stack.emulator.configure({ messageQuota: null });
  });

  it("lists a chunk LINE refused as failed, and sends it on retry, each recipient once", async () => {
    stack.emulator.reset();
    stack.emulator.addFault({
      match: { method: "POST", path: "/v2/bot/message/multicast" },
      status: 400,
      body: { message: "Failed to send messages" },
      times: 1,
    });
    const file = writeCampaign("retried", {
      name: "retried",
      audience: { userIds: friends.slice(0, 1_000) },
      messages: text("again"),
    });
    const sent = await run("send", file);
    const id = sent.lines[0] ?? "";
    expect(sent.code, sent.output).toBe(0);
    expect(sent.lines.at(-1)).toMatch(
      /^done: sent to 500 of 1000 recipients, 500 failed \(linefleet campaign retry c\w+\)/,
    );
    const report = await run("status", id);
    expect(report.output).toMatch(
      /failed +chunk \d \(500 recipients, 1 tries\): LINE API 400: Failed to send messages/,
    );
    const failedIds = (await run("status", id, "--list", "failed")).lines.filter(Boolean);
    expect(failedIds).toHaveLength(500);
    for (const userId of failedIds)
      expect(stack.emulator.recipientCounts("multicast").counts[userId]).toBeUndefined();

    const retried = await run("retry", id);
    expect(retried.output.trim()).toMatch(/^sending 1 chunk\(s\) again: \d$/);
    const followed = await run("status", id, "--follow");
    expect(followed.lines.at(-1)).toMatch(/^done: sent to 1000 of 1000 recipients/);
    const counts = stack.emulator.recipientCounts("multicast");
    expect(counts.recipients).toBe(1_000);
    expect(Object.values(counts.counts).every((n) => n === 1)).toBe(true);
  });

  it("starts a campaign sent with --at when its time comes", async () => {
    stack.emulator.reset();
    const file = writeCampaign("soon", {
      name: "soon",
      audience: { userIds: friends.slice(0, 3) },
      messages: text("soon"),
    });
    const sent = await run("send", file, "--detach", "--at", "+2s");
    const id = sent.lines[0] ?? "";
    const scheduled = await status(id);
    expect(scheduled.state).toBe("scheduled");
    expect(stack.emulator.recipientCounts("multicast").recipients).toBe(0);
    const done = await waitFor(
      async () => ((await status(id)).state === "done" ? status(id) : undefined),
      {
        timeoutMs: 30_000,
        what: "the scheduled campaign to be sent",
      },
    );
    expect(done.startedAt).toBeGreaterThanOrEqual(
      scheduled.scheduledAt ?? Number.POSITIVE_INFINITY,
    );
    expect(stack.emulator.recipientCounts("multicast").recipients).toBe(3);
  });

  it("sends a narrowcast once and polls its progress until LINE says it succeeded", async () => {
    stack.emulator.reset();
    const file = writeCampaign("narrowcast", {
      name: "everyone, narrowly",
      audience: { narrowcast: {} },
      messages: text("news"),
    });
    const sent = await run("send", file);
    expect(sent.code, sent.output).toBe(0);
    const ended = await status(sent.lines[0] ?? "");
    expect(ended.narrowcastProgress?.phase).toBe("succeeded");
    expect(ended.total).toBe(users);
    expect(ended.sent).toBe(users);
    expect(callsTo("narrowcast")).toHaveLength(1);
    expect(ended.requestId).toBe(callsTo("narrowcast")[0]?.requestId);
    const polls = callsTo("getNarrowcastProgress").map(
      (call) => (call.response as { phase: string }).phase,
    );
    expect(polls[0]).toBe("sending");
    expect(polls.at(-1)).toBe("succeeded");
    expect(stack.emulator.recipientCounts("narrowcast").recipients).toBe(users);
  });

  it("shows the campaigns and their queue in the dashboard, a scheduled campaign as a delayed job", async () => {
    const file = writeCampaign("later", {
      name: "later",
      audience: { broadcast: true },
      messages: text("later"),
    });
    const scheduled = await run("send", file, "--detach", "--at", "+1d");
    expect(scheduled.code, scheduled.output).toBe(0);
    const credentials = { user: "operator", password: "dashboard-password" };
    const app = Fastify();
    await app.register(queueDashboard, {
      connection: redis,
      keys: redisKeys(stack.prefix),
      credentials,
    });
    try {
      const listed = await app.inject({
        url: "/admin/queues/api/queues",
        headers: {
          authorization: `Basic ${Buffer.from(`${credentials.user}:${credentials.password}`).toString("base64")}`,
        },
      });
      const { queues } = listed.json() as {
        queues: Array<{ name: string; counts: Record<string, number> }>;
      };
      const campaignQueue = queues.find((queue) => queue.name === CAMPAIGNS_QUEUE_NAME);
      expect(campaignQueue?.counts.delayed).toBe(1);
      // And the campaigns themselves, with their progress, behind the same credentials.
      const authorization = `Basic ${Buffer.from(`${credentials.user}:${credentials.password}`).toString("base64")}`;
      const page = await app.inject({ url: "/admin/campaigns", headers: { authorization } });
      expect(page.statusCode).toBe(200);
      expect(page.headers["content-type"]).toMatch(/^text\/html/);
      const id = scheduled.lines[0] ?? "";
      expect(page.body).toMatch(
        new RegExp(
          `<tr data-campaign="${id}"><td>${id}</td><td>later</td><td>broadcast</td><td>scheduled</td>`,
        ),
      );
      expect(page.body).toMatch(/<td>narrowcast<\/td><td>done<\/td><td>20000\/20000<\/td>/);
      expect((await app.inject({ url: "/admin/campaigns" })).statusCode).toBe(401);
    } finally {
      await app.close();
      await run("cancel", scheduled.lines[0] ?? "");
    }
  });

  it("paces broadcasts per hour: past our limit a broadcast waits, past LINE's its 429 is waited out", async () => {
    stack.emulator.reset();
    const file = writeCampaign("broadcast", {
      name: "to all",
      audience: { broadcast: true },
      messages: text("hello all"),
    });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const detached = await run("send", file, "--detach");
      expect(detached.code, detached.output).toBe(0);
      ids.push(detached.lines[0] ?? "");
    }
    // Three go out (LINE's bucket holds 3), the fourth is LINE's 429 (ours allowed 4), the fifth
    // waits on our limit without calling LINE.
    const waiting = await waitFor(
      async () => {
        const all = await Promise.all(ids.map(status));
        const done = all.filter((one) => one.state === "done");
        const held = all.filter((one) => one.state === "sending" && one.waitingUntil);
        return done.length === 3 && held.length === 2 ? held : undefined;
      },
      { timeoutMs: 60_000, what: "three broadcasts done and two waiting" },
    );
    const calls = callsTo("broadcast");
    expect(calls.map((call) => call.status).sort()).toEqual([200, 200, 200, 429]);
    for (const held of waiting) {
      expect(held.waitingUntil).toBeGreaterThan(Date.now());
    }
    expect(stack.emulator.recipientCounts("broadcast").recipients).toBe(users);
    expect(
      Object.values(stack.emulator.recipientCounts("broadcast").counts).every((n) => n === 3),
    ).toBe(true);
    await Promise.all(ids.slice(3).map((id) => run("cancel", id)));
  });

  it("sends 20,000 recipients exactly once with two workers and every process killed (-9) and restarted at random points", async () => {
    stack.emulator.reset();
    // Besides the kills: LINE accepts two multicasts and the connection drops before the answer,
    // so the sender cannot know; its retry under the same key must be LINE's 409, not a delivery.
    stack.emulator.addFault({
      match: { path: "/v2/bot/message/multicast" },
      dropAfterAccept: true,
      times: 2,
    });
    writeFileSync(join(dir, "all-ids.txt"), `${friends.join("\n")}\n`);
    const file = writeCampaign("everyone", {
      name: "everyone, exactly once",
      audience: { userIdsFile: "all-ids.txt" },
      messages: text("one message each"),
    });
    let follower = campaign("send", file);
    const idLine = await waitFor(() => follower.output().split("\n")[0] || undefined, {
      timeoutMs: 60_000,
      what: "the campaign's id",
    });
    const id = idLine.trim();
    const ended = () =>
      status(id).then((s) => ["done", "stopped", "failed", "cancelled"].includes(s.state));
    const midway = () => status(id).then((s) => s.state === "sending" && s.remaining > 0);

    // Each round kills the two workers and the following command, in a random order, each at a
    // random moment, and starts a new one of each; until the campaign ends.
    const pause = () => new Promise((resolve) => setTimeout(resolve, 300 + Math.random() * 1_200));
    let kills = 0;
    let killsMidway = 0;
    while (kills < 3 || !(await ended())) {
      if (await ended()) break;
      const victims = ["worker-a", "worker-b", "command"].sort(() => Math.random() - 0.5);
      for (const victim of victims) {
        await pause();
        if (await midway()) killsMidway++;
        if (victim === "command") {
          await follower.kill();
          follower = campaign("status", id, "--follow");
        } else {
          const alive = stack.workers.filter(
            (worker) => worker.child.exitCode === null && worker.child.signalCode === null,
          );
          const worker = alive[victim === "worker-a" ? 0 : alive.length - 1];
          await worker?.kill();
          await stack.addWorker();
        }
        kills++;
      }
    }
    const exit = await new Promise<number | null>((resolve) =>
      follower.child.exitCode !== null
        ? resolve(follower.child.exitCode)
        : follower.child.once("exit", (code) => resolve(code)),
    );
    expect(exit, follower.output()).toBe(0);
    expect(killsMidway).toBeGreaterThanOrEqual(3);
    expect(follower.output()).toContain(`done: sent to ${users} of ${users} recipients`);

    const counts = stack.emulator.recipientCounts("multicast");
    expect(counts.recipients).toBe(users);
    const twice = Object.entries(counts.counts).filter(([, n]) => n !== 1);
    expect(twice).toEqual([]);

    const multicasts = callsTo("multicast");
    expect(multicasts.filter((call) => call.status === 409).length).toBeGreaterThanOrEqual(2);
    for (const call of multicasts) {
      expect((call.body as { to: string[] }).to.length).toBeLessThanOrEqual(500);
    }
    // LINE's own measure: its token bucket of 4 a second never ran dry.
    expect(multicasts.filter((call) => call.status === 429)).toEqual([]);
    // Permits are granted by Redis's clock; the emulator stamps a call when its handler runs, in
    // this test's process, which is busy starting processes: a stalled event loop there bunches
    // arrivals that were sent apart. So, as tests/operations.int.test.ts measures the fleet's
    // limit: over the whole run no faster than the limit (10% slack for those delays), and in any
    // one-second window the limit plus two calls a delay moved into it.
    const times = multicasts.map((call) => call.at).sort((a, b) => a - b);
    const spanMs = (times.at(-1) ?? 0) - (times[0] ?? 0);
    expect(((times.length - 1) / spanMs) * 1_000).toBeLessThanOrEqual(multicastPerSecond * 1.1);
    const busiest = Math.max(
      ...times.map((t) => times.filter((u) => u >= t && u < t + 1_000).length),
    );
    expect(busiest).toBeLessThanOrEqual(multicastPerSecond + 2);

    const statusCommand = await run("status", id, "--json");
    expect(statusCommand.code, statusCommand.output).toBe(0);
    const final = JSON.parse(statusCommand.output) as CampaignStatus;
    expect(final.state).toBe("done");
    expect(final.sent).toBe(counts.recipients);
    expect(final.failed).toBe(0);
    expect(final.chunks.filter((chunk) => chunk.state === "sent")).toHaveLength(users / 500);
  }, 300_000);
});
