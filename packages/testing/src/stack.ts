import { randomBytes, randomUUID } from "node:crypto";
import { cliPath, ingressNodeFlags } from "linefleet";
import { onFreePort, PortTakenError, saysPortInUse } from "./free-port.ts";
import { type AppProcess, startApp, waitForHttp } from "./process.ts";

/** A running ingress and worker fleet, as real processes, for tests and benchmarks that cross both. */
export interface Stack {
  ingressUrl: string;
  channelSecret: string;
  prefix: string;
  ingress: AppProcess;
  workers: AppProcess[];
  /** Starts one more worker on the same queue; it is stopped with the stack. */
  addWorker(env?: Record<string, string>): Promise<AppProcess>;
  /**
   * Kills the ingress (`kill -9`: no shutdown, as in a crash) and starts a new one on the same
   * port with the same environment; resolves once it answers /healthz.
   */
  restartIngress(): Promise<AppProcess>;
  stop(): Promise<void>;
}

export interface StackOptions {
  redisUrl: string;
  lineApiUrl: string;
  channelSecret?: string;
  channelAccessToken?: string;
  /** Reuse a running stack's queue (e.g. to add a worker to it). */
  prefix?: string;
  workers?: number;
  /** Variables for every process (e.g. LOG_LEVEL, NODE_OPTIONS). */
  env?: Record<string, string>;
  ingressEnv?: Record<string, string>;
  workerEnv?: Record<string, string>;
}

export async function startStack(options: StackOptions): Promise<Stack> {
  const channelSecret = options.channelSecret ?? randomBytes(16).toString("hex");
  const prefix = options.prefix ?? `t-${randomUUID()}`;
  const common = {
    ...options.env,
    REDIS_URL: options.redisUrl,
    QUEUE_PREFIX: prefix,
    LINE_CHANNEL_SECRET: channelSecret,
    LINE_CHANNEL_ACCESS_TOKEN: options.channelAccessToken ?? `token-${randomUUID()}`,
  };
  // Workers first: they need no ingress, and start meanwhile.
  const workerEnv = {
    ...common,
    LINE_API_BASE_URL: options.lineApiUrl,
    LINE_DATA_API_BASE_URL: options.lineApiUrl,
    // Each worker's metrics server on a free port of its own (see workerMetricsUrl).
    METRICS_PORT: "0",
    METRICS_HOST: "127.0.0.1",
    ...options.workerEnv,
  };
  const workers = Array.from({ length: options.workers ?? 1 }, (_, index) =>
    startApp(`worker-${index}`, cliPath, workerEnv, [], ["worker"]),
  );
  const startIngress = async (port: number) => {
    const ingressEnv = {
      ...common,
      PORT: String(port),
      HOST: "127.0.0.1",
      // The ingress asks LINE for the bot user ID of a channel without one. A test's LINE must not
      // be the real one, and most tests sign made-up destinations: a closed local port makes the
      // lookup fail at once, so verified webhooks pass unconfirmed (tests of the lookup set it).
      LINE_API_BASE_URL: "http://127.0.0.1:9",
      ...options.ingressEnv,
    };
    const ingress = startApp("ingress", cliPath, ingressEnv, ingressNodeFlags, ["ingress"]);
    const url = `http://127.0.0.1:${port}`;
    try {
      await waitForHttp(`${url}/healthz`, 15_000, ingress);
    } catch (error) {
      await ingress.stop();
      if (saysPortInUse(ingress.output())) throw new PortTakenError(port, ingress.output());
      throw error;
    }
    return { ingress, ingressEnv, url };
  };
  // The ingress is told its port: a restart must come back on the same one. On a port taken
  // since it was probed, another is tried.
  const first = await (options.ingressEnv?.PORT
    ? startIngress(Number(options.ingressEnv.PORT))
    : onFreePort(startIngress)
  ).catch(async (error: unknown) => {
    await Promise.all(workers.map((worker) => worker.stop()));
    throw error;
  });
  const { ingress, ingressEnv, url: ingressUrl } = first;
  await Promise.all(
    workers.map((worker) => worker.waitForLine((line) => line.msg === "worker ready")),
  );
  const stack: Stack = {
    ingressUrl,
    channelSecret,
    prefix,
    ingress,
    workers,
    async addWorker(env = {}) {
      const worker = startApp(
        `worker-${workers.length}`,
        cliPath,
        { ...workerEnv, ...env },
        [],
        ["worker"],
      );
      workers.push(worker);
      await worker.waitForLine((line) => line.msg === "worker ready");
      return worker;
    },
    async restartIngress() {
      await stack.ingress.kill();
      stack.ingress = startApp("ingress", cliPath, ingressEnv, ingressNodeFlags, ["ingress"]);
      await waitForHttp(`${ingressUrl}/healthz`);
      return stack.ingress;
    },
    async stop() {
      await Promise.all([stack.ingress.stop(), ...workers.map((worker) => worker.stop())]);
    },
  };
  return stack;
}

/** Where a worker started by the stack serves /metrics, /healthz and /readyz. */
export async function workerMetricsUrl(worker: AppProcess): Promise<string> {
  const ready = await worker.waitForLine((line) => line.msg === "worker ready");
  return `http://127.0.0.1:${ready.metricsPort}`;
}
