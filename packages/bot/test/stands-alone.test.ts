import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..");
/** What a bot module must not pull in: the queue, its Redis client, the worker runtime. */
const forbidden = ["bullmq", "ioredis", "@linefleet/store", "@linefleet/delivery"];

describe("@linefleet/bot stands alone", () => {
  it("lists neither BullMQ, ioredis nor linefleet's Redis store among its dependencies", () => {
    const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
      dependencies?: Record<string, string>;
      peerDependencies?: Record<string, string>;
    };
    const listed = Object.keys({ ...manifest.dependencies, ...manifest.peerDependencies });
    expect(listed.filter((name) => forbidden.includes(name))).toEqual([]);
  });

  it("imports none of them, not even as types", () => {
    const sources = readdirSync(join(root, "src"), { recursive: true, encoding: "utf8" }).filter(
      (file) => file.endsWith(".ts"),
    );
    expect(sources.length).toBeGreaterThan(5);
    const offending = sources.flatMap((file) => {
      const text = readFileSync(join(root, "src", file), "utf8");
      const specifiers = [...text.matchAll(/from\s+"([^"]+)"|import\s*\(\s*"([^"]+)"/g)].map(
        (match) => match[1] ?? match[2] ?? "",
      );
      return specifiers
        .filter((specifier) =>
          forbidden.some((name) => specifier === name || specifier.startsWith(`${name}/`)),
        )
        .map((specifier) => `${file}: ${specifier}`);
    });
    expect(offending).toEqual([]);
  });
});
