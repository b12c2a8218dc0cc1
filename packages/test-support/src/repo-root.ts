import { fileURLToPath } from "node:url";

/** The root of linefleet's repository, where its tests run its commands and read its files. */
export const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));
