import type { LineClient } from "@linefleet/line-client";

/** The same client, each send first waiting for a place under a (fleet-wide) rate limit. */
export function withRateLimit(client: LineClient, acquire: () => Promise<void>): LineClient {
  return {
    // Getters: a client with a renewed token hands out new SDK clients.
    get api() {
      return client.api;
    },
    get blob() {
      return client.blob;
    },
    reply: async (replyToken, messages) => {
      await acquire();
      return client.reply(replyToken, messages);
    },
    push: async (to, messages, retryKey, options) => {
      await acquire();
      return client.push(to, messages, retryKey, options);
    },
  };
}
