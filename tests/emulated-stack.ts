import { createEmulator, type Emulator, type EmulatorOptions } from "@linefleet/emulator";
import { type Stack, type StackOptions, startStack } from "@linefleet/test-support";

/** The emulated LINE platform (in this process) wired to a real ingress and workers. */
export interface EmulatedStack extends Stack {
  emulator: Emulator;
}

export async function startEmulatedStack(
  options: Omit<StackOptions, "lineApiUrl" | "channelSecret" | "channelAccessToken"> & {
    emulator?: Partial<EmulatorOptions>;
  },
): Promise<EmulatedStack> {
  const emulator = createEmulator({
    channelSecret: "emulated-channel-secret",
    channelAccessToken: "emulated-channel-access-token",
    // Short redelivery delays keep the tests quick; the behaviour is LINE's.
    redelivery: { enabled: true, delaysMs: [200, 500, 1_000, 2_000, 4_000] },
    ...options.emulator,
  });
  await emulator.listen({ port: 0, host: "127.0.0.1" });
  const stack = await startStack({
    ...options,
    lineApiUrl: emulator.url,
    channelSecret: emulator.channelSecret,
    channelAccessToken: emulator.channelAccessToken,
  });
  emulator.configure({ webhookUrl: `${stack.ingressUrl}/webhook` });
  return {
    ...stack,
    emulator,
    async stop() {
      await stack.stop();
      await emulator.close();
    },
  };
}
