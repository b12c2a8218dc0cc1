import { execFile } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";

const run = promisify(execFile);
const script = new URL("../scripts/update-line-specs.ts", import.meta.url).pathname;
const committed = new URL("../packages/emulator/specs/", import.meta.url).pathname;
const commit = "0123456789abcdef0123456789abcdef01234567";

// The shop spec of the "new" commit gains an operation, as LINE's repository does from time to time.
const newerShop = readFileSync(join(committed, "shop.yml"), "utf8").replace(
  /\npaths:\n/,
  '\npaths:\n  "/shop/v3/gift":\n    post:\n      operationId: giftV3\n      responses:\n        "200":\n          description: OK\n',
);

let server: Server | undefined;
let dir: string | undefined;

afterEach(async () => {
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  if (dir) rmSync(dir, { recursive: true, force: true });
  server = undefined;
  dir = undefined;
});

/** Serves line/line-openapi's raw files of one commit, as GitHub's raw host does. */
async function rawFiles(missing?: string): Promise<string> {
  const serving = createServer((request, response) => {
    const [, at, file] = (request.url ?? "").split("/");
    if (at !== commit || !file || file === missing) {
      response.writeHead(404).end("404: Not Found");
      return;
    }
    response.end(file === "shop.yml" ? newerShop : readFileSync(join(committed, file)));
  });
  server = serving;
  await new Promise<void>((resolve) => serving.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(serving.address() as AddressInfo).port}`;
}

function copyOfSpecs(): string {
  dir = mkdtempSync(join(tmpdir(), "specs-"));
  cpSync(committed, dir, { recursive: true });
  return dir;
}

describe("scripts/update-line-specs.ts", () => {
  it("copies every file of the commit, records it in SOURCE and names the new operations", async () => {
    const specs = copyOfSpecs();
    const base = await rawFiles();
    const { stdout } = await run(process.execPath, [script, commit, "--dir", specs], {
      env: { ...process.env, LINE_OPENAPI_RAW_URL: base },
    });
    expect(stdout).toContain("shop: 2 operations; new: giftV3");
    expect(stdout).toContain("messaging-api: 73 operations\n");
    expect(readFileSync(join(specs, "shop.yml"), "utf8")).toBe(newerShop);
    expect(readFileSync(join(specs, "SOURCE"), "utf8")).toBe(
      `repository: https://github.com/line/line-openapi\ncommit: ${commit}\n`,
    );
  });

  it("changes nothing when a file cannot be downloaded, and says which", async () => {
    const specs = copyOfSpecs();
    const before = readFileSync(join(specs, "SOURCE"), "utf8");
    const base = await rawFiles("liff.yml");
    const failure = await run(process.execPath, [script, commit, "--dir", specs], {
      env: { ...process.env, LINE_OPENAPI_RAW_URL: base },
    }).catch((error: { code: number; stderr: string }) => error);
    expect(failure).toMatchObject({ code: 1 });
    expect((failure as { stderr: string }).stderr).toContain(`${commit}/liff.yml: HTTP 404`);
    expect(readFileSync(join(specs, "SOURCE"), "utf8")).toBe(before);
    expect(readFileSync(join(specs, "shop.yml"), "utf8")).toBe(
      readFileSync(join(committed, "shop.yml"), "utf8"),
    );
  });

  it("takes only a full commit hash", async () => {
    const failure = await run(process.execPath, [script, "main"]).catch(
      (error: { code: number; stderr: string }) => error,
    );
    expect(failure).toMatchObject({ code: 1 });
    expect((failure as { stderr: string }).stderr).toContain("40-character commit hash");
  });
});
