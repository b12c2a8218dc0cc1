// `pnpm dev`: the whole local stack in one terminal — Redis (when REDIS_URL is unset), the LINE
// emulator (when no LINE credentials are set), the ingress and two workers. Ctrl-C stops it all.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import { createConnection } from "node:net";
import { fileURLToPath } from "node:url";
import { localDev } from "@linefleet/config";

const root = fileURLToPath(new URL("..", import.meta.url));
const env = { ...process.env };
env.BOT_MODULE ??= "packages/bot/src/demo/main.ts"; // the demo bot, unless you name yours
const children: ChildProcess[] = [];
const colors = [36, 35, 33, 32, 34, 31];

function run(name: string, command: string, args: string[], extraEnv: Record<string, string> = {}) {
  const color = colors[children.length % colors.length];
  const child = spawn(command, args, {
    cwd: root,
    env: { ...env, ...extraEnv },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const prefix = `\x1b[${color}m${name.padEnd(9)}\x1b[0m│ `;
  const forward = (chunk: Buffer) => {
    for (const line of chunk.toString().split("\n"))
      if (line) process.stdout.write(`${prefix}${line}\n`);
  };
  child.stdout.on("data", forward);
  child.stderr.on("data", forward);
  child.on("exit", (code, signal) => {
    if (!stopping) {
      console.error(`${name} exited (${signal ?? code}); stopping the stack`);
      stop(1);
    }
  });
  children.push(child);
  return child;
}

let stopping = false;
function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  for (const child of children.reverse()) child.kill("SIGTERM");
  setTimeout(() => process.exit(code), 3_000).unref();
  Promise.all(children.map((child) => new Promise((resolve) => child.once("exit", resolve)))).then(
    () => process.exit(code),
  );
}
process.on("SIGINT", () => stop());
process.on("SIGTERM", () => stop());

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

function hasCommand(command: string): boolean {
  try {
    execFileSync("sh", ["-c", `command -v ${command}`], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

if (!env.REDIS_URL) {
  const port = Number(env.DEV_REDIS_PORT ?? localDev.redisPort);
  if (await portOpen(port)) {
    console.log(`Using the Redis already listening on 127.0.0.1:${port}`);
  } else if (hasCommand("redis-server")) {
    mkdirSync(`${root}/.redis-dev`, { recursive: true });
    run("redis", "redis-server", [
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
    ]);
    for (let i = 0; i < 50 && !(await portOpen(port)); i++)
      await new Promise((r) => setTimeout(r, 100));
  } else {
    console.error(
      [
        "pnpm dev needs Redis (>= 6.2) and found none.",
        "Either install it (Debian/Ubuntu: sudo apt-get install redis-server; macOS: brew install redis)",
        "and run pnpm dev again, or point linefleet at a running Redis:",
        "  REDIS_URL=redis://127.0.0.1:6379 pnpm dev",
      ].join("\n"),
    );
    process.exit(1);
  }
  env.REDIS_URL = `redis://127.0.0.1:${port}`;
}

const port = env.PORT ?? "3000";
const emulated = !env.LINE_CHANNEL_SECRET && !env.LINE_CHANNEL_ACCESS_TOKEN;
if (emulated) {
  // No LINE credentials: talk to the local emulator with development-only ones.
  env.LINE_CHANNEL_SECRET = localDev.channelSecret;
  env.LINE_CHANNEL_ACCESS_TOKEN = localDev.channelAccessToken;
  const emulatorPort = env.EMULATOR_PORT ?? String(localDev.emulatorPort);
  env.LINE_API_BASE_URL = `http://127.0.0.1:${emulatorPort}`;
  env.LINE_DATA_API_BASE_URL = `http://127.0.0.1:${emulatorPort}`;
  run("emulator", process.execPath, ["apps/emulator/src/main.ts"], {
    EMULATOR_PORT: emulatorPort,
    EMULATOR_WEBHOOK_URL: env.EMULATOR_WEBHOOK_URL ?? `http://127.0.0.1:${port}/webhook`,
  });
  setTimeout(
    () => console.log(`\n  Chat with your bot: http://127.0.0.1:${emulatorPort}/\n`),
    1_500,
  );
} else if (!env.LINE_CHANNEL_SECRET || !env.LINE_CHANNEL_ACCESS_TOKEN) {
  console.error(
    "Set both LINE_CHANNEL_SECRET and LINE_CHANNEL_ACCESS_TOKEN for real LINE, or neither for the emulator.",
  );
  process.exit(1);
}

run("ingress", process.execPath, ["apps/ingress/src/main.ts"], { PORT: port });
const workers = Number(env.DEV_WORKERS ?? 2);
// Each worker serves its metrics on a port of its own, counting up from METRICS_PORT.
const metricsPort = Number(env.METRICS_PORT ?? 9464);
for (let i = 1; i <= workers; i++)
  run(`worker-${i}`, process.execPath, ["apps/worker/src/main.ts"], {
    METRICS_PORT: String(metricsPort + i - 1),
  });
console.log(
  `linefleet: ingress on http://127.0.0.1:${port}/webhook (metrics: /metrics), ${workers} workers ` +
    `(metrics on ports ${metricsPort}-${metricsPort + workers - 1}), Redis at ${env.REDIS_URL}`,
);
