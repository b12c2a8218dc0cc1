import { HTTPFetchError, messagingApi } from "@line/bot-sdk";
import type { Emulator } from "../../src/index.ts";

/** LINE's own SDK clients, pointed at the emulator for both the API and the data API. */
export function sdkClients(emulator: Emulator, channelAccessToken = emulator.channelAccessToken) {
  return {
    client: new messagingApi.MessagingApiClient({ channelAccessToken, baseURL: emulator.url }),
    blob: new messagingApi.MessagingApiBlobClient({ channelAccessToken, baseURL: emulator.url }),
  };
}

/** The SDK's HTTPFetchError from a call expected to fail, with its body parsed. */
export async function sdkFailure(call: Promise<unknown>) {
  try {
    await call;
  } catch (error) {
    if (error instanceof HTTPFetchError) {
      return {
        status: error.status,
        headers: error.headers,
        body: JSON.parse(error.body) as Record<string, unknown>,
      };
    }
    throw error;
  }
  throw new Error("expected the call to fail");
}
