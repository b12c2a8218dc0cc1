// `linefleet dev` (`pnpm dev` in linefleet's repository): the whole local stack in one terminal —
// Redis (when REDIS_URL is unset), the LINE emulator (when no LINE credentials are set), the
// ingress and two workers, restarted when the bot's files change. Ctrl-C stops it all. While it
// runs, `.linefleet-dev.json` says where its services are, for `linefleet dead-letters` and
// `linefleet trigger` run beside it.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import { createConnection, createServer } from "node:net";
import { createInterface } from "node:readline";
import {
  devStackFile,
  localDev,
  printableUrl,
  removeDevStack,
  writeDevStack,
} from "@linefleet/config";
import { cliPath, ingressNodeFlags } from "../cli/cli-path.ts";
import { defaultDevBot } from "./default-bot.ts";
import { dockerReachable, startRedisContainer } from "./dev-redis.ts";
import { richMenusBesideBot, syncRichMenus } from "./rich-menus.ts";
import { watchBot } from "./watch-bot.ts";

const root = process.cwd();
const env = { ...process.env };
const bot = defaultDevBot(env.BOT_MODULE, root);
if (bot) env.BOT_MODULE = bot;
const stateFile = devStackFile(env);
const colors = [36, 35, 33, 32, 34, 31];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Service {
  name: string;
  child: ChildProcess;
  exited: Promise<void>;
  /** Redis is stopped last, once nothing uses it any more. */
  last: boolean;
  /** Stopped on purpose to be started again (a worker, when the bot changed). */
  replaced?: boolean;
}
const services: Service[] = [];

/** Starts one process; `onLine` sees each line it writes (JSON-parsed when it is JSON). */
function run(
  name: string,
  command: string,
  args: string[],
  options: {
    env?: Record<string, string>;
    last?: boolean;
    onLine?: (line: Record<string, unknown>) => void;
  } = {},
) {
  const color = colors[services.length % colors.length];
  const child = spawn(command, args, {
    cwd: root,
    env: { ...env, ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
    // Its own process group: Ctrl-C reaches this script only, which stops the stack in order
    // (the apps first, Redis last) instead of everything at once.
    detached: true,
  });
  const prefix = `\x1b[${color}m${name.padEnd(9)}\x1b[0m│ `;
  // By lines, not by chunks: a chunk can end in the middle of a line.
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY }).on("line", (line) => {
      if (!line) return;
      process.stdout.write(`${prefix}${line}\n`);
      if (options.onLine && line.startsWith("{")) {
        try {
          options.onLine(JSON.parse(line) as Record<string, unknown>);
        } catch {
          // Not JSON after all: shown above, nothing to read from it.
        }
      }
    });
  }
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const service: Service = { name, child, exited, last: options.last ?? false };
  child.once("exit", (code, signal) => {
    if (!stopping && !service.replaced) {
      console.error(`${name} exited (${signal ?? code}); stopping the stack`);
      void stop(1);
    }
  });
  services.push(service);
  return child;
}

/** What stops after the processes: a Redis container. */
const afterServices: Array<() => Promise<void>> = [];

let stopping = false;
async function stop(code: number) {
  if (stopping) return;
  stopping = true;
  removeDevStack(stateFile, process.pid);
  const stopAll = async (group: Service[]) => {
    for (const { child } of group) if (child.exitCode === null) child.kill("SIGTERM");
    await Promise.race([Promise.all(group.map((s) => s.exited)), sleep(12_000)]);
  };
  await stopAll(services.filter((s) => !s.last));
  await stopAll(services.filter((s) => s.last));
  await Promise.all(afterServices.map((cleanUp) => cleanUp().catch(() => {})));
  process.exit(code);
}
for (const signal of ["SIGINT", "SIGTERM"] as const)
  process.on(signal, () => {
    if (!stopping) console.log(`\nlinefleet: ${signal}: stopping the stack`);
    void stop(0);
  });
// However this script ends, it leaves no process of the stack behind.
process.on("exit", () => {
  removeDevStack(stateFile, process.pid);
  for (const { child } of services) if (child.exitCode === null) child.kill("SIGKILL");
});

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

/** Whether this process could listen on `host:port` now: tried, then closed at once. */
function portFree(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/**
 * Refuses to start when a port the stack would listen on is taken (by another `pnpm dev`, say),
 * naming the variable that moves it, rather than letting a process die on it halfway through.
 */
async function assertPortsFree(ports: Array<{ variable: string; port: number; host: string }>) {
  const taken: string[] = [];
  for (const { variable, port, host } of ports) {
    // 0 asks the system for a free port: nothing to check.
    if (port !== 0 && !(await portFree(port, host)))
      taken.push(`  port ${port} (${variable}) is in use; set ${variable} to a free port`);
  }
  if (taken.length === 0) return;
  console.error(["linefleet dev cannot start:", ...taken].join("\n"));
  process.exit(1);
}

function hasCommand(command: string): boolean {
  try {
    execFileSync("sh", ["-c", `command -v ${command}`], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/** Something each process says once it is ready; the stack is announced when all have. */
function readiness() {
  let resolve = () => {};
  const ready = new Promise<void>((r) => {
    resolve = r;
  });
  return { ready, resolve };
}

const port = env.PORT ?? "3000";
const emulated = !env.LINE_CHANNEL_SECRET && !env.LINE_CHANNEL_ACCESS_TOKEN;
const emulatorPort = env.EMULATOR_PORT ?? String(localDev.emulatorPort);
const workers = Number(env.DEV_WORKERS ?? 2);
// With METRICS_PORT set, the workers' metrics ports count up from it; else each worker takes a
// free port (0), which it reports when ready: two stacks never collide on a default port.
const metricsPorts = Array.from({ length: workers }, (_, i) =>
  env.METRICS_PORT ? Number(env.METRICS_PORT) + i : 0,
);
await assertPortsFree([
  { variable: "PORT", port: Number(port), host: env.HOST ?? "0.0.0.0" },
  ...(emulated
    ? [
        {
          variable: "EMULATOR_PORT",
          port: Number(emulatorPort),
          host: env.EMULATOR_HOST ?? "127.0.0.1",
        },
      ]
    : []),
  ...metricsPorts.map((metricsPort) => ({
    variable: "METRICS_PORT",
    port: metricsPort,
    host: env.METRICS_HOST ?? "0.0.0.0",
  })),
]);

if (!env.REDIS_URL) {
  const port = Number(env.DEV_REDIS_PORT ?? localDev.redisPort);
  if (await portOpen(port)) {
    console.log(`Using the Redis already listening on 127.0.0.1:${port}`);
  } else if (hasCommand("redis-server")) {
    mkdirSync(`${root}/.redis-dev`, { recursive: true });
    run(
      "redis",
      "redis-server",
      [
        "--port",
        String(port),
        "--bind",
        "127.0.0.1",
        "--dir",
        `${root}/.redis-dev`,
        "--appendonly",
        "yes",
        "--save",
        "",
        "--maxmemory-policy",
        "noeviction",
      ],
      { last: true },
    );
    for (let i = 0; i < 100 && !(await portOpen(port)); i++) await sleep(100);
  } else if (await dockerReachable()) {
    console.log(`No redis-server here: starting Redis in a container on 127.0.0.1:${port}`);
    const container = await startRedisContainer(port);
    afterServices.push(() => container.stop());
  } else {
    console.error(
      [
        "linefleet dev needs Redis (>= 6.2) and found none (no redis-server, no reachable Docker engine).",
        "Either install it (Debian/Ubuntu: sudo apt-get install redis-server; macOS: brew install redis)",
        "or start Docker,",
        "and run it again, or point linefleet at a running Redis:",
        "  REDIS_URL=redis://127.0.0.1:6379 linefleet dev",
      ].join("\n"),
    );
    process.exit(1);
  }
  env.REDIS_URL = `redis://127.0.0.1:${port}`;
}

let lastIngressProblem = "";
const waitingFor = new Map<string, Promise<void>>();
let emulatorUrl: string | undefined;
if (emulated) {
  // No LINE credentials: talk to the local emulator with development-only ones.
  env.LINE_CHANNEL_SECRET = localDev.channelSecret;
  env.LINE_CHANNEL_ACCESS_TOKEN = localDev.channelAccessToken;
  env.LINE_API_BASE_URL = `http://127.0.0.1:${emulatorPort}`;
  env.LINE_DATA_API_BASE_URL = `http://127.0.0.1:${emulatorPort}`;
  const emulator = readiness();
  waitingFor.set("emulator", emulator.ready);
  run("emulator", process.execPath, [cliPath, "emulator"], {
    env: {
      EMULATOR_PORT: emulatorPort,
      EMULATOR_WEBHOOK_URL: env.EMULATOR_WEBHOOK_URL ?? `http://127.0.0.1:${port}/webhook`,
    },
    onLine: (line) => {
      if (typeof line.url !== "string" || typeof line.chatUiUrl !== "string") return;
      emulatorUrl = line.url;
      emulator.resolve();
    },
  });
} else if (!env.LINE_CHANNEL_SECRET || !env.LINE_CHANNEL_ACCESS_TOKEN) {
  console.error(
    "Set both LINE_CHANNEL_SECRET and LINE_CHANNEL_ACCESS_TOKEN for real LINE, or neither for the emulator.",
  );
  process.exit(1);
}

// The ingress asks LINE (here, the emulator) for the bot's user ID as it starts: the emulator first,
// or that first question finds nobody and is logged as a warning.
await waitingFor.get("emulator");
// With the ingress's GC setting, as `pnpm start:ingress` runs it (bench/README.md).
run("ingress", process.execPath, [...ingressNodeFlags, cliPath, "ingress"], {
  env: { PORT: port },
});
const ingressUrl = `http://127.0.0.1:${port}`;
waitingFor.set("ingress", ingressReady(`${ingressUrl}/readyz`));
/** Each worker's metrics port as it reported it when ready. */
const metricsPortsInUse: number[] = [];
/** The bot's recurring jobs (`bot.every`), as the workers declared them when ready. */
let recurringJobs: string[] = [];
/** Starts worker `i` (from 1); resolves once it says it is ready. */
function startWorker(i: number): Promise<void> {
  const worker = readiness();
  run(`worker-${i}`, process.execPath, [cliPath, "worker"], {
    env: { METRICS_PORT: String(metricsPorts[i - 1]) },
    onLine: (line) => {
      if (line.msg !== "worker ready") return;
      metricsPortsInUse[i - 1] = Number(line.metricsPort);
      if (Array.isArray(line.recurringJobs)) recurringJobs = line.recurringJobs.map(String);
      worker.resolve();
    },
  });
  return worker.ready;
}
for (let i = 1; i <= workers; i++) waitingFor.set(`worker-${i}`, startWorker(i));

let restarting = Promise.resolve();
/** Replaces the workers one by one, so the new bot module is loaded afresh. */
async function restartWorkers(changed: string) {
  console.log(`linefleet: ${changed} changed: restarting the workers`);
  for (const service of services.filter((s) => s.name.startsWith("worker-"))) {
    service.replaced = true;
    service.child.kill("SIGTERM");
    await service.exited;
    services.splice(services.indexOf(service), 1);
    if (stopping) return;
    await startWorker(Number(service.name.slice("worker-".length)));
  }
  console.log("linefleet: the workers run the changed bot");
}

/** Polls /readyz quietly: its failures while the ingress starts are expected, not news. */
async function ingressReady(url: string): Promise<void> {
  for (;;) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) return;
      lastIngressProblem = `${url} answered ${response.status}`;
    } catch (error) {
      lastIngressProblem = `${url}: ${((error as Error).cause as Error | undefined)?.message ?? (error as Error).message}`;
    }
    await sleep(200);
  }
}

const pending = new Set(waitingFor.keys());
for (const [name, ready] of waitingFor) void ready.then(() => pending.delete(name));
const slowNotice = setInterval(() => {
  const problem = pending.has("ingress") && lastIngressProblem ? ` (${lastIngressProblem})` : "";
  console.log(`linefleet: still waiting for ${[...pending].join(", ")}${problem}`);
}, 10_000);
await Promise.all(waitingFor.values());
clearInterval(slowNotice);
if (stopping) await new Promise(() => {});

writeDevStack(stateFile, {
  pid: process.pid,
  redisUrl: env.REDIS_URL,
  queuePrefix: env.QUEUE_PREFIX || "linefleet",
  ingressUrl,
  ...(emulatorUrl ? { emulatorUrl } : {}),
});
console.log(
  `\nlinefleet is ready: ingress on ${ingressUrl}/webhook (metrics: /metrics), ${workers} workers ` +
    `(metrics on ports ${metricsPortsInUse.join(", ")}), Redis at ${printableUrl(env.REDIS_URL)}`,
);
console.log(
  recurringJobs.length > 0
    ? `Recurring jobs (once per tick, fleet-wide): ${recurringJobs.join("; ")}`
    : "Recurring jobs: none (bot.every declares them)",
);
if (emulatorUrl) console.log(`\n  Chat with your bot: ${emulatorUrl}/\n`);
// A `rich-menus.ts` beside the bot is synced to the emulator at start and after each change.
const richMenus = emulated && env.BOT_MODULE ? richMenusBesideBot(env.BOT_MODULE) : undefined;
const syncing = new Set<ChildProcess>();
process.on("exit", () => {
  for (const child of syncing) if (child.exitCode === null) child.kill("SIGKILL");
});
function syncMenus(module: string): Promise<void> {
  const prefix = "\x1b[36mrichmenu \x1b[0m│ ";
  // `env` points LINE at the emulator, with the development token.
  const sync = syncRichMenus(cliPath, module, env, (line) =>
    process.stdout.write(`${prefix}${line}\n`),
  );
  syncing.add(sync.child);
  return sync.done.finally(() => syncing.delete(sync.child));
}
if (richMenus) restarting = restarting.then(() => syncMenus(richMenus));
if (env.BOT_MODULE) {
  watchBot(env.BOT_MODULE, (changed) => {
    restarting = restarting.then(async () => {
      await restartWorkers(changed);
      if (richMenus && !stopping) await syncMenus(richMenus);
    });
  });
}
