import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { errorCodes, hasErrorCode } from "../src/index.ts";

const root = join(import.meta.dirname, "..", "..", "..");

/** The rows of docs/error-codes.md's table: code, HTTP status (or undefined for "–"), meaning. */
function documentedCodes() {
  const doc = readFileSync(join(root, "docs", "error-codes.md"), "utf8");
  return [...doc.matchAll(/^\| `(LF_[A-Z_]+)` \| ([^|]+) \| (.+) \|$/gm)].map(
    ([, code, status, message]) => ({
      code,
      status: status?.trim() === "–" ? undefined : Number(status),
      message: message?.trim(),
    }),
  );
}

/** Every `"LF_…"` string in the sources (`src/`) of the apps and packages. */
function codesInSources(): Set<string> {
  const found = new Set<string>();
  for (const top of ["apps", "packages"]) {
    for (const unit of readdirSync(join(root, top))) {
      const src = join(root, top, unit, "src");
      let files: string[];
      try {
        files = readdirSync(src, { recursive: true, encoding: "utf8" });
      } catch {
        continue; // no src/
      }
      for (const file of files.filter((name) => name.endsWith(".ts"))) {
        const text = readFileSync(join(src, file), "utf8");
        for (const [, code] of text.matchAll(/["'`](LF_[A-Z][A-Z_]*)["'`]/g))
          found.add(code as string);
      }
    }
  }
  return found;
}

describe("the error-code table", () => {
  it("is the table in docs/error-codes.md, row for row", () => {
    const table = Object.entries(errorCodes).map(([code, entry]) => ({
      code,
      status: "status" in entry ? entry.status : undefined,
      message: entry.message,
    }));
    expect(documentedCodes()).toEqual(table);
  });

  it("holds every LF_ code the sources use, and none they do not", () => {
    expect([...codesInSources()].sort()).toEqual(Object.keys(errorCodes).sort());
  });

  it("matches an error by its code, whatever its class", () => {
    const timeout = Object.assign(new Error("slow"), { code: "LF_TIMEOUT" });
    expect(hasErrorCode(timeout, "LF_TIMEOUT")).toBe(true);
    expect(hasErrorCode(timeout, "LF_SPOOL_FULL", "LF_TIMEOUT")).toBe(true);
    expect(hasErrorCode(timeout, "LF_SPOOL_FULL")).toBe(false);
    expect(hasErrorCode(new Error("no code"), "LF_TIMEOUT")).toBe(false);
    expect(hasErrorCode(undefined, "LF_TIMEOUT")).toBe(false);
    expect(hasErrorCode("LF_TIMEOUT", "LF_TIMEOUT")).toBe(false);
  });
});
