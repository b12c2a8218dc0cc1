import { afterEach, describe, expect, it } from "vitest";
import { startEmulatorWithReceiver } from "./support/fixture.ts";
import { sdkClients, sdkFailure } from "./support/sdk.ts";

let running: Awaited<ReturnType<typeof startEmulatorWithReceiver>> | undefined;

afterEach(async () => {
  await running?.close();
  running = undefined;
});

describe("followers", () => {
  it("pages the users who follow the bot with next, leaving out those who blocked it", async () => {
    running = await startEmulatorWithReceiver({
      users: Array.from({ length: 7 }, (_, i) => ({ displayName: `user ${i}` })),
    });
    const { emulator } = running;
    const { client } = sdkClients(emulator);
    const everyone = emulator.state().users.map((user) => user.userId);
    const blocked = everyone[3] as string;
    const sent = emulator.sendEvent({ type: "unfollow", from: blocked });
    await emulator.deliveryDone(sent.deliveryId);

    const seen: string[] = [];
    let start: string | undefined;
    let pages = 0;
    do {
      const page = await client.getFollowers(start, 2);
      expect(page.userIds.length).toBeLessThanOrEqual(2);
      seen.push(...page.userIds);
      start = page.next;
      pages++;
    } while (start);
    expect(pages).toBe(3);
    expect(seen).toEqual(everyone.filter((id) => id !== blocked));

    expect((await sdkFailure(client.getFollowers(undefined, 1001))).status).toBe(400);
    expect((await sdkFailure(client.getFollowers("not-a-token", 2))).status).toBe(400);
  });
});
