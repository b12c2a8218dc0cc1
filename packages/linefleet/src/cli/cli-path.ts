import { fileURLToPath } from "node:url";

/**
 * The `linefleet` command's entry file, for processes the dev stack starts: `src/cli.ts` in
 * linefleet's repository (run by type stripping), `dist/cli.js` once built and installed.
 */
export const cliPath = fileURLToPath(
  new URL(import.meta.url.endsWith(".ts") ? "../cli.ts" : "../cli.js", import.meta.url),
);
