import { describe, expect, it } from "vitest";
import { TimeoutError, withTimeout } from "../src/index.ts";

describe("withTimeout", () => {
  it("resolves with the promise's value when it settles in time", async () => {
    await expect(withTimeout(Promise.resolve(42), 1_000, "answer")).resolves.toBe(42);
  });

  it("passes the promise's own rejection through", async () => {
    const failure = new Error("redis down");
    await expect(withTimeout(Promise.reject(failure), 1_000, "enqueue")).rejects.toBe(failure);
  });

  it("rejects with a TimeoutError naming what was late once the bound passes", async () => {
    let release: (value: string) => void = () => {};
    const slow = new Promise<string>((resolve) => {
      release = resolve;
    });
    const bounded = withTimeout(slow, 20, "enqueue");
    await expect(bounded).rejects.toBeInstanceOf(TimeoutError);
    await expect(bounded).rejects.toThrow("enqueue took longer than 20 ms");
    release("late"); // settling afterwards changes nothing
    await expect(bounded).rejects.toBeInstanceOf(TimeoutError);
  });

  it("leaves no unhandled rejection when the promise fails after the bound", async () => {
    let fail: (error: Error) => void = () => {};
    const slow = new Promise<never>((_, reject) => {
      fail = reject;
    });
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on("unhandledRejection", onUnhandled);
    try {
      await expect(withTimeout(slow, 10, "enqueue")).rejects.toBeInstanceOf(TimeoutError);
      fail(new Error("too late"));
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(unhandled).toEqual([]);
    } finally {
      process.off("unhandledRejection", onUnhandled);
    }
  });
});
