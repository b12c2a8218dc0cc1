import { fileURLToPath } from "node:url";

/**
 * The `linefleet` command's entry file, for the processes the dev stack and the test kit start:
 * `src/cli.ts` in linefleet's repository (run by type stripping), `dist/cli.js` once built.
 */
export const cliPath = fileURLToPath(
  new URL(import.meta.url.endsWith(".ts") ? "../cli.ts" : "../cli.js", import.meta.url),
);

/**
 * Node's flags for the ingress process, as `pnpm start:ingress` and the image run it: a larger
 * young generation, chosen by measurement (bench/README.md).
 */
export const ingressNodeFlags = ["--max-semi-space-size=16"] as const;
