import { createEmulator, type Emulator } from "@linefleet/emulator";
import { type Stack, startStack, waitFor } from "@linefleet/test-support";
import { afterEach, describe, expect, inject, it } from "vitest";
import { writeChannelsFile } from "./channels-file.ts";

const ISSUE = "/oauth2/v3/token";
const SECRET = "stateless-channel-secret";
const CHANNEL_ID = "1657000001";

describe("managed access tokens across a fleet of worker processes", () => {
  let emulator: Emulator | undefined;
  let stack: Stack | undefined;

  afterEach(async () => {
    await stack?.stop();
    await emulator?.close();
  });

  async function start(options: { workers: number; tokenLifetimeMs?: number; users?: number }) {
    emulator = createEmulator({
      channelName: "main",
      channelSecret: SECRET,
      // The channel has a long-lived token too; the deployment below never uses it.
      channelAccessToken: "unused-long-lived-token",
      channelId: CHANNEL_ID,
      users: Array.from({ length: options.users ?? 1 }, (_, i) => ({ displayName: `user ${i}` })),
      redelivery: { enabled: false },
      ...(options.tokenLifetimeMs ? { tokenLifetimeMs: options.tokenLifetimeMs } : {}),
    });
    await emulator.listen();
    stack = await startStack({
      redisUrl: inject("redisUrl"),
      lineApiUrl: emulator.url,
      workers: options.workers,
      env: {
        CHANNELS_FILE: writeChannelsFile([
          { name: "main", channelSecret: SECRET, channelId: CHANNEL_ID, token: "stateless" },
        ]),
      },
    });
    emulator.configure({ webhookUrl: `${stack.ingressUrl}/webhook/main` });
    return { emulator, stack };
  }

  const issuances = (emulator: Emulator) =>
    emulator.apiCalls().filter((call) => call.path === ISSUE && call.status === 200);

  it("3 workers starting together cause exactly one issuance, and use that token", async () => {
    const { emulator, stack } = await start({ workers: 3 });
    // Each worker fetched the token before announcing itself ready.
    expect(issuances(emulator)).toHaveLength(1);
    const users = emulator.state().users;
    const alice = users[0]?.userId ?? "";
    for (let i = 0; i < 6; i++) emulator.sendEvent({ type: "text", text: `hi ${i}` });
    await emulator.waitForBotMessages(alice, { count: 6, timeoutMs: 15_000 });
    const replies = await waitFor(() => {
      const found = emulator.apiCalls().filter((c) => c.path === "/v2/bot/message/reply");
      return found.length >= 6 && found;
    });
    expect(replies.map((c) => c.status)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(issuances(emulator)).toHaveLength(1);
    const issuedLines = stack.workers.flatMap((w) =>
      w.lines.filter((line) => typeof line === "object" && line.msg === "access token issued"),
    );
    expect(issuedLines).toHaveLength(1);
  });

  it("a token expiring mid-burst is renewed once, and no event fails", async () => {
    // 6 s tokens: renewed once less than 1.2 s is left, i.e. 4.8 s after issuance.
    const { emulator, stack } = await start({ workers: 2, tokenLifetimeMs: 6_000, users: 5 });
    const [first] = issuances(emulator);
    if (!first) throw new Error("no token was issued at start");
    const users = emulator.state().users.map((u) => u.userId);
    // A burst from 3 s to 8 s after issuance: it spans the renewal and ends before the next.
    await sleepUntil(first.at + 3_000);
    let sent = 0;
    while (Date.now() < first.at + 8_000) {
      emulator.sendEvent({ type: "text", text: `burst ${sent}`, from: users[sent % users.length] });
      sent++;
      await sleepUntil(Date.now() + 100);
    }
    for (const userId of users) {
      const expected =
        Math.floor(sent / users.length) + (users.indexOf(userId) < sent % users.length ? 1 : 0);
      await emulator.waitForBotMessages(userId, { count: expected, timeoutMs: 20_000 });
    }
    const calls = emulator.apiCalls().filter((c) => c.path.startsWith("/v2/bot/"));
    expect(calls.filter((c) => c.status !== 200)).toEqual([]);
    expect(issuances(emulator)).toHaveLength(2);
    const failures = stack.workers.flatMap((w) =>
      w.lines.filter(
        (line) =>
          typeof line === "object" &&
          (line.msg === "handler failed" || line.msg === "event dead-lettered"),
      ),
    );
    expect(failures).toEqual([]);
  });

  it("a 401 from LINE invalidates the token once; the answer goes out with a new one", async () => {
    const { emulator, stack } = await start({ workers: 2 });
    const alice = emulator.state().users[0]?.userId ?? "";
    // LINE stops accepting the token (revoked at the console, say) for the next reply.
    emulator.addFault({ match: { path: "/v2/bot/message/reply" }, status: 401, times: 1 });
    emulator.sendEvent({ type: "text", text: "still there?" });
    const [answer] = await emulator.waitForBotMessages(alice, { timeoutMs: 15_000 });
    expect(answer?.via).toBe("reply");
    const replies = await waitFor(() => {
      const found = emulator.apiCalls().filter((c) => c.path === "/v2/bot/message/reply");
      return found.length >= 2 && found;
    });
    expect(replies.map((c) => c.status)).toEqual([401, 200]);
    expect(issuances(emulator)).toHaveLength(2);
    const invalidations = () =>
      stack.workers.flatMap((w) =>
        w.lines.filter(
          (line) =>
            typeof line === "object" &&
            String(line.msg).startsWith("LINE refused the access token"),
        ),
      );
    // The worker's log line may trail the answer it preceded: read the output until it shows.
    await waitFor(() => invalidations().length > 0, { what: "the invalidation's log line" });
    expect(invalidations()).toHaveLength(1);
    const failures = stack.workers.flatMap((w) =>
      w.lines.filter((line) => typeof line === "object" && line.msg === "handler failed"),
    );
    expect(failures).toEqual([]);
  });
});

async function sleepUntil(at: number) {
  const ms = at - Date.now();
  if (ms > 0) await new Promise((resolve) => setTimeout(resolve, ms));
}
