/** Shared helpers of the benchmarks: processes, /proc accounting, load generation, statistics. */
import { execFileSync } from "node:child_process";
import { createHmac, randomBytes } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { Agent, request } from "node:http";
import { cpus, loadavg } from "node:os";
import { createEmulator, type Emulator } from "@linefleet/emulator";
import {
  type AppProcess,
  freePort,
  type Stack,
  startApp,
  startStack,
  waitForHttp,
} from "@linefleet/test-support";
import autocannon from "autocannon";

export const CHANNEL_SECRET = "bench-channel-secret-0123456789ab";
export const BOT_USER_ID = `U${"b".repeat(32)}`;
/** Every comparison uses these: the same load generator settings for every server. */
export const CONNECTIONS = 32;
/** The workers' default: a reply token older than this (from the event timestamp) is not used. */
export const REPLY_TOKEN_MAX_AGE_MS = 50_000;

export interface Flags {
  quick: boolean;
  /** Scenarios to run; all when empty. */
  only: Set<string>;
}

export function parseFlags(argv: readonly string[]): Flags {
  const only = new Set<string>();
  let quick = false;
  for (const arg of argv) {
    if (arg === "--quick") quick = true;
    else if (arg.startsWith("--only=")) for (const name of arg.slice(7).split(",")) only.add(name);
    else
      throw new Error(`unknown flag ${arg}; use --quick and --only=ingress,cost,e2e,burst,memory`);
  }
  return { quick, only };
}

export function log(message: string): void {
  process.stdout.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

// ---------------------------------------------------------------------------------------------
// Webhook bodies

let eventCounter = 0;
const runId = randomBytes(5).toString("hex").toUpperCase();

export interface TextEventInput {
  chatId: string;
  text: string;
  replyToken: string;
  timestamp: number;
}

/** One LINE text message event in its envelope, as LINE sends it (about 480 bytes). */
export function textWebhookBody(input: TextEventInput): string {
  const n = eventCounter++;
  return JSON.stringify({
    destination: BOT_USER_ID,
    events: [
      {
        type: "message",
        message: {
          id: String(500_000_000_000_000 + n),
          type: "text",
          quoteToken: `q${runId}${n.toString(36).padStart(40, "0")}`,
          text: input.text,
        },
        webhookEventId: `01K${runId}${n.toString(32).toUpperCase().padStart(13, "0")}`,
        deliveryContext: { isRedelivery: false },
        timestamp: input.timestamp,
        source: { type: "user", userId: input.chatId },
        replyToken: input.replyToken,
        mode: "active",
      },
    ],
  });
}

export function signedHeaders(body: string): Record<string, string> {
  return {
    "content-type": "application/json; charset=utf-8",
    "x-line-signature": createHmac("sha256", CHANNEL_SECRET).update(body).digest("base64"),
    "user-agent": "LineBotWebhook/2.0",
  };
}

export const chatIdFor = (index: number) => `U${index.toString(16).padStart(32, "0")}`;
/** Reply tokens carry their issue time so the LINE stand-in can expire them as LINE does. */
export const replyTokenFor = (issuedAt: number, n: number) => `${issuedAt}x${n.toString(16)}`;

/** A webhook for the n-th event of a run: `chat:seq:sentAtMs` as text, echoed back by the bot. */
export function benchWebhook(n: number, chats: number, seqInChat = n) {
  const sentAt = performance.timeOrigin + performance.now();
  const chat = n % chats;
  const body = textWebhookBody({
    chatId: chatIdFor(chat),
    text: `${chat}:${seqInChat}:${sentAt.toFixed(3)}`,
    replyToken: replyTokenFor(Math.floor(sentAt), n),
    timestamp: Math.floor(sentAt),
  });
  return { body, headers: signedHeaders(body) };
}

// ---------------------------------------------------------------------------------------------
// Load generation

export interface LatencyStats {
  p50: number;
  p99: number;
  max: number;
}

export interface ThroughputResult extends LatencyStats {
  rps: number;
  ok: number;
  failed: number;
}

/**
 * Closed-loop maximum throughput with autocannon: CONNECTIONS keep-alive connections, each sending
 * its next request as soon as the previous is answered. Every request gets a fresh, signed body.
 */
export async function maxThroughput(
  url: string,
  durationS: number,
  make: (n: number) => { body: string; headers: Record<string, string> },
  amount?: number,
): Promise<ThroughputResult> {
  let n = 0;
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    ...(amount ? { amount } : { duration: durationS }),
    timeout: 30,
    requests: [
      {
        method: "POST",
        setupRequest: (req: Record<string, unknown>) => ({ ...req, method: "POST", ...make(n++) }),
      },
    ],
  });
  return {
    rps: result["2xx"] / (result.duration || durationS),
    ok: result["2xx"],
    failed: result.non2xx + result.errors + result.timeouts,
    p50: result.latency.p50,
    p99: result.latency.p99,
    max: result.latency.max,
  };
}

export interface PacedResult extends LatencyStats {
  rate: number;
  sent: number;
  ok: number;
  failed: number;
  /** Requests per second actually achieved. */
  achieved: number;
}

/**
 * Open-loop constant rate: request i is due at start + i/rate, whatever the answers, and its
 * latency counts from when it was due (so a stall is not hidden by a waiting generator).
 * autocannon's `overallRate` is not used for this: it sends each connection's whole per-second
 * quota back to back at the start of every second, which measures a burst, not a steady rate.
 */
export function paced(
  url: string,
  rate: number,
  durationS: number,
  make: (n: number) => { body: string; headers: Record<string, string> },
): Promise<PacedResult> {
  const target = new URL(url);
  const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  const total = Math.round(rate * durationS);
  const latencies = new Float64Array(total);
  let sent = 0;
  let done = 0;
  let ok = 0;
  let failed = 0;
  const start = performance.now();

  return new Promise((resolve) => {
    const finish = () => {
      agent.destroy();
      const elapsed = (performance.now() - start) / 1000;
      resolve({
        rate,
        sent,
        ok,
        failed,
        achieved: sent / Math.min(elapsed, durationS + 1),
        ...latencyStats(latencies.subarray(0, done)),
      });
    };
    const settle = (index: number, due: number, success: boolean) => {
      latencies[done++] = performance.now() - due;
      if (success) ok++;
      else failed++;
      if (done === total) finish();
      void index;
    };
    const fire = (index: number) => {
      const due = start + (index * 1000) / rate;
      const { body, headers } = make(index);
      const req = request(
        {
          agent,
          host: target.hostname,
          port: target.port,
          path: target.pathname,
          method: "POST",
          headers: { ...headers, "content-length": Buffer.byteLength(body) },
        },
        (res) => {
          res.resume();
          res.on("end", () => settle(index, due, res.statusCode === 200));
        },
      );
      req.on("error", () => settle(index, due, false));
      req.end(body);
    };
    const tick = () => {
      const due = Math.min(total, Math.floor(((performance.now() - start) * rate) / 1000) + 1);
      while (sent < due) fire(sent++);
      if (sent < total) setTimeout(tick, 1);
    };
    tick();
  });
}

export function latencyStats(values: Float64Array | number[]): LatencyStats {
  const sorted = Float64Array.from(values).sort();
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
  return { p50: at(0.5) ?? Number.NaN, p99: at(0.99) ?? Number.NaN, max: at(1) ?? Number.NaN };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

// ---------------------------------------------------------------------------------------------
// Processes and their own accounting

const CLOCK_TICKS = Number(execFileSync("getconf", ["CLK_TCK"]).toString().trim()) || 100;

/** User + system CPU time the process has used, in ms, from the kernel's accounting. */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // Fields after the command name (which may contain spaces) start at field 3.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
}

/** Peak resident set size (VmHWM) in MiB. */
export function peakRssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
  return kb / 1024;
}

/** Resets VmHWM to the current RSS, so a later peakRssMiB covers only what follows. */
export function resetPeakRss(pid: number): void {
  writeFileSync(`/proc/${pid}/clear_refs`, "5");
}

export function pidOf(app: AppProcess): number {
  const pid = app.child.pid;
  if (pid === undefined) throw new Error(`${app.name} has no pid`);
  return pid;
}

/** CPU use of named processes over a phase. */
export class CpuMeter {
  readonly #pids: Map<string, number>;
  #before = new Map<string, number>();
  constructor(pids: Record<string, number>) {
    this.#pids = new Map(Object.entries(pids));
  }
  start(): void {
    for (const [name, pid] of this.#pids) this.#before.set(name, cpuMs(pid));
  }
  /** CPU ms per process since start(). */
  stop(): Record<string, number> {
    const used: Record<string, number> = {};
    for (const [name, pid] of this.#pids) used[name] = cpuMs(pid) - (this.#before.get(name) ?? 0);
    return used;
  }
}

/** linefleet's real ingress and worker processes, with their default log level (info). */
export function startBenchStack(options: {
  redisUrl: string;
  prefix: string;
  workers: number;
  lineApiUrl?: string;
  workerConcurrency?: number;
  nodeOptions?: string;
}): Promise<Stack> {
  return startStack({
    redisUrl: options.redisUrl,
    prefix: options.prefix,
    workers: options.workers,
    // Without a LINE side (the ingress scenario) workers get an address nothing listens on.
    lineApiUrl: options.lineApiUrl ?? "http://127.0.0.1:9",
    channelSecret: CHANNEL_SECRET,
    channelAccessToken: "bench-access-token",
    env: {
      LOG_LEVEL: "info",
      ...(options.nodeOptions ? { NODE_OPTIONS: options.nodeOptions } : {}),
    },
    workerEnv: {
      REPLY_TOKEN_MAX_AGE_MS: String(REPLY_TOKEN_MAX_AGE_MS),
      WORKER_CONCURRENCY: String(options.workerConcurrency ?? 16),
    },
  });
}

/** linefleet wired to the emulator as LINE: the workers call it, it sends webhooks to the ingress. */
export async function startBenchStackOn(
  line: LineSide,
  options: { redisUrl: string; prefix: string; workers: number },
): Promise<Stack> {
  const stack = await startBenchStack({ ...options, lineApiUrl: line.emulator.url });
  line.emulator.configure({ webhookUrl: `${stack.ingressUrl}/webhook` });
  return stack;
}

/** The pids whose CPU a scenario accounts: the ingress, Redis and each worker by name. */
export function stackPids(stack: Stack, redisPid: number): Record<string, number> {
  return {
    ingress: pidOf(stack.ingress),
    redis: redisPid,
    ...Object.fromEntries(stack.workers.map((worker) => [worker.name, pidOf(worker)])),
  };
}

/** A comparison server or the LINE stand-in from bench/servers, as its own process. */
export async function startServer(
  name: string,
  env: Record<string, string> = {},
): Promise<{ url: string; app: AppProcess; pid: number }> {
  const port = await freePort();
  const app = startApp(name, `bench/servers/${name}.ts`, {
    PORT: String(port),
    LINE_CHANNEL_SECRET: CHANNEL_SECRET,
    ...env,
  });
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(`${url}/healthz`);
  return { url, app, pid: pidOf(app) };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------------------------------------
// Machine and versions

export function machine() {
  const version = (pkg: string, from = ".") => {
    try {
      const json = readFileSync(`${from}/node_modules/${pkg}/package.json`, "utf8");
      return (JSON.parse(json) as { version: string }).version;
    } catch {
      return "?";
    }
  };
  const cpuModel = /model name\s*:\s*(.+)/.exec(readFileSync("/proc/cpuinfo", "utf8"))?.[1];
  return {
    date: new Date().toISOString(),
    cpus: cpus().length,
    cpuModel: cpuModel ?? cpus()[0]?.model ?? "?",
    memGiB: Math.round(
      Number(/MemTotal:\s+(\d+)/.exec(readFileSync("/proc/meminfo", "utf8"))?.[1]) / 1024 / 1024,
    ),
    kernel: readFileSync("/proc/sys/kernel/osrelease", "utf8").trim(),
    /** The 1-minute load average when the run started, and when it ended (set by run.ts). */
    loadAverageAtStart: loadavg()[0] ?? Number.NaN,
    loadAverageAtEnd: Number.NaN,
    node: process.version,
    redis: /v=(\S+)/.exec(execFileSync("redis-server", ["--version"]).toString())?.[1] ?? "?",
    packages: {
      fastify: version("fastify"),
      bullmq: version("bullmq", "packages/store"),
      ioredis: version("ioredis"),
      "@line/bot-sdk": version("@line/bot-sdk"),
      express: version("express"),
      autocannon: version("autocannon"),
    },
  };
}

export type Machine = ReturnType<typeof machine>;

// ---------------------------------------------------------------------------------------------
// End to end, with LINE played by the emulator (in this process)

export interface LineSide {
  emulator: Emulator;
  chatIds: string[];
  /** Bot messages seen so far, in arrival order: the event's sequence number, how and when. */
  answers: Array<{ seq: number; chatId: string; via: string; at: number }>;
  close(): Promise<void>;
}

/** The LINE emulator with `chats` users, listening on a free port, recording the bot's answers. */
export async function startLineSide(chats: number): Promise<LineSide> {
  const emulator = createEmulator({
    channelSecret: CHANNEL_SECRET,
    channelAccessToken: "bench-access-token",
    bot: { userId: BOT_USER_ID },
    // The bench measures answers, not LINE's retries: a refused webhook is counted, not resent.
    redelivery: { enabled: false },
    users: Array.from({ length: chats }, (_, i) => ({
      displayName: `user ${i}`,
      userId: chatIdFor(i),
    })),
  });
  await emulator.listen({ port: 0, host: "127.0.0.1" });
  const answers: LineSide["answers"] = [];
  emulator.subscribe((activity) => {
    if (activity.kind !== "message" || activity.data.from !== "bot") return;
    answers.push({
      seq: Number((activity.data.message as { text?: string }).text),
      chatId: activity.data.chatId,
      via: activity.data.via ?? "?",
      at: performance.now(),
    });
  });
  return {
    emulator,
    chatIds: Array.from({ length: chats }, (_, i) => chatIdFor(i)),
    answers,
    close: () => emulator.close(),
  };
}

export async function pollUntil(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() > deadline) return false;
    await sleep(20);
  }
  return true;
}

export interface SteadyResult extends LatencyStats {
  rate: number;
  durationS: number;
  events: number;
  answered: number;
  viaReply: number;
  failedWebhooks: number;
  /** Answers per second, from the first webhook to the last answer: below `rate`, it fell behind. */
  answerRate: number;
  /** Whether the stack kept up: every event answered, at (nearly) the offered rate. */
  keptUp: boolean;
  /** CPU ms used over the phase (until its last answer), per process. */
  cpuMs: Record<string, number>;
}

/**
 * User messages at a constant rate through the emulator (each its own webhook, as LINE sends
 * them), then waits for every answer. Latency: from the emulator sending the webhook to the bot's
 * answer arriving at the emulator. CPU is measured over the same window.
 */
export async function steady(
  line: LineSide,
  rate: number,
  durationS: number,
  pids: Record<string, number>,
): Promise<SteadyResult> {
  const total = Math.round(rate * durationS);
  const firstSeq = reserveSeqs(total);
  const sentAt = new Float64Array(total);
  let failedWebhooks = 0;
  const unsubscribe = line.emulator.subscribe((activity) => {
    if (activity.kind === "delivery" && (activity.data.status < 200 || activity.data.status > 299))
      failedWebhooks++;
  });
  const answersBefore = line.answers.length;
  const meter = new CpuMeter(pids);
  meter.start();
  const start = performance.now();
  let sent = 0;
  await new Promise<void>((resolve) => {
    const tick = () => {
      const due = Math.min(total, Math.floor(((performance.now() - start) * rate) / 1000) + 1);
      while (sent < due) {
        const seq = firstSeq + sent;
        sentAt[sent] = performance.now();
        line.emulator.sendEvent({
          type: "text",
          from: line.chatIds[seq % line.chatIds.length] as string,
          text: String(seq),
        });
        sent++;
      }
      if (sent < total) setTimeout(tick, 1);
      else resolve();
    };
    tick();
  });
  const inRange = (seq: number) => seq >= firstSeq && seq < firstSeq + total;
  let answered = 0;
  let scanned = answersBefore;
  await pollUntil(() => {
    for (; scanned < line.answers.length; scanned++) {
      if (inRange((line.answers[scanned] as LineSide["answers"][number]).seq)) answered++;
    }
    return answered >= total - failedWebhooks;
  }, 60_000);
  const cpu = meter.stop();
  unsubscribe();
  const latencies: number[] = [];
  let viaReply = 0;
  let lastAnswerAt = start;
  for (const answer of line.answers.slice(answersBefore)) {
    const index = answer.seq - firstSeq;
    if (index < 0 || index >= total) continue;
    latencies.push(answer.at - (sentAt[index] as number));
    lastAnswerAt = Math.max(lastAnswerAt, answer.at);
    if (answer.via === "reply") viaReply++;
  }
  const answerRate = (latencies.length * 1000) / Math.max(1, lastAnswerAt - start);
  return {
    answerRate,
    keptUp: latencies.length === total && answerRate >= rate * 0.95,
    rate,
    durationS,
    events: total,
    answered: latencies.length,
    viaReply,
    failedWebhooks,
    cpuMs: cpu,
    ...latencyStats(latencies),
  };
}

let nextSeq = 0;
/** Sequence numbers (the text of the bench's messages) unique within the run. */
export function reserveSeqs(count: number): number {
  const first = nextSeq;
  nextSeq += count;
  return first;
}

/** Waits until no answer has arrived for `quietMs`: late answers of a phase must not leak into the next. */
export async function settle(line: LineSide, quietMs = 500): Promise<void> {
  let count = -1;
  while (count !== line.answers.length) {
    count = line.answers.length;
    await sleep(quietMs);
  }
}

// ---------------------------------------------------------------------------------------------
// The naive durable pipeline (comparison c), wired like linefleet: same Redis, same LINE side

export interface NaivePipeline {
  ingressUrl: string;
  ingress: AppProcess;
  workers: AppProcess[];
  stop(): Promise<void>;
}

/** Fastify + HMAC + `SET NX` + `queue.add`, and plain BullMQ workers replying through the SDK. */
export async function startNaivePipeline(options: {
  redisUrl: string;
  prefix: string;
  workers: number;
  lineApiUrl?: string;
}): Promise<NaivePipeline> {
  const env = { REDIS_URL: options.redisUrl, QUEUE_PREFIX: options.prefix };
  const ingress = await startServer("naive-ingress", env);
  const workers = Array.from({ length: options.workers }, (_, i) =>
    startApp(`naive-worker-${i + 1}`, "bench/servers/naive-worker.ts", {
      ...env,
      LINE_CHANNEL_ACCESS_TOKEN: "bench-access-token",
      LINE_API_BASE_URL: options.lineApiUrl ?? "http://127.0.0.1:9",
    }),
  );
  await Promise.all(workers.map((w) => w.waitForLine((line) => line.msg === "worker ready")));
  return {
    ingressUrl: ingress.url,
    ingress: ingress.app,
    workers,
    stop: async () => {
      await Promise.all([ingress.app.stop(), ...workers.map((w) => w.stop())]);
    },
  };
}

/** The naive pipeline wired to the emulator as LINE, as startBenchStackOn does for linefleet. */
export async function startNaiveOn(
  line: LineSide,
  options: { redisUrl: string; prefix: string; workers: number },
): Promise<NaivePipeline> {
  const naive = await startNaivePipeline({ ...options, lineApiUrl: line.emulator.url });
  line.emulator.configure({ webhookUrl: `${naive.ingressUrl}/webhook` });
  return naive;
}
