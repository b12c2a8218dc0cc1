import { createEmulator, type Emulator, type EmulatorOptions } from "../../src/index.ts";
import { type Receiver, startReceiver } from "./receiver.ts";

export const channelSecret = "test-channel-secret";
export const channelAccessToken = "test-channel-access-token";

/** A listening emulator wired to a fresh webhook receiver; close both when done. */
export async function startEmulatorWithReceiver(options: Partial<EmulatorOptions> = {}) {
  const receiver: Receiver = await startReceiver(channelSecret);
  const emulator: Emulator = createEmulator({
    channelSecret,
    channelAccessToken,
    webhookUrl: receiver.url,
    redelivery: { delaysMs: [50, 100, 200] },
    ...options,
  });
  await emulator.listen({ port: 0 });
  return {
    emulator,
    receiver,
    close: async () => {
      await emulator.close();
      await receiver.close();
    },
  };
}

/** A clock tests move by hand. */
export function manualClock(start = Date.UTC(2026, 0, 1)) {
  let now = start;
  return {
    now: () => now,
    advance(ms: number) {
      now += ms;
    },
  };
}
