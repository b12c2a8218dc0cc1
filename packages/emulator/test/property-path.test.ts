import { describe, expect, it } from "vitest";
import { pointerToPath } from "../src/validation/property-path.ts";

describe("pointerToPath", () => {
  it("writes array indexes in brackets and object keys after dots, as LINE names properties", () => {
    const body = { messages: [{ contents: { body: { contents: [{}, { type: "x" }] } } }] };
    expect(pointerToPath("/messages/0/contents/body/contents/1/type", body)).toBe(
      "messages[0].contents.body.contents[1].type",
    );
  });

  it("keeps a numeric object key a key, and unescapes ~0 and ~1", () => {
    const body = { substitution: { "0": { a: 1 } }, "a/b": { "c~d": 1 } };
    expect(pointerToPath("/substitution/0/a", body)).toBe("substitution.0.a");
    expect(pointerToPath("/a~1b/c~0d", body)).toBe("a/b.c~d");
    expect(pointerToPath("", body)).toBe("");
  });
});
