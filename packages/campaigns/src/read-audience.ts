import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import { isUserId } from "./campaign-schema.ts";
import { CampaignError } from "./errors.ts";

/** How many bad entries a refusal names before it says "and N more". */
const shownProblems = 5;

/**
 * The user IDs of an audience given as IDs (an array, or any iterable or async iterable), in
 * order, each once: a duplicate would be a second message to that user. Refused whole, naming the
 * first bad entries, when any entry is not a user ID.
 */
export async function collectUserIds(
  ids: Iterable<string> | AsyncIterable<string>,
  describe: (position: number) => string = (position) => `entry ${position}`,
): Promise<string[]> {
  const seen = new Set<string>();
  const problems: string[] = [];
  let position = 0;
  for await (const raw of ids) {
    position++;
    const id = typeof raw === "string" ? raw.trim() : raw;
    if (typeof id !== "string" || !isUserId(id)) {
      problems.push(`${describe(position)}: ${JSON.stringify(raw)} is not a user ID`);
      continue;
    }
    seen.add(id);
  }
  if (problems.length > 0) {
    const more =
      problems.length > shownProblems ? `\n  and ${problems.length - shownProblems} more` : "";
    throw new CampaignError(
      "invalid_campaign",
      `the audience has ${problems.length} bad user ID(s):\n  ${problems.slice(0, shownProblems).join("\n  ")}${more}`,
    );
  }
  return [...seen];
}

/** The IDs of a userIdsFile: one a line; blank lines and lines starting with # are skipped. */
export async function readUserIdsFile(path: string): Promise<string[]> {
  const lines = createInterface({
    input: createReadStream(path, { encoding: "utf8" }),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  const numbered: Array<{ line: number; id: string }> = [];
  let line = 0;
  try {
    for await (const text of lines) {
      line++;
      const id = text.trim();
      if (id === "" || id.startsWith("#")) continue;
      numbered.push({ line, id });
    }
  } catch (error) {
    throw new CampaignError(
      "invalid_campaign",
      `userIdsFile ${path}: ${(error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (error as Error).message}`,
      { cause: error },
    );
  }
  return collectUserIds(
    numbered.map((entry) => entry.id),
    (position) => `${path}:${numbered[position - 1]?.line}`,
  );
}
