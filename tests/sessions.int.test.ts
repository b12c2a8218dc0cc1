import { setTimeout as sleep } from "node:timers/promises";
import { hasErrorCode } from "@linefleet/errors";
import { BotFailedError, startBotTest } from "@linefleet/test-support";
import { describe, expect, inject, it } from "vitest";

describe("sessions", () => {
  it("never lose an update: of two concurrent writers, the later committer is retried", async () => {
    const test = await startBotTest({
      bot: "tests/bots/session-counter.ts",
      redisUrl: inject("redisUrl"),
      workers: 2,
      // The second event waits at most 200 ms behind the first, then runs alongside it.
      workerEnv: { LANE_MAX_WAIT_MS: "200" },
    });
    try {
      const alice = test.user("Alice");
      const slow = alice.says("slow");
      await sleep(100);
      const fast = alice.says("fast");
      await Promise.all([slow, fast]);

      // Both updates are in the session: the slow event saw the fast one's write and was retried.
      expect(await test.session(alice.id)).toEqual({ count: 2, seen: ["fast", "slow"] });
      const conflicts = test.stack.workers
        .flatMap((worker) => worker.lines)
        .filter(
          (line) =>
            typeof line === "object" &&
            line.msg === "handler failed" &&
            hasErrorCode(line.err, "LF_SESSION_CONFLICT"),
        );
      expect(conflicts).toHaveLength(1);
      expect(test.stack.workers.flatMap((w) => w.lines)).toContainEqual(
        expect.objectContaining({
          msg: "lane moved on: an earlier event of this chat is still pending",
        }),
      );
      // The retry re-ran the handler, but its answer was already sent: the user saw it once.
      expect(
        test
          .answers(alice.id)
          .map((a) => a.text)
          .sort(),
      ).toEqual(["fast: count 1", "slow: count 1"]);
    } finally {
      await test.stop();
    }
  });

  it("are saved only when the event succeeds", async () => {
    const test = await startBotTest({
      bot: "tests/bots/session-counter.ts",
      redisUrl: inject("redisUrl"),
    });
    try {
      const alice = test.user("Alice");
      await alice.says("one");
      await expect(alice.says("fail")).rejects.toBeInstanceOf(BotFailedError);
      await alice.says("two");
      expect(await test.session(alice.id)).toEqual({ count: 2, seen: ["one", "two"] });
      const bob = test.user("Bob");
      expect(await test.session(bob.id)).toBeUndefined();
    } finally {
      await test.stop();
    }
  });
});
