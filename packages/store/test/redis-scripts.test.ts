import { describe, expect, it } from "vitest";
import type { ScriptSpec } from "../src/index.ts";
import * as model from "../src/index.ts";

const scripts = Object.entries(model).filter(
  (entry): entry is [string, ScriptSpec] =>
    typeof entry[1] === "object" && entry[1] !== null && "lua" in entry[1],
);

/** Commands that take no key. */
const KEYLESS = new Set(["TIME"]);

describe("the data model's Lua scripts", () => {
  it("are all found", () => {
    expect(scripts.length).toBeGreaterThanOrEqual(5);
  });

  it.each(scripts)("%s touches only keys it was given in KEYS", (_name, { lua, keys }) => {
    const calls = [...lua.matchAll(/redis\.call\(\s*"(\w+)"\s*(?:,\s*([^,)]+))?/g)];
    expect(calls.length).toBeGreaterThan(0);
    for (const [, command, firstArg] of calls) {
      if (KEYLESS.has(command ?? "")) continue;
      const key = /^KEYS\[(\d+)\]$/.exec(firstArg?.trim() ?? "");
      expect(key, `${command} ${firstArg}`).not.toBeNull();
      expect(Number(key?.[1])).toBeLessThanOrEqual(keys);
    }
  });
});
