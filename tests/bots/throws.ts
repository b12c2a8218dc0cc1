import { createBot } from "@linefleet/bot";

/** Every text fails with a retriable error: the queue retries it with backoff. */
export const bot = createBot().onText(() => {
  throw new Error("thrown by the test bot");
});
