import { generateKeyPairSync, sign } from "node:crypto";
import { channelAccessToken } from "@line/bot-sdk";
import { afterEach, describe, expect, it } from "vitest";
import { startEmulatorWithReceiver } from "./support/fixture.ts";

const JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
const base64url = (value: string | Buffer) => Buffer.from(value).toString("base64url");

let running: Awaited<ReturnType<typeof startEmulatorWithReceiver>> | undefined;

afterEach(async () => {
  await running?.close();
  running = undefined;
});

describe("the valid key ids of v2.1 tokens", () => {
  it("lists the key ids of the channel's active v2.1 tokens, for an assertion of that channel", async () => {
    const keys = {
      a: generateKeyPairSync("rsa", { modulusLength: 2048 }),
      b: generateKeyPairSync("rsa", { modulusLength: 2048 }),
    };
    running = await startEmulatorWithReceiver({
      channelId: "1650000000",
      assertionKeys: {
        a: keys.a.publicKey.export({ type: "spki", format: "pem" }).toString(),
        b: keys.b.publicKey.export({ type: "spki", format: "pem" }).toString(),
      },
    });
    const { emulator } = running;
    const assertion = (kid: "a" | "b") => {
      const now = Math.floor(Date.now() / 1000);
      const signed = `${base64url(JSON.stringify({ alg: "RS256", typ: "JWT", kid }))}.${base64url(
        JSON.stringify({
          iss: "1650000000",
          sub: "1650000000",
          aud: "https://api.line.me/",
          exp: now + 600,
          token_exp: 3600,
        }),
      )}`;
      return `${signed}.${base64url(sign("RSA-SHA256", Buffer.from(signed), keys[kid].privateKey))}`;
    };
    const client = new channelAccessToken.ChannelAccessTokenClient({ baseURL: emulator.url });

    expect(await client.getsAllValidChannelAccessTokenKeyIds(JWT_BEARER, assertion("a"))).toEqual({
      kids: [],
    });
    await client.issueChannelTokenByJWT("client_credentials", JWT_BEARER, assertion("a"));
    await client.issueChannelTokenByJWT("client_credentials", JWT_BEARER, assertion("b"));
    const listed = await client.getsAllValidChannelAccessTokenKeyIdsWithHttpInfo(
      JWT_BEARER,
      assertion("b"),
    );
    expect(listed.body.kids?.sort()).toEqual(["a", "b"]);
    expect(listed.httpResponse.headers.get("x-linefleet-operation")).toBe(
      "getsAllValidChannelAccessTokenKeyIds",
    );
  });
});
