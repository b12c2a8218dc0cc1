import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { type CheckResult, checkRedis } from "@linefleet/doctor";
import {
  type AppProcess,
  createTestPki,
  freePort,
  repoRoot,
  startApp,
  startLocalRedisServer,
  startStack,
  type TestRedis,
  waitFor,
  workerMetricsUrl,
} from "@linefleet/test-support";
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startEmulatedStack } from "./emulated-stack.ts";

const run = promisify(execFile);

/** `pnpm run doctor --json`, as a process: its exit code and its report. */
async function doctor(env: Record<string, string>, args: string[] = []) {
  const result = await run(
    process.execPath,
    ["packages/linefleet/src/doctor/main.ts", "--json", ...args],
    {
      cwd: repoRoot,
      env: { PATH: process.env.PATH ?? "", ...env },
    },
  ).then(
    (done) => ({ code: 0, stdout: done.stdout }),
    (error: { code: number; stdout: string }) => ({ code: error.code, stdout: error.stdout }),
  );
  const report = JSON.parse(result.stdout) as { ok: boolean; results: CheckResult[] };
  const byName = Object.fromEntries(report.results.map((r) => [r.name, r]));
  return { code: result.code, results: report.results, byName };
}

const statuses = (results: CheckResult[]) => results.map((r) => `${r.status} ${r.name}`);

describe("the doctor and INGRESS_MIN_REPLICAS", () => {
  it("warns while Redis has fewer replicas online than INGRESS_MIN_REPLICAS, and is ok once it has them", async () => {
    const master = await startLocalRedisServer();
    let replica: TestRedis | undefined;
    try {
      const check = async () =>
        (
          await checkRedis({
            url: master.url,
            allowEvicting: false,
            timeoutMs: 2_000,
            minReplicas: 1,
          })
        ).find((r) => r.name === "Redis replicas");
      const alone = await check();
      expect(alone?.status).toBe("warn");
      expect(alone?.detail).toContain("0 online, fewer than INGRESS_MIN_REPLICAS=1");
      replica = await startLocalRedisServer({ replicaOf: master });
      await waitFor(async () => (await check())?.status === "ok", {
        timeoutMs: 15_000,
        what: "the replica online",
      });
      expect((await check())?.detail).toBe("1 online, INGRESS_MIN_REPLICAS=1");
      // Without INGRESS_MIN_REPLICAS there is nothing to check.
      const unset = await checkRedis({ url: master.url, allowEvicting: false, timeoutMs: 2_000 });
      expect(unset.some((r) => r.name === "Redis replicas")).toBe(false);
    } finally {
      await replica?.close();
      await master.close();
    }
  });
});

describe("Redis that may evict queued events", () => {
  let redis: TestRedis;
  const processes: Array<{ stop(): Promise<unknown> }> = [];

  beforeAll(async () => {
    // A private server: the policy is changed on it, never on the shared one.
    redis = await startLocalRedisServer();
    const client = new Redis(redis.url);
    await client.config("SET", "maxmemory-policy", "allkeys-lru");
    client.disconnect();
  });
  afterEach(async () => {
    await Promise.all(processes.splice(0).map((p) => p.stop()));
  });
  afterAll(() => redis.close());

  it("fails the doctor's policy line, with the reason; ALLOW_EVICTING_REDIS turns it into a warning", async () => {
    const refused = await checkRedis({ url: redis.url, allowEvicting: false, timeoutMs: 2_000 });
    const policy = refused.find((r) => r.name === "Redis maxmemory-policy");
    expect(policy?.status).toBe("fail");
    expect(policy?.detail).toContain("allkeys-lru: Redis may evict queued events");
    const allowed = await checkRedis({ url: redis.url, allowEvicting: true, timeoutMs: 2_000 });
    expect(allowed.find((r) => r.name === "Redis maxmemory-policy")?.status).toBe("warn");
  });

  it("the ingress's and the worker's /readyz answer 503 with the reason, logged as errors", async () => {
    const stack = await startStack({ redisUrl: redis.url, lineApiUrl: "http://127.0.0.1:9" });
    processes.push(stack);
    const response = await fetch(`${stack.ingressUrl}/readyz`);
    expect(response.status).toBe(503);
    const body = (await response.json()) as { error: string; reason: string };
    expect(body.error).toBe("redis_may_evict");
    expect(body.reason).toContain("maxmemory-policy is allkeys-lru");
    await stack.ingress.waitForLine((line) => line.level === 50 && line.policy === "allkeys-lru");
    const worker = stack.workers[0] as AppProcess;
    await worker.waitForLine((line) => line.level === 50 && line.policy === "allkeys-lru");
    const workerReady = await fetch(`${await workerMetricsUrl(worker)}/readyz`);
    expect(workerReady.status).toBe(503);
    expect(await workerReady.json()).toMatchObject({
      error: "redis_may_evict",
      reason: expect.stringContaining("maxmemory-policy is allkeys-lru"),
    });
  });

  it("with ALLOW_EVICTING_REDIS=true the ingress is ready, and says why it warns", async () => {
    const stack = await startStack({
      redisUrl: redis.url,
      lineApiUrl: "http://127.0.0.1:9",
      workers: 0,
      env: { ALLOW_EVICTING_REDIS: "true" },
    });
    processes.push(stack);
    expect((await fetch(`${stack.ingressUrl}/readyz`)).status).toBe(200);
    await stack.ingress.waitForLine((line) => line.level === 40 && line.policy === "allkeys-lru");
  });
});

describe("pnpm run doctor against the emulator and a running ingress", () => {
  let redis: TestRedis;
  beforeAll(async () => {
    // AOF on, as in production, so that every line can be ok.
    redis = await startLocalRedisServer({ appendOnly: true });
  });
  afterAll(() => redis.close());

  it("prints all ok and exits 0; a bot user id of another channel fails", async () => {
    const stack = await startEmulatedStack({ redisUrl: redis.url });
    try {
      const env = {
        LINE_CHANNEL_SECRET: stack.emulator.channelSecret,
        LINE_CHANNEL_ACCESS_TOKEN: stack.emulator.channelAccessToken,
        LINE_API_BASE_URL: stack.emulator.url,
        LINE_DATA_API_BASE_URL: stack.emulator.url,
        REDIS_URL: redis.url,
        LINE_BOT_USER_ID: stack.emulator.bot.userId,
      };
      const healthy = await doctor(env, ["--ingress-url", `${stack.ingressUrl}/webhook`]);
      expect(statuses(healthy.results)).toEqual([
        "ok config (ingress)",
        "ok config (worker)",
        "ok config (channels)",
        "ok Redis",
        "ok Redis maxmemory-policy",
        "ok Redis persistence",
        "ok access token (bot info)",
        "ok webhook URL at LINE",
        "ok LINE's webhook test",
        "ok webhook TLS",
        "ok ingress signed test webhook",
      ]);
      expect(healthy.code).toBe(0);

      const other = await doctor({ ...env, LINE_BOT_USER_ID: `U${"a".repeat(32)}` }, [
        "--ingress-url",
        `${stack.ingressUrl}/webhook`,
      ]);
      expect(other.code).toBe(1);
      expect(other.byName["access token (bot info)"]?.detail).toContain(
        `not to LINE_BOT_USER_ID U${"a".repeat(32)}`,
      );
    } finally {
      await stack.stop();
    }
  });
});

describe("the ingress serving TLS itself (TLS_CERT_FILE + TLS_KEY_FILE)", () => {
  let redis: TestRedis;
  let dir: string;
  const processes: AppProcess[] = [];
  beforeAll(async () => {
    redis = await startLocalRedisServer({ appendOnly: true });
    dir = await mkdtemp(join(tmpdir(), "linefleet-doctor-"));
  });
  afterEach(async () => {
    await Promise.all(processes.splice(0).map((p) => p.stop()));
  });
  afterAll(async () => {
    await redis.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** An ingress on HTTPS with `cert` as its chain file, and an emulator (as LINE) sending to it. */
  async function start(name: string, served: "fullchain" | "leaf") {
    const pki = await createTestPki(name);
    const files = {
      root: join(dir, `${name}-root.pem`),
      cert: join(dir, `${name}-cert.pem`),
      key: join(dir, `${name}-key.pem`),
    };
    await writeFile(files.root, pki.root.cert);
    const leaf = await pki.leaf({ hostnames: ["localhost"] });
    await writeFile(
      files.cert,
      served === "fullchain" ? leaf.cert + pki.intermediate.cert : leaf.cert,
    );
    await writeFile(files.key, leaf.key);
    const [ingressPort, emulatorPort] = [await freePort(), await freePort()];
    const credentials = {
      LINE_CHANNEL_SECRET: `secret-${name}`,
      LINE_CHANNEL_ACCESS_TOKEN: `token-${name}`,
      // Each test's emulator is another bot: a prefix of its own, or the bot user ID the ingress
      // learned in an earlier test (kept in the shared Redis) refuses this one's webhooks.
      QUEUE_PREFIX: `doctor-${name}-${randomUUID()}`,
    };
    const webhookUrl = `https://localhost:${ingressPort}/webhook`;
    // The test root plays a public CA for every process here, as NODE_EXTRA_CA_CERTS does.
    const trust = { NODE_EXTRA_CA_CERTS: files.root };
    const ingress = startApp("ingress", "packages/linefleet/src/ingress/main.ts", {
      ...credentials,
      ...trust,
      REDIS_URL: redis.url,
      PORT: String(ingressPort),
      HOST: "127.0.0.1",
      TLS_CERT_FILE: files.cert,
      TLS_KEY_FILE: files.key,
    });
    const emulator = startApp("emulator", "packages/linefleet/src/emulator/main.ts", {
      ...credentials,
      ...trust,
      EMULATOR_PORT: String(emulatorPort),
      EMULATOR_WEBHOOK_URL: webhookUrl,
    });
    processes.push(ingress, emulator);
    await ingress.waitForLine((line) => String(line.msg).startsWith("Server listening"));
    await emulator.waitForLine((line) => String(line.msg).startsWith("LINE emulator ready"));
    const env = {
      ...credentials,
      ...trust,
      LINE_API_BASE_URL: `http://127.0.0.1:${emulatorPort}`,
      LINE_DATA_API_BASE_URL: `http://127.0.0.1:${emulatorPort}`,
      REDIS_URL: redis.url,
      PORT: String(ingressPort),
      TLS_CERT_FILE: files.cert,
      TLS_KEY_FILE: files.key,
    };
    return { pki, ingress, env };
  }

  it("full chain: the doctor's TLS lines and LINE's test are ok", async () => {
    const { env, ingress } = await start("full", "fullchain");
    const report = await doctor(env);
    expect(report.results.filter((r) => r.status !== "ok")).toEqual([]);
    expect(report.byName["TLS certificate chain"]?.detail).toContain("sends 2 certificates");
    expect(report.code).toBe(0);
    expect(
      ingress.lines.some(
        (line) =>
          typeof line === "object" && line.check === "TLS certificate chain" && line.level === 30,
      ),
    ).toBe(true);
  });

  it("leaf only: the ingress warns at start naming the missing intermediate; the doctor fails", async () => {
    const { env, ingress, pki } = await start("leafonly", "leaf");
    const warning = await ingress.waitForLine(
      (line) => line.level === 40 && line.check === "TLS certificate chain",
    );
    expect(warning.msg).toContain("leaf served without its intermediate");
    expect(warning.msg).toContain(pki.intermediateName);
    expect(warning.hint).toContain("serve fullchain.pem, not cert.pem");

    const report = await doctor(env);
    expect(report.code).toBe(1);
    const notOk = report.results.filter((r) => r.status !== "ok");
    expect(
      statuses(notOk),
      // On a failure, say why each line is not ok.
      JSON.stringify(notOk.map((r) => `${r.name}: ${r.detail}`)),
    ).toEqual(["fail LINE's webhook test", "fail TLS certificate chain"]);
    expect(report.byName["LINE's webhook test"]?.detail).toContain(
      'reason COULD_NOT_CONNECT, detail "TLS handshake failure:',
    );
    const chain = report.byName["TLS certificate chain"];
    expect(chain?.detail).toContain(
      `the intermediate that issued it, '${pki.intermediateName}', is missing`,
    );
    expect(chain?.hint).toContain("serve fullchain.pem, not cert.pem");
  });
});
