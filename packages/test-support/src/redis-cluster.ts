import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { waitFor } from "@linefleet/testing";
import { freePort, PortTakenError, saysPortInUse } from "@linefleet/testing/internals";
import { Redis } from "ioredis";

const run = promisify(execFile);

/** What failover takes is bounded by this: a master unseen for this long is failed over. */
export const CLUSTER_NODE_TIMEOUT_MS = 3_000;

// Never leave a node running past the test process, even when it ends without cleaning up.
const everyNode = new Set<ChildProcess>();
process.once("exit", () => {
  for (const child of everyNode) child.kill("SIGKILL");
});

export interface ClusterNode {
  readonly port: number;
  readonly address: string;
}

/** A real Redis Cluster for tests: 3 masters and 3 replicas on loopback, from `redis-server`. */
export interface TestRedisCluster {
  /** Every node's `host:port`, comma-separated: the value of REDIS_CLUSTER_NODES. */
  readonly seeds: string;
  readonly nodes: readonly ClusterNode[];
  /** The nodes currently serving slots, as the cluster itself says. */
  masters(): Promise<ClusterNode[]>;
  /**
   * `kill -9` one master (the first, unless a port is given): no chance to hand over, as when a
   * machine dies. Resolves with the node killed once its process is gone.
   */
  killMaster(port?: number): Promise<ClusterNode>;
  /** A live replica of a master, as the cluster itself says; none after its failover. */
  replicaOf(master: ClusterNode): Promise<ClusterNode | undefined>;
  /**
   * SIGSTOP a node: it holds its connections but answers nothing, as a stalled or partitioned
   * node. A frozen replica lags behind its master: what the master takes is on it alone.
   */
  freeze(node: ClusterNode): void;
  /** SIGCONT: the node carries on where it stopped. */
  thaw(node: ClusterNode): void;
  /** Resolves once a replica has taken over the killed node's slots and every live node says ok. */
  waitForFailover(killed: ClusterNode, timeoutMs?: number): Promise<void>;
  /** Stops every node and deletes their data. */
  close(): Promise<void>;
}

/**
 * Starts 6 `redis-server` processes in cluster mode in a temporary directory, joins them with
 * `redis-cli --cluster create … --cluster-replicas 1` and waits until every node reports
 * `cluster_state:ok`. Each node's bus port is chosen free too (`cluster-port`), since the default
 * (port + 10000) can fall outside the port range or onto a port in use.
 */
export async function startRedisCluster(): Promise<TestRedisCluster> {
  const dir = await mkdtemp(join(tmpdir(), "linefleet-cluster-"));
  const children = new Map<number, ChildProcess>();
  const nodes: ClusterNode[] = [];
  try {
    // freePort can hand out the same port twice in a row (it is free again once probed).
    const taken = new Set<number>();
    const uniquePort = async () => {
      for (;;) {
        const port = await freePort();
        if (!taken.has(port)) {
          taken.add(port);
          return port;
        }
      }
    };
    /** Starts one node; throws a PortTakenError when its port or bus port was taken meanwhile. */
    const spawnNode = async (port: number, busPort: number): Promise<ClusterNode> => {
      const nodeDir = join(dir, String(port));
      await mkdir(nodeDir);
      const child = spawn(
        "redis-server",
        [
          "--port",
          String(port),
          "--bind",
          "127.0.0.1",
          "--dir",
          nodeDir,
          "--cluster-enabled",
          "yes",
          "--cluster-config-file",
          "nodes.conf",
          "--cluster-node-timeout",
          String(CLUSTER_NODE_TIMEOUT_MS),
          "--cluster-port",
          String(busPort),
          "--save",
          "",
          "--appendonly",
          "no",
          "--maxmemory-policy",
          "noeviction",
        ],
        { stdio: ["ignore", "pipe", "pipe"] },
      );
      child.once("error", () => {});
      children.set(port, child);
      everyNode.add(child);
      child.once("exit", () => everyNode.delete(child));
      let output = "";
      const collect = (chunk: Buffer) => {
        output += chunk;
      };
      child.stdout.on("data", collect);
      child.stderr.on("data", collect);
      const node = { port, address: `127.0.0.1:${port}` };
      const exited = new Promise<never>((_, reject) =>
        child.once("exit", (code) =>
          reject(
            saysPortInUse(output)
              ? new PortTakenError(port, `redis-server (bus port ${busPort}) could not bind`)
              : new Error(`redis-server on ${port} exited with ${code}: ${output}`),
          ),
        ),
      );
      exited.catch(() => {});
      await Promise.race([
        exited,
        waitFor(() => command(node, "ping").then((reply) => reply === "PONG"), {
          what: `redis-server on ${port}`,
        }),
      ]);
      // Past the start, its log is not needed: stop collecting it.
      child.stdout.off("data", collect).resume();
      child.stderr.off("data", collect).resume();
      return node;
    };
    // Each node is told its ports up front: on a port taken since it was probed, try others.
    const startNode = async (): Promise<ClusterNode> => {
      for (let attempt = 1; ; attempt++) {
        try {
          return await spawnNode(await uniquePort(), await uniquePort());
        } catch (error) {
          if (!(error instanceof PortTakenError) || attempt >= 5) throw error;
        }
      }
    };
    for (let i = 0; i < 6; i++) nodes.push(await startNode());
    await run("redis-cli", [
      "--cluster",
      "create",
      ...nodes.map((node) => node.address),
      "--cluster-replicas",
      "1",
      "--cluster-yes",
    ]);
    await waitUntilOk(nodes, 30_000);
    // A replica that never synced cannot take over: failover tests need every link up first.
    await waitFor(
      async () => {
        const infos = await Promise.all(nodes.map((node) => command(node, "info", "replication")));
        const replicas = infos.filter((info) => String(info).includes("role:slave"));
        return (
          replicas.length === 3 &&
          replicas.every((info) => String(info).includes("master_link_status:up"))
        );
      },
      { timeoutMs: 30_000, intervalMs: 100, what: "every replica in sync" },
    );
  } catch (error) {
    await stopAll(children);
    await rm(dir, { recursive: true, force: true });
    throw error;
  }

  const running = (child: ChildProcess | undefined) =>
    child !== undefined && child.exitCode === null && child.signalCode === null;
  const alive = () => nodes.filter((node) => running(children.get(node.port)));

  async function masters(): Promise<ClusterNode[]> {
    const [first] = alive();
    if (!first) return [];
    const table = String(await command(first, "cluster", "nodes"));
    return parseNodes(table)
      .filter((entry) => entry.master && entry.slots && !entry.failed)
      .flatMap((entry) => nodes.filter((node) => node.port === entry.port));
  }

  return {
    seeds: nodes.map((node) => node.address).join(","),
    nodes,
    masters,
    async killMaster(port) {
      const target = port ?? (await masters())[0]?.port;
      const child = target === undefined ? undefined : children.get(target);
      const node = nodes.find((candidate) => candidate.port === target);
      if (!running(child) || !child || !node)
        throw new Error(`no running master${port ? ` on ${port}` : ""}`);
      const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      child.kill("SIGKILL");
      await exited;
      return node;
    },
    async replicaOf(master) {
      const [first] = alive();
      if (!first) throw new Error("no running node");
      const table = parseNodes(String(await command(first, "cluster", "nodes")));
      const masterId = table.find((entry) => entry.port === master.port)?.id;
      const port = table.find(
        (entry) => masterId && entry.masterId === masterId && !entry.failed,
      )?.port;
      return alive().find((node) => node.port === port);
    },
    freeze(node) {
      children.get(node.port)?.kill("SIGSTOP");
    },
    thaw(node) {
      children.get(node.port)?.kill("SIGCONT");
    },
    async waitForFailover(killed, timeoutMs = 20_000) {
      await waitFor(
        async () => {
          const serving = await masters();
          return serving.length === 3 && !serving.some((node) => node.port === killed.port);
        },
        { timeoutMs, intervalMs: 100, what: `a replica to take over from ${killed.address}` },
      );
      await waitUntilOk(alive(), timeoutMs);
    },
    async close() {
      await stopAll(children);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

interface NodeEntry {
  id: string;
  /** A replica's master's id; "-" for a master. */
  masterId: string;
  port: number;
  master: boolean;
  failed: boolean;
  slots: boolean;
}

/** `CLUSTER NODES`: `<id> <ip:port@bus> <flags> <master> <ping> <pong> <epoch> <link> <slot>…` */
function parseNodes(table: string): NodeEntry[] {
  return table
    .trim()
    .split("\n")
    .map((line) => {
      const [id = "", address = "", flags = "", masterId = "", , , , , ...slots] = line.split(" ");
      return {
        id,
        masterId,
        port: Number(address.split("@")[0]?.split(":")[1]),
        master: flags.split(",").includes("master"),
        failed: flags.includes("fail"),
        slots: slots.length > 0,
      };
    });
}

async function waitUntilOk(nodes: readonly ClusterNode[], timeoutMs: number): Promise<void> {
  await waitFor(
    async () => {
      const infos = await Promise.all(nodes.map((node) => command(node, "cluster", "info")));
      return infos.every((info) => String(info).includes("cluster_state:ok"));
    },
    { timeoutMs, intervalMs: 100, what: "cluster_state:ok on every node" },
  );
}

/** One command on one node over a short-lived plain connection (not a cluster client). */
async function command(node: ClusterNode, name: string, ...args: string[]): Promise<unknown> {
  const client = new Redis(node.port, "127.0.0.1", {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  client.on("error", () => {});
  try {
    await client.connect();
    return await client.call(name, ...args);
  } finally {
    client.disconnect();
  }
}

async function stopAll(children: Map<number, ChildProcess>): Promise<void> {
  await Promise.all(
    [...children.values()].map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once("exit", () => resolve());
          // A frozen node would never act on SIGTERM.
          child.kill("SIGCONT");
          child.kill("SIGTERM");
        }),
    ),
  );
}
