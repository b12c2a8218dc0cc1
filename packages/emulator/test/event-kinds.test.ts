import { describe, expect, it } from "vitest";
import { eventKinds, eventTypes, loadLineSpecs } from "../src/index.ts";

const messageTypes: readonly string[] = [
  "text",
  "image",
  "video",
  "audio",
  "file",
  "location",
  "sticker",
];

describe("the event types the emulator sends", () => {
  it("include every event type of LINE's webhook spec", () => {
    const webhook = loadLineSpecs().find((spec) => spec.name === "webhook");
    if (!webhook) throw new Error("the webhook spec is missing");
    const schemas = (webhook.document.components as { schemas: Record<string, unknown> }).schemas;
    const { mapping } = (schemas.Event as { discriminator: { mapping: Record<string, string> } })
      .discriminator;
    // The emulator names message events by their message's type.
    const sent = new Set<string>(
      eventTypes.map((type) => (messageTypes.includes(type) ? "message" : type)),
    );
    expect(Object.keys(mapping).filter((type) => !sent.has(type))).toEqual([]);
    // Beyond the spec only messageEdited, which LINE's reference documents (see the control API doc).
    expect([...sent].filter((type) => !(type in mapping))).toEqual(["messageEdited"]);
  });

  it("say for each whether LINE gives it a source and a reply token", () => {
    expect(Object.keys(eventKinds).sort()).toEqual([...eventTypes].sort());
    const without = (field: "source" | "replyable") =>
      eventTypes.filter((type) =>
        field === "source" ? eventKinds[type].source === "none" : !eventKinds[type].replyable,
      );
    expect(without("source")).toEqual(["module", "botSuspended", "botResumed"]);
    expect(without("replyable")).toEqual([
      "unfollow",
      "leave",
      "memberLeft",
      "unsend",
      "module",
      "activated",
      "deactivated",
      "botSuspended",
      "botResumed",
      "delivery",
    ]);
  });
});
