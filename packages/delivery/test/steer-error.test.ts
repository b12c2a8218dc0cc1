import { NonRetriableError, RetryAfterError } from "@linefleet/bot";
import { UnrecoverableError } from "bullmq";
import { describe, expect, it } from "vitest";
import { steerError, unrecoverable } from "../src/steer-error.ts";

function thrownByHandler(): NonRetriableError {
  return new NonRetriableError("the order is gone");
}

describe("steerError", () => {
  it("fails a NonRetriableError for good, keeping the handler's stack and the error as cause", () => {
    const error = thrownByHandler();
    const steered = steerError(error);
    expect(steered).toBeInstanceOf(UnrecoverableError);
    expect((steered as Error).message).toBe("the order is gone");
    // What BullMQ stores as the job's stack trace points at the handler, not at this module.
    expect((steered as Error).stack).toMatch(/thrownByHandler/);
    expect((steered as Error).cause).toBe(error);
  });

  it("leaves other errors to be retried, as they are", () => {
    const later = new RetryAfterError(1_000);
    const plain = new Error("boom");
    expect(steerError(later)).toBe(later);
    expect(steerError(plain)).toBe(plain);
  });
});

describe("unrecoverable", () => {
  it("turns any error into BullMQ's do-not-retry, with its message and stack", () => {
    const error = new TypeError("no milk");
    const steered = unrecoverable(error);
    expect(steered.name).toBe("UnrecoverableError");
    expect(steered.message).toBe("no milk");
    expect(steered.stack).toBe(error.stack);
  });
});
