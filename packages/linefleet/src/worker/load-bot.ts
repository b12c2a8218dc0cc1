import { type AnyBot, loadBotModule } from "@linefleet/bot-loader";
import { createEchoBot } from "@linefleet/example-echo-bot";

/** The bot a worker runs: the module named by BOT_MODULE, else the echo bot. */
export async function loadBot(modulePath: string | undefined): Promise<AnyBot> {
  if (!modulePath) return createEchoBot();
  return loadBotModule(modulePath);
}
