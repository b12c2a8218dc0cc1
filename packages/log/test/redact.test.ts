import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger, redactSecrets } from "../src/index.ts";

const tokenCall = {
  path: "/v2/oauth/accessToken",
  body: { grant_type: "client_credentials", client_id: "1600000001", client_secret: "SECRET-1" },
  response: { access_token: "TOKEN-1", expires_in: 2592000, token_type: "Bearer" },
};

describe("redactSecrets", () => {
  it("hides what the logs hide, in a copy, leaving the rest and the original alone", () => {
    expect(redactSecrets(tokenCall)).toEqual({
      path: "/v2/oauth/accessToken",
      body: {
        grant_type: "client_credentials",
        client_id: "1600000001",
        client_secret: "[redacted]",
      },
      response: { access_token: "[redacted]", expires_in: 2592000, token_type: "Bearer" },
    });
    expect(tokenCall.response.access_token).toBe("TOKEN-1");
    expect(redactSecrets({ headers: { authorization: "Bearer T" } })).toEqual({
      headers: { authorization: "[redacted]" },
    });
  });

  it("agrees with the logger: the same call logged shows the same redacted values", () => {
    const stream = new PassThrough();
    let output = "";
    stream.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    createLogger({ name: "t", destination: stream }).info(tokenCall, "token issued");
    const { body, response } = JSON.parse(output) as typeof tokenCall;
    expect({ body, response }).toEqual({
      body: redactSecrets(tokenCall).body,
      response: redactSecrets(tokenCall).response,
    });
    expect(output).not.toContain("TOKEN-1");
  });
});
