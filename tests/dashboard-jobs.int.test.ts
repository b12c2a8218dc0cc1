import { execFile } from "node:child_process";
import { hasErrorCode } from "@linefleet/errors";
import { createProducerConnection, redisKeys } from "@linefleet/store";
import { repoRoot, waitFor } from "@linefleet/test-support";
import { Queue } from "bullmq";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type EmulatedStack, startEmulatedStack } from "./emulated-stack.ts";

/** `pnpm dead-letters list` on the stack's queue, as a process. */
function listDeadLetters(prefix: string) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = execFile(
      process.execPath,
      ["packages/linefleet/src/worker/dead-letters.ts", "list"],
      {
        cwd: repoRoot,
        env: { PATH: process.env.PATH ?? "", REDIS_URL: inject("redisUrl"), QUEUE_PREFIX: prefix },
        timeout: 20_000,
      },
      (_error, stdout, stderr) => resolve({ code: child.exitCode, stdout, stderr }),
    );
  });
}

const dashboard = { user: "operator", password: "dashboard-password" };
const authorization = `Basic ${Buffer.from(`${dashboard.user}:${dashboard.password}`).toString("base64")}`;

describe("a job added by hand from the dashboard", () => {
  let stack: EmulatedStack;
  let queue: Queue;
  let queueName: string;

  beforeAll(async () => {
    stack = await startEmulatedStack({
      redisUrl: inject("redisUrl"),
      ingressEnv: { DASHBOARD_USER: dashboard.user, DASHBOARD_PASSWORD: dashboard.password },
    });
    // The stack runs one shard: its one queue, named by the layout.
    queueName = redisKeys(stack.prefix).layout.queueName(0);
    queue = new Queue(queueName, {
      connection: createProducerConnection(inject("redisUrl")),
      prefix: stack.prefix,
    });
  });
  afterAll(async () => {
    await queue.close();
    await stack.stop();
  });

  const add = (headers: Record<string, string>, body?: string) =>
    fetch(`${stack.ingressUrl}/admin/queues/api/queues/${queueName}/add`, {
      method: "POST",
      headers: { authorization, ...headers },
      ...(body === undefined ? {} : { body }),
    });

  it("is refused unless sent as JSON, as a page on another site could send it", async () => {
    const bare = await add({});
    const text = await add(
      { "content-type": "text/plain" },
      JSON.stringify({ name: "x", data: {}, options: {} }),
    );
    expect([bare.status, text.status]).toEqual([415, 415]);
    expect(await queue.count()).toBe(0);
  });

  it("is dead-lettered with a clear reason when its payload does not parse; the worker goes on", async () => {
    const added = await add(
      { "content-type": "application/json" },
      JSON.stringify({ name: "by-hand", data: {}, options: {} }),
    );
    expect(added.status).toBe(200);
    const [job] = await queue.getJobs(["waiting", "active", "failed", "delayed"]);
    if (!job?.id) throw new Error("the dashboard added no job");
    const jobId = job.id;
    await waitFor(async () => (await queue.getJobState(jobId)) === "failed", {
      what: "the hand-made job to be dead-lettered",
    });
    const failed = await queue.getJob(jobId);
    expect(failed?.failedReason).toMatch(
      /^LF_WORKER_INVALID_JOB: the job's payload is not a LINE event job: /,
    );
    expect(failed?.failedReason).toContain("destination");
    expect(failed?.failedReason).not.toContain("TypeError");
    expect(failed?.attemptsMade).toBe(1);

    const worker = stack.workers[0];
    if (!worker) throw new Error("no worker");
    const logged = await worker.waitForLine(
      (line) => hasErrorCode(line, "LF_WORKER_INVALID_JOB") && line.jobId === jobId,
    );
    expect(logged.level).toBe(50);
    expect(String(logged.reason)).toContain("destination");
    expect(worker.output()).not.toContain("TypeError");

    // `pnpm dead-letters list` lists it with its reason.
    const listed = await listDeadLetters(stack.prefix);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain("invalid");
    expect(listed.stdout).toContain(failed?.failedReason);
    expect(listed.stderr).not.toContain("TypeError");

    // Alive and well: the next real event is answered.
    const sent = stack.emulator.sendEvent({ type: "text", text: "still there?" });
    const userId = stack.emulator.state().users[0]?.userId ?? "";
    await stack.emulator.deliveryDone(sent.deliveryId);
    await stack.emulator.waitForBotMessages(userId, { timeoutMs: 10_000 });
    expect(worker.child.exitCode).toBeNull();
  });
});
