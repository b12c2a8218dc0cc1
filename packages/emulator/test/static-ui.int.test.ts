import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createEmulator, type Emulator } from "../src/index.ts";

let emulator: Emulator | undefined;
let dir: string | undefined;

async function serve(uiDir: string) {
  emulator = createEmulator({ channelSecret: "s", channelAccessToken: "t", uiDir });
  return emulator.listen();
}

afterEach(async () => {
  await emulator?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
  emulator = undefined;
  dir = undefined;
});

describe("chat UI files", () => {
  it("serves index.html at / and other files under /ui/ with their types", async () => {
    dir = await mkdtemp(join(tmpdir(), "emulator-ui-"));
    await writeFile(join(dir, "index.html"), "<!doctype html><title>chat</title>");
    await writeFile(join(dir, "app.js"), "export {};");
    const url = await serve(dir);
    const index = await fetch(`${url}/`);
    expect(index.headers.get("content-type")).toContain("text/html");
    expect(await index.text()).toContain("<title>chat</title>");
    const script = await fetch(`${url}/ui/app.js`);
    expect(script.headers.get("content-type")).toContain("text/javascript");
    expect(await script.text()).toBe("export {};");
    expect((await fetch(`${url}/ui/missing.js`)).status).toBe(404);
    expect((await fetch(`${url}/ui/..%2f..%2fetc%2fpasswd`)).status).toBe(404);
  });

  it("serves a placeholder page when the UI is not there", async () => {
    const url = await serve(join(tmpdir(), "no-such-emulator-ui"));
    const index = await fetch(`${url}/`);
    expect(index.status).toBe(200);
    expect(await index.text()).toContain("chat UI is not installed");
  });

  it("answers unknown paths with LINE's 404 shape", async () => {
    const url = await serve(join(tmpdir(), "no-such-emulator-ui"));
    const response = await fetch(`${url}/nothing/here`);
    expect(response.status).toBe(404);
    expect(response.headers.get("x-line-request-id")).toBeTruthy();
    expect(await response.json()).toEqual({ message: "Not found" });
  });
});
