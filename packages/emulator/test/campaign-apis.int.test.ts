import { afterEach, describe, expect, it } from "vitest";
import { manualClock, startEmulatorWithReceiver } from "./support/fixture.ts";
import { sdkClients, sdkFailure } from "./support/sdk.ts";

let running: Awaited<ReturnType<typeof startEmulatorWithReceiver>> | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

const text = [{ type: "text" as const, text: "sale" }];

describe("what a campaign needs of the emulator", () => {
  it("plays LINE's monthly quota: the quota, the consumption, and a 429 for a send past it, refused whole", async () => {
    running = await startEmulatorWithReceiver({
      users: [{ displayName: "a" }, { displayName: "b" }, { displayName: "c" }],
    });
    const { emulator } = running;
    const { client } = sdkClients(emulator);
    const [a, b, c] = emulator.state().users.map((user) => user.userId);
    const config = await fetch(`${emulator.url}/emulator/config`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ messageQuota: 2 }),
    });
    expect(((await config.json()) as { messageQuota: number }).messageQuota).toBe(2);
    expect(await client.getMessageQuota()).toEqual({ type: "limited", value: 2 });

    const over = await sdkFailure(
      client.multicast({ to: [a ?? "", b ?? "", c ?? ""], messages: text }),
    );
    expect(over.status).toBe(429);
    expect(over.body).toEqual({ message: "You have reached your monthly limit." });
    expect(await client.getMessageQuotaConsumption()).toEqual({ totalUsage: 0 });

    await client.multicast({ to: [a ?? "", b ?? ""], messages: text });
    expect(await client.getMessageQuotaConsumption()).toEqual({ totalUsage: 2 });
    expect((await sdkFailure(client.broadcast({ messages: text }))).status).toBe(429);

    const counts = await fetch(`${emulator.url}/emulator/recipient-counts?kind=multicast`);
    expect(await counts.json()).toEqual({ counts: { [a ?? ""]: 1, [b ?? ""]: 1 }, recipients: 2 });
    const wrongKind = await fetch(`${emulator.url}/emulator/recipient-counts?kind=fax`);
    expect(wrongKind.status).toBe(400);

    // A narrowcast's limit: up to the quota left (none now), or a number.
    emulator.configure({ messageQuota: null });
    const capped = await client.narrowcastWithHttpInfo({ messages: text, limit: { max: 1 } });
    const progress = await client.getNarrowcastProgress(
      capped.httpResponse.headers.get("x-line-request-id") ?? "",
    );
    expect(progress).toMatchObject({ phase: "succeeded", targetCount: 1, successCount: 1 });
    const narrowcasts = await fetch(`${emulator.url}/emulator/recipient-counts?kind=narrowcast`);
    expect(((await narrowcasts.json()) as { recipients: number }).recipients).toBe(1);
  });

  it("limits multicast to 200 a second and broadcast to 60 an hour unless configured, as token buckets", async () => {
    const clock = manualClock();
    running = await startEmulatorWithReceiver({ now: clock.now });
    const { emulator } = running;
    const { client } = sdkClients(emulator);
    const alice = emulator.state().users[0]?.userId ?? "";
    for (let i = 0; i < 60; i++) await client.broadcast({ messages: text });
    const limited = await sdkFailure(client.broadcast({ messages: text }));
    expect(limited.status).toBe(429);
    expect(limited.body).toEqual({
      message: "The API rate limit has been exceeded. Try again later.",
    });
    clock.advance(60_000);
    await client.broadcast({ messages: text });

    for (let i = 0; i < 200; i++) await client.multicast({ to: [alice], messages: text });
    expect((await sdkFailure(client.multicast({ to: [alice], messages: text }))).status).toBe(429);
    clock.advance(5);
    await client.multicast({ to: [alice], messages: text });
  });
});
