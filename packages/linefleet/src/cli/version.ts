import { readFileSync } from "node:fs";

/** The version of the linefleet package, from its package.json (one level above src/ or dist/). */
export function linefleetVersion(): string {
  const manifest = readFileSync(new URL("../../package.json", import.meta.url), "utf8");
  return (JSON.parse(manifest) as { version: string }).version;
}
