import { setTimeout as sleep } from "node:timers/promises";
import {
  type BotTest,
  scrape,
  startBotTest,
  waitFor,
  workerMetricsUrl,
} from "@linefleet/test-support";
import { afterEach, describe, expect, inject, it } from "vitest";

const BOT = "tests/bots/signup-conversation.ts";
const texts = (answers: { text: string | undefined }[]) => answers.map((a) => a.text);

/** The worker process that handled an event (its log line "event done" names the event). */
function handlerOf(test: BotTest, webhookEventId: string) {
  return test.stack.workers.find((worker) =>
    worker.lines.some(
      (line) =>
        typeof line === "object" &&
        line.webhookEventId === webhookEventId &&
        line.msg === "answer sent",
    ),
  );
}

/** A metric summed over the worker processes still running. */
async function fleetMetric(test: BotTest, name: string, labels?: Record<string, string>) {
  const running = test.stack.workers.filter(
    (worker) => worker.child.exitCode === null && worker.child.signalCode === null,
  );
  const scrapes = await Promise.all(
    running.map(async (worker) => scrape(`${await workerMetricsUrl(worker)}/metrics`)),
  );
  return scrapes.map((one) => one.value(name, labels));
}

describe("conversations on worker processes", () => {
  let test: BotTest | undefined;
  afterEach(async () => {
    await test?.stop();
    test = undefined;
  });

  it("survive a kill -9 between steps, keep to their chat, take quick messages in order, and leave by /cancel", async () => {
    test = await startBotTest({ bot: BOT, redisUrl: inject("redisUrl"), workers: 2 });
    const alice = test.user("Alice");
    const bob = test.user("Bob");
    expect(texts(await alice.says("/signup"))).toEqual(["What is your name?"]);
    const named = await alice.says("Alice");
    expect(texts(named)).toEqual(["How old are you, Alice?"]);

    // The worker that took the last step dies; another one, started afterwards, goes on. (Its log
    // line may reach this process after the job is gone: wait for it.)
    const stepTaken = named.event.webhookEventId;
    const handler = await waitFor(() => test && handlerOf(test, stepTaken), {
      timeoutMs: 15_000,
      what: "the log of the worker that took the step",
    });
    await handler.kill();
    await test.stack.addWorker();

    // Another chat's route works meanwhile: the conversation holds only Alice's chat.
    expect(texts(await bob.says("ping"))).toEqual(["pong"]);
    expect(texts(await bob.says("Bob"))).toEqual(["echo: Bob"]);

    // Two answers sent at once are taken one after the other, in the order they were sent. (A
    // chat's order is its events' timestamps, in ms: the second is sent a few ms later, so they
    // differ, as two messages a person types always do.)
    const aged = alice.says("30");
    await sleep(5);
    await Promise.all([aged, alice.says("pro")]);
    expect(await test.session(alice.id)).toEqual({
      profile: { name: "Alice", age: 30, plan: "pro" },
    });
    expect(texts(test.answers(alice.id))).toEqual([
      "What is your name?",
      "How old are you, Alice?",
      "Which plan: free or pro?",
      "Signed up: Alice, 30, pro",
    ]);

    // /cancel leaves a conversation from any step; the routes answer it and what follows.
    const carol = test.user("Carol");
    await carol.says("/signup");
    await carol.says("Carol");
    expect(texts(await carol.says("/cancel"))).toEqual(["Cancelled."]);
    expect(texts(await carol.says("31"))).toEqual(["echo: 31"]);
    expect(await test.session(carol.id)).toEqual({});
  });

  it("end by a wait's timeout with its otherwise, counted in the metrics", async () => {
    test = await startBotTest({ bot: BOT, redisUrl: inject("redisUrl"), workers: 2 });
    const erin = test.user("Erin");
    const frank = test.user("Frank");
    // Frank has ten minutes to answer, Erin one second.
    expect(texts(await frank.says("/quiz 600000"))).toEqual(["Capital of France?"]);
    expect(texts(await erin.says("/quiz 1000"))).toEqual(["Capital of France?"]);
    const erinId = erin.id;
    await waitFor(
      () => test?.answers(erinId).some((answer) => answer.text === "Too slow: it was Paris."),
      { timeoutMs: 20_000, what: "the timeout's otherwise" },
    );
    // Over: the answer goes to the routes.
    expect(texts(await erin.says("Paris"))).toEqual(["echo: Paris"]);
    // Every worker reads the same index: one chat (Frank's) waits for an answer.
    expect(await fleetMetric(test, "linefleet_conversations_active")).toEqual([1, 1]);
    expect(texts(await frank.says("paris"))).toEqual(["Right!"]);
    const timedOut = await fleetMetric(test, "linefleet_conversations_timed_out_total", {
      conversation: "quiz",
    });
    expect(timedOut.reduce((sum, count) => sum + count, 0)).toBe(1);
    expect(await fleetMetric(test, "linefleet_conversations_active")).toEqual([0, 0]);
  });

  it("finish a step once when its worker is killed mid-step, after it answered", async () => {
    test = await startBotTest({
      bot: BOT,
      redisUrl: inject("redisUrl"),
      workerEnv: { STALL_AFTER: "free", WORKER_LOCK_DURATION_MS: "1500" },
    });
    const alice = test.user("Alice");
    await alice.says("/signup");
    await alice.says("Alice");
    await alice.says("40");
    const last = alice.says("free");
    const doomed = test.stack.workers[0];
    await doomed?.waitForLine((line) => line.msg === "stalling after the answer");
    await doomed?.kill();
    // The heir replays the conversation, takes the answer again, and sends nothing twice.
    await test.stack.addWorker({ STALL_AFTER: "" });
    expect(texts(await last)).toEqual(["Signed up: Alice, 40, free"]);
    expect(await test.session(alice.id)).toEqual({
      profile: { name: "Alice", age: 40, plan: "free" },
    });
    expect(texts(await alice.says("free"))).toEqual(["echo: free"]);
  });
});
