import { randomBytes } from "node:crypto";
import { validateSignature } from "@line/bot-sdk";
import { describe, expect, it } from "vitest";
import { signBody, verifySignature } from "../src/index.ts";

// LINE's own example: https://developers.line.biz/en/docs/messaging-api/verify-webhook-signature/
const LINE_EXAMPLE = {
  body: '{"destination":"U8e742f61d673b39c7fff3cecb7536ef0","events":[]}',
  secret: "8c570fa6dd201bb328f1c1eac23a96d8",
  signature: "GhRKmvmHys4Pi8DxkF4+EayaH0OqtJtaZxgTD9fMDLs=",
};

const bytes = (text: string) => Buffer.from(text, "utf8");

function randomBody(seed: number): string {
  const pieces = ["a", "é", "日本語", "🍎", "👨‍👩‍👧", "\\n", "\n", " ", '"', "\u0000", "ﾃｽﾄ", "𝒜"];
  const length = 1 + (seed % 64);
  let text = "";
  for (let i = 0; i < length; i++) text += pieces[(randomBytes(1)[0] ?? 0) % pieces.length];
  return JSON.stringify({ destination: "U0", events: [{ type: "message", message: { text } }] });
}

describe("verifySignature", () => {
  it("accepts LINE's documented example", () => {
    expect(signBody(LINE_EXAMPLE.body, LINE_EXAMPLE.secret)).toBe(LINE_EXAMPLE.signature);
    expect(
      verifySignature(bytes(LINE_EXAMPLE.body), LINE_EXAMPLE.secret, LINE_EXAMPLE.signature),
    ).toBe(true);
  });

  it("agrees with @line/bot-sdk's validateSignature on many random bodies, signatures and secrets", () => {
    for (let i = 0; i < 500; i++) {
      const body = randomBody(i);
      const secret = randomBytes(16).toString("hex");
      const good = signBody(body, secret);
      const candidates = [
        good,
        signBody(body, randomBytes(16).toString("hex")),
        signBody(`${body} `, secret),
        good.slice(0, -4),
        randomBytes(32).toString("base64"),
        "",
      ];
      for (const signature of candidates) {
        expect(verifySignature(bytes(body), secret, signature)).toBe(
          validateSignature(body, secret, signature),
        );
      }
      expect(verifySignature(bytes(body), secret, good)).toBe(true);
    }
  });

  it("rejects a tampered body, a wrong secret, a missing or truncated header", () => {
    const { body, secret, signature } = LINE_EXAMPLE;
    expect(verifySignature(bytes(body.replace("events", "evente")), secret, signature)).toBe(false);
    expect(verifySignature(bytes(`${body}\n`), secret, signature)).toBe(false);
    expect(verifySignature(bytes(body), `${secret}x`, signature)).toBe(false);
    expect(verifySignature(bytes(body), secret, undefined)).toBe(false);
    expect(verifySignature(bytes(body), secret, "")).toBe(false);
    expect(verifySignature(bytes(body), secret, signature.slice(0, 20))).toBe(false);
  });

  it("checks the bytes as sent, not a re-encoding of them", () => {
    const body = '{"destination":"U0","events":[{"text":"\\u3042"}]}';
    const reencoded = JSON.stringify(JSON.parse(body));
    expect(reencoded).not.toBe(body);
    const secret = "s3cret";
    expect(verifySignature(bytes(reencoded), secret, signBody(body, secret))).toBe(false);
  });
});
