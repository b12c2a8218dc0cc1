import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createConnection } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type AppProcess, freePort, startApp, waitFor } from "@linefleet/testing";
import { afterAll, describe, expect, inject, it } from "vitest";

const dir = mkdtempSync(join(tmpdir(), "dev-stack-"));
let dev: AppProcess | undefined;

afterAll(async () => {
  await dev?.kill();
  rmSync(dir, { recursive: true, force: true });
});

const text = (line: AppProcess["lines"][number]) =>
  typeof line === "string" ? line : JSON.stringify(line);

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: "127.0.0.1" });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

describe("pnpm dev", () => {
  it("announces the chat UI once everything is ready, records its services, and stops cleanly on Ctrl-C", async () => {
    const [port, emulatorPort] = [await freePort(), await freePort()];
    const stateFile = join(dir, "dev.json");
    const prefix = `dev-${Math.random().toString(36).slice(2)}`;
    dev = startApp("dev", "scripts/dev.ts", {
      REDIS_URL: inject("redisUrl"),
      QUEUE_PREFIX: prefix,
      PORT: String(port),
      EMULATOR_PORT: String(emulatorPort),
      DEV_WORKERS: "2",
      DEV_STATE_FILE: stateFile,
    });
    const app = dev;
    const announced = await waitFor(
      () => {
        const at = app.lines.findIndex((line) => text(line).includes("Chat with your bot:"));
        return at >= 0 ? at : undefined;
      },
      { timeoutMs: 30_000, what: "the chat UI's address" },
    );
    const before = app.lines.slice(0, announced).map(text);
    const index = (what: string, from = "") =>
      before.findIndex((line) => line.includes(from) && line.includes(what));
    // Every process said it was ready before the address was printed.
    expect(index("LINE emulator ready")).toBeGreaterThanOrEqual(0);
    expect(index('"msg":"worker ready"', "worker-1 ")).toBeGreaterThanOrEqual(0);
    expect(index('"msg":"worker ready"', "worker-2 ")).toBeGreaterThanOrEqual(0);
    expect(text(app.lines[announced] ?? "")).toContain(`http://127.0.0.1:${emulatorPort}/`);
    expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${emulatorPort}/`)).status).toBe(200);

    expect(JSON.parse(readFileSync(stateFile, "utf8"))).toEqual({
      pid: app.child.pid,
      redisUrl: inject("redisUrl"),
      queuePrefix: prefix,
      ingressUrl: `http://127.0.0.1:${port}`,
      emulatorUrl: `http://127.0.0.1:${emulatorPort}`,
    });

    const exited = new Promise<number | null>((resolve) =>
      app.child.once("exit", (code) => resolve(code)),
    );
    app.child.kill("SIGINT");
    expect(await exited).toBe(0);
    expect(existsSync(stateFile)).toBe(false);
    // Nothing of the stack is left running.
    expect(await portOpen(port)).toBe(false);
    expect(await portOpen(emulatorPort)).toBe(false);
    expect(app.output()).toContain("linefleet: SIGINT: stopping the stack");
    expect(app.output()).not.toContain("exited (");
  });
});
