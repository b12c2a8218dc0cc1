import { eventTypes } from "@linefleet/emulator";
import { triggerOptions } from "./options.ts";

/** `pnpm trigger --help`: every event and every flag. */
export function helpText(): string {
  const flags = Object.entries(triggerOptions).map(([name, option]) => {
    const value = option.type === "string" ? " <value>" : "";
    return `  --${`${name}${value}`.padEnd(24)} ${option.help}`;
  });
  return [
    "Usage: linefleet trigger <event> [flags]   (pnpm trigger in linefleet's repository)",
    "",
    "Sends an event from an emulated LINE user to the bot through a running emulator.",
    "",
    "Events:",
    `  ${[...eventTypes, "verify"].join(", ")}`,
    "",
    "Flags:",
    ...flags,
    "",
    "With --wait, the trigger prints every message the bot sends for the event (replies by its reply",
    "token, pushes by linefleet's retry keys or by chat) and returns once the bot has finished it, as",
    "the stack's Redis tells (REDIS_URL and QUEUE_PREFIX, or the running linefleet dev's); without",
    "it, it prints answers for the whole time.",
    "",
    // Each example is run by a test, exactly as written here (from the repository's root).
    "Examples:",
    "  linefleet trigger text --text hello --wait 5",
    "  linefleet trigger text --group Team --user Bob --text hi --mention",
    "  linefleet trigger image",
    "  linefleet trigger file --file README.md",
    "  linefleet trigger postback --data action=buy --param date=2026-01-01 --redeliver",
    "",
  ].join("\n");
}
