import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Writes a CHANNELS_FILE for a test run and returns its path. */
export function writeChannelsFile(channels: object[]): string {
  const path = join(mkdtempSync(join(tmpdir(), "linefleet-channels-")), "channels.json");
  writeFileSync(path, JSON.stringify(channels));
  return path;
}
