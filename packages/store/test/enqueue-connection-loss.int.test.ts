import { makeBotUserId, startLocalRedisServer, waitFor } from "@linefleet/test-support";
import { describe, expect, it } from "vitest";
import { chatEvent, closedAfterEach, openEnqueuer } from "./enqueue-fixture.ts";

/**
 * A write the ingress gave up on must not land later: the request was answered 503 or spooled,
 * and a chat's newer events may already be queued, ahead of it in the chat's lane.
 */
describe("a write in flight when the enqueue's connection is lost", () => {
  const closers = closedAfterEach();
  const destination = makeBotUserId();

  it("fails at once and is not sent again once the connection is back", async () => {
    // A Redis of its own: the test pauses its clients and kills their connections.
    const redis = await startLocalRedisServer();
    closers.push(() => redis.close());
    const {
      enqueuer,
      reader: admin,
      jobExists,
    } = await openEnqueuer(closers, {
      url: redis.url,
      // Longer than the test holds the call: only the lost connection may fail it.
      callTimeoutMs: 30_000,
    });
    // The writer is ready once a first write went through.
    await enqueuer.enqueue(destination, [chatEvent("first")], Date.now());

    // Writes wait in the server while it is paused; the enqueue's script call is one.
    await admin.call("CLIENT", "PAUSE", "10000", "WRITE");
    const lost = chatEvent("in flight");
    const outcome = enqueuer.enqueue(destination, [lost], Date.now()).then(
      () => "stored",
      (error: Error) => error.message,
    );
    await waitFor(
      async () => /cmd=evalsha/.test(String(await admin.call("CLIENT", "LIST", "TYPE", "normal"))),
      { timeoutMs: 5_000, what: "the script call waiting in the paused server" },
    );
    await admin.call("CLIENT", "KILL", "TYPE", "normal", "SKIPME", "yes");
    expect(await outcome).toMatch(/closed/i);
    await admin.call("CLIENT", "UNPAUSE");

    // Once the connections are back, a later event is stored, and the lost one still is not:
    // ioredis would have sent it again on reconnecting, before anything newer.
    const later = chatEvent("after the reconnection");
    await waitFor(
      () =>
        enqueuer.enqueue(destination, [later], Date.now()).then(
          () => true,
          () => false,
        ),
      { what: "an enqueue after the reconnection" },
    );
    expect(await jobExists(later)).toBe(true);
    expect(await jobExists(lost)).toBe(false);
  });
});
