import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { readTarballManifest } from "../src/tarball-manifest.ts";
import { writeFakeTarball } from "./support/fake-tarball.ts";

const dir = mkdtempSync(join(tmpdir(), "tarball-manifest-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("readTarballManifest", () => {
  it("reads package/package.json past the files before it", async () => {
    const file = join(dir, "bot.tgz");
    const manifest = { name: "@linefleet/bot", version: "1.2.3", description: "x".repeat(700) };
    await writeFakeTarball(file, manifest);
    expect(await readTarballManifest(file)).toEqual(manifest);
  });

  it("reads a package whose root folder is not named package", async () => {
    const file = join(dir, "other-root.tgz");
    await writeFakeTarball(file, { name: "linefleet", version: "1.2.3" }, "linefleet");
    expect(await readTarballManifest(file)).toMatchObject({ name: "linefleet" });
  });

  it("says so when the tarball holds no package.json", async () => {
    const file = join(dir, "empty.tgz");
    writeFileSync(file, gzipSync(Buffer.alloc(1024)));
    await expect(readTarballManifest(file)).rejects.toThrow("it has no package.json");
  });
});
