import { beforeAll, describe, expect, it } from "vitest";
import { specValidators } from "../src/validation/spec-validators.ts";
import { validateResponse, validateSpecComponent } from "../src/validation/validate-response.ts";

// Parsing the specs and compiling their schemas takes a few seconds on a busy machine.
beforeAll(() => {
  specValidators().responseValidator("pushMessage", 200);
}, 60_000);

describe("validateResponse", () => {
  it("accepts an answer the spec describes and names what is wrong with one it does not", () => {
    expect(
      validateResponse("pushMessage", 200, { sentMessages: [{ id: "461230966842064897" }] }),
    ).toEqual([]);
    expect(validateResponse("pushMessage", 200, { sentMessages: [{ id: 461230966 }] })).toEqual([
      "/sentMessages/0/id must be string",
    ]);
    expect(validateResponse("pushMessage", 200, {})).toEqual([
      "(body) must have required property 'sentMessages'",
    ]);
  });

  it("refuses a success the operation does not document, and holds errors to LINE's shape", () => {
    expect(validateResponse("getBotInfo", 201, {})).toEqual([
      "status 201 is not documented for getBotInfo",
    ]);
    expect(validateResponse("getBotInfo", 401, { message: "Authentication failed" })).toEqual([]);
    expect(validateResponse("getBotInfo", 429, { error: "slow down" })).toEqual([
      "(body) must have required property 'message'",
    ]);
    expect(
      validateResponse("pushMessage", 400, {
        message: "The request body has 1 error(s)",
        details: [{ message: "May not be empty", property: "messages[0].text" }],
      }),
    ).toEqual([]);
  });

  it("checks a component schema, such as a webhook body", () => {
    const body = {
      destination: "U0123456789abcdef0123456789abcdef",
      events: [],
    };
    expect(validateSpecComponent("webhook", "CallbackRequest", body)).toEqual([]);
    expect(validateSpecComponent("webhook", "CallbackRequest", { events: [] })).toEqual([
      "(body) must have required property 'destination'",
    ]);
  });
});
