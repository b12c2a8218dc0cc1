import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger } from "../src/index.ts";

describe("createLogger", () => {
  it("redacts signatures, tokens and secrets wherever linefleet would log them", () => {
    const stream = new PassThrough();
    let output = "";
    stream.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    const logger = createLogger({ name: "t", destination: stream });
    logger.info(
      {
        req: { headers: { "x-line-signature": "SIG-VALUE", authorization: "Bearer TOKEN-VALUE" } },
      },
      "request",
    );
    logger.info({ headers: { authorization: "Bearer TOKEN-2" } }, "api call");
    logger.info(
      { config: { channelSecret: "SECRET-VALUE", channelAccessToken: "TOKEN-3" } },
      "config",
    );
    logger.info(
      { env: { LINE_CHANNEL_SECRET: "SECRET-2", LINE_CHANNEL_ACCESS_TOKEN: "TOKEN-4" } },
      "env",
    );
    for (const secret of [
      "SIG-VALUE",
      "TOKEN-VALUE",
      "TOKEN-2",
      "SECRET-VALUE",
      "TOKEN-3",
      "SECRET-2",
      "TOKEN-4",
    ]) {
      expect(output).not.toContain(secret);
    }
    expect(output.match(/\[redacted\]/g)?.length).toBe(7);
  });
});
