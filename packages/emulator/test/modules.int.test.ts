import { moduleAttach, moduleOperation } from "@line/bot-sdk";
import { afterEach, describe, expect, it } from "vitest";
import { startEmulatorWithReceiver } from "./support/fixture.ts";
import { sdkFailure } from "./support/sdk.ts";

let running: Awaited<ReturnType<typeof startEmulatorWithReceiver>> | undefined;

afterEach(async () => {
  await running?.close();
  running = undefined;
});

describe("module channels", () => {
  it("attach to a bot, list it, take and give back a chat's control, and detach", async () => {
    running = await startEmulatorWithReceiver({
      channels: [
        {
          name: "helpdesk",
          channelId: "2000000001",
          channelSecret: "helpdesk-secret",
          channelAccessToken: "helpdesk-token",
        },
      ],
    });
    const { emulator } = running;
    const alice = emulator.state().users[0]?.userId ?? "";
    const attach = new moduleAttach.LineModuleAttachClient({
      channelAccessToken: "unused: attach authenticates with the module's id and secret",
      baseURL: emulator.url,
    });
    const module = new moduleOperation.LineModuleClient({
      channelAccessToken: "helpdesk-token",
      baseURL: emulator.url,
    });

    // Not attached yet: the module may not touch the bot's chats.
    expect((await sdkFailure(module.acquireChatControl(alice))).status).toBe(403);
    const wrongSecret = await sdkFailure(
      attach.attachModule(
        "authorization_code",
        "default",
        "https://example.com/cb",
        undefined,
        "2000000001",
        "nope",
      ),
    );
    expect(wrongSecret.status).toBe(401);

    // The code stands for the consent screen's answer: it names the bot's channel.
    const attached = await attach.attachModule(
      "authorization_code",
      "default",
      "https://example.com/cb",
      undefined,
      "2000000001",
      "helpdesk-secret",
    );
    expect(attached).toEqual({
      bot_id: emulator.bot.userId,
      scopes: ["message:send", "message:receive"],
    });
    expect((await module.getModules()).bots).toEqual([
      {
        userId: emulator.bot.userId,
        basicId: emulator.bot.basicId,
        displayName: emulator.bot.displayName,
      },
    ]);

    await module.acquireChatControl(alice, { expired: true, ttl: 60 });
    await module.releaseChatControl(alice);
    const tooLong = await sdkFailure(module.acquireChatControl(alice, { ttl: 31_536_001 }));
    expect(tooLong.status).toBe(400);

    await module.detachModule({ botId: emulator.bot.userId });
    expect((await module.getModules()).bots).toEqual([]);
    expect((await sdkFailure(module.releaseChatControl(alice))).status).toBe(403);
  });
});
