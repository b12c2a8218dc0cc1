import { execFile } from "node:child_process";
import { messagingApi } from "@line/bot-sdk";
import { createEmulator, type Emulator, type SentEvent } from "@linefleet/emulator";
import { repoRoot } from "@linefleet/test-support";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildEventInput, type TriggerValues } from "../../src/emulator/trigger/build-input.ts";
import { createControlClient } from "../../src/emulator/trigger/control-client.ts";
import { startEchoBot } from "./support/echo-bot.ts";

const channelSecret = "trigger-events-secret";
const channelAccessToken = "trigger-events-token";

let emulator: Emulator;
let bot: Awaited<ReturnType<typeof startEchoBot>>;

beforeAll(async () => {
  bot = await startEchoBot({ channelSecret, channelAccessToken });
  emulator = createEmulator({ channelSecret, channelAccessToken, webhookUrl: bot.webhookUrl });
  await emulator.listen({ port: 0 });
});

afterAll(async () => {
  await emulator?.close();
  await bot?.close();
});

/** What `pnpm trigger <type> <flags>` sends, sent; resolves with the event the bot received. */
async function trigger(type: string, values: TriggerValues) {
  const client = createControlClient(emulator.url);
  const input = await buildEventInput(client, type, values);
  const sent = await client.post<SentEvent>("/emulator/events", input);
  await emulator.deliveryDone(sent.deliveryId);
  const attempt = emulator.deliveries().find((d) => d.deliveryId === sent.deliveryId);
  const body = JSON.parse(attempt?.body ?? "{}") as { events: Array<Record<string, unknown>> };
  return body.events[0];
}

describe("pnpm trigger: the events beyond messages", () => {
  it("builds each from its flags", async () => {
    const alice = emulator.state().users[0]?.userId ?? "";
    const api = new messagingApi.MessagingApiClient({ channelAccessToken, baseURL: emulator.url });
    await api.pushMessage({
      to: alice,
      messages: [
        {
          type: "video",
          originalContentUrl: "https://example.com/a.mp4",
          previewImageUrl: "https://example.com/a.jpg",
          trackingId: "promo",
        },
      ],
    });
    expect(await trigger("videoPlayComplete", { "tracking-id": "promo" })).toMatchObject({
      videoPlayComplete: { trackingId: "promo" },
    });
    expect(
      await trigger("beacon", { kind: "banner", hwid: "00000000ff", dm: "abcd" }),
    ).toMatchObject({ beacon: { hwid: "00000000ff", type: "banner", dm: "abcd" } });

    const { linkToken } = await api.issueLinkToken(alice);
    expect(await trigger("accountLink", { "link-token": linkToken, nonce: "xyz" })).toMatchObject({
      link: { result: "ok", nonce: "xyz" },
    });
    const plan = emulator.addMembershipPlan({ title: "Gold", benefits: ["Coffee"], price: 500 });
    const membershipId = String(plan.membershipId);
    expect(await trigger("membership", { "membership-id": membershipId })).toMatchObject({
      membership: { type: "joined", membershipId: plan.membershipId },
    });
    expect(
      await trigger("membership", { kind: "renewed", "membership-id": membershipId }),
    ).toMatchObject({ membership: { type: "renewed", membershipId: plan.membershipId } });
    expect(
      await trigger("module", { scope: ["message:send"], "bot-id": emulator.bot.userId }),
    ).toMatchObject({
      module: { type: "attached", botId: emulator.bot.userId, scopes: ["message:send"] },
    });
    const expireAt = Date.now() + 3_600_000;
    expect(await trigger("activated", { "expire-at": String(expireAt) })).toMatchObject({
      chatControl: { expireAt },
      source: { userId: alice },
    });
    expect(await trigger("deactivated", {})).toMatchObject({ type: "deactivated" });
    for (const type of ["botSuspended", "botResumed"]) {
      const event = await trigger(type, {});
      expect(event?.type).toBe(type);
      expect(event).not.toHaveProperty("source");
    }
    expect(await trigger("delivery", { "delivery-data": "tag-2026-0001" })).toMatchObject({
      delivery: { data: "tag-2026-0001" },
    });
  });

  it("refuses --kind on an event that has no variants", async () => {
    await expect(trigger("text", { kind: "enter" })).rejects.toThrow(
      "--kind goes only with beacon, membership or module",
    );
  });

  it("runs as the CLI: module --kind detached, with the event listed in --help", async () => {
    const run = (...args: string[]) =>
      new Promise<{ code: number | null; stdout: string }>((resolve) => {
        const child = execFile(
          process.execPath,
          ["packages/linefleet/src/emulator/trigger.ts", ...args],
          {
            cwd: repoRoot,
            env: { PATH: process.env.PATH ?? "", EMULATOR_URL: emulator.url },
            timeout: 20_000,
          },
          (_error, stdout) => resolve({ code: child.exitCode, stdout }),
        );
      });
    const help = await run("--help");
    for (const name of ["videoPlayComplete", "beacon", "accountLink", "botResumed", "delivery"])
      expect(help.stdout).toContain(name);
    const sent = await run("module", "--kind", "detached");
    expect(sent.code).toBe(0);
    expect(sent.stdout.split("\n")[0]).toBe("sent module event to the channel");
    // The CLI prints the input and the emulator's answer as JSON after its first line.
    const { deliveryId } = JSON.parse(sent.stdout.slice(sent.stdout.indexOf("{"))) as SentEvent;
    await emulator.deliveryDone(deliveryId);
    const attempt = emulator.deliveries().find((d) => d.deliveryId === deliveryId);
    const body = JSON.parse(attempt?.body ?? "{}");
    expect(body.events[0].module).toMatchObject({ type: "detached", reason: "bot_deleted" });
  });
});
