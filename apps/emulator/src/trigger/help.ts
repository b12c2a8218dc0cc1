import { eventTypes } from "@linefleet/emulator";
import { triggerOptions } from "./options.ts";

/** `pnpm trigger --help`: every event and every flag. */
export function helpText(): string {
  const flags = Object.entries(triggerOptions).map(([name, option]) => {
    const value = option.type === "string" ? " <value>" : "";
    return `  --${`${name}${value}`.padEnd(24)} ${option.help}`;
  });
  return [
    "Usage: pnpm trigger <event> [flags]",
    "",
    "Sends an event from an emulated LINE user to the bot through a running emulator.",
    "",
    "Events:",
    `  ${[...eventTypes, "verify"].join(", ")}`,
    "",
    "Flags:",
    ...flags,
    "",
    "Examples:",
    "  pnpm trigger text --text hello --wait 5",
    "  pnpm trigger text --group Team --user Bob --text '@bot hi' --mention",
    "  pnpm trigger image --file ./cat.jpg",
    "  pnpm trigger postback --data action=buy --param date=2026-01-01 --redeliver",
    "",
  ].join("\n");
}
