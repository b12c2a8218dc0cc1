import { X509Certificate } from "node:crypto";
import { createTestPki } from "@linefleet/test-support";
import { describe, expect, it } from "vitest";
import { formatResults, hasFailure, judgeChain, parsePemBundle } from "../src/index.ts";

const pki = await createTestPki("chain test");
const leaf = await pki.leaf({ hostnames: ["bot.example.com"] });
const publicRoots = [new X509Certificate(pki.root.cert)];

describe("judgeChain", () => {
  it("accepts leaf + intermediate, and leaf + intermediate + root, reaching a public root", () => {
    for (const pem of [
      leaf.cert + pki.intermediate.cert,
      leaf.cert + pki.intermediate.cert + pki.root.cert,
    ]) {
      expect(judgeChain(parsePemBundle(pem), publicRoots).status).toBe("ok");
    }
  });

  it("a leaf sent with an unrelated certificate is still a leaf without its intermediate", async () => {
    const other = await createTestPki("other");
    const finding = judgeChain(parsePemBundle(leaf.cert + other.intermediate.cert), publicRoots);
    expect(finding.status).toBe("fail");
    expect(finding.detail).toContain("leaf served without its intermediate");
    expect(finding.detail).toContain("the server sends 2 certificates");
    expect(finding.detail).toContain(pki.intermediateName);
  });

  it("says who holds the certificates", () => {
    const finding = judgeChain(parsePemBundle(leaf.cert), publicRoots, "TLS_CERT_FILE holds");
    expect(finding.detail).toContain("TLS_CERT_FILE holds 1 certificate,");
  });
});

describe("formatResults", () => {
  it("prints one line per check with the fix, and a count; a fail is a failure", () => {
    const results = [
      { name: "Redis", status: "ok" as const, detail: "version 7" },
      { name: "chain", status: "fail" as const, detail: "leaf alone", hint: "serve fullchain.pem" },
    ];
    expect(formatResults(results).split("\n")).toEqual([
      "ok    Redis: version 7",
      "FAIL  chain: leaf alone → serve fullchain.pem",
      "1 ok, 0 warn, 1 fail",
    ]);
    expect(hasFailure(results)).toBe(true);
    expect(hasFailure(results.slice(0, 1))).toBe(false);
  });
});
