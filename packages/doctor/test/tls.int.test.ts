import { X509Certificate } from "node:crypto";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import type { SecureContextOptions } from "node:tls";
import { createTestPki, type TestPki } from "@linefleet/test-support";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { type CheckResult, checkEndpointTls, publicRootCertificates } from "../src/index.ts";

const day = 86_400_000;
let pki: TestPki;
let publicRoots: X509Certificate[];
const servers: Server[] = [];

beforeAll(async () => {
  pki = await createTestPki("doctor test");
  // The test root plays a public CA, as NODE_EXTRA_CA_CERTS makes it for the CLI.
  publicRoots = [...publicRootCertificates(), new X509Certificate(pki.root.cert)];
});

afterEach(async () => {
  await Promise.all(
    servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))),
  );
});

/** An HTTPS server on loopback, answering 200 to anything, with exactly these TLS settings. */
async function serve(options: SecureContextOptions & { minVersion?: string; maxVersion?: string }) {
  const server = createServer(options as never, (_request, response) => response.end("{}"));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `https://localhost:${(server.address() as AddressInfo).port}/webhook`;
}

async function check(url: string, roots = publicRoots): Promise<Record<string, CheckResult>> {
  const results = await checkEndpointTls({
    url,
    publicRoots: roots,
    now: new Date(),
    timeoutMs: 2_000,
  });
  return Object.fromEntries(results.map((result) => [result.name, result]));
}

describe("the webhook endpoint's TLS as LINE sees it", () => {
  it("full chain: every line ok, two certificates counted", async () => {
    const leaf = await pki.leaf({ hostnames: ["localhost"] });
    const results = await check(
      await serve({ cert: leaf.cert + pki.intermediate.cert, key: leaf.key }),
    );
    expect(Object.values(results).map((r) => [r.name, r.status])).toEqual([
      ["TLS version and cipher", "ok"],
      ["TLS certificate chain", "ok"],
      ["TLS certificate expiry", "ok"],
      ["TLS hostname", "ok"],
    ]);
    expect(results["TLS certificate chain"]?.detail).toContain("the server sends 2 certificates");
    expect(results["TLS version and cipher"]?.detail).toMatch(/^TLSv1\.3 with TLS_/);
  });

  it("leaf only: fails, naming the missing intermediate and the fix", async () => {
    const leaf = await pki.leaf({ hostnames: ["localhost"] });
    const chain = (await check(await serve({ cert: leaf.cert, key: leaf.key })))[
      "TLS certificate chain"
    ];
    expect(chain?.status).toBe("fail");
    expect(chain?.detail).toContain("leaf served without its intermediate");
    expect(chain?.detail).toContain("the server sends 1 certificate,");
    expect(chain?.detail).toContain(pki.intermediateName);
    expect(chain?.hint).toContain("serve fullchain.pem, not cert.pem");
  });

  it("leaf only on a TLS 1.3-only server (Certificate message encrypted): still caught", async () => {
    const leaf = await pki.leaf({ hostnames: ["localhost"] });
    const url = await serve({ cert: leaf.cert, key: leaf.key, minVersion: "TLSv1.3" });
    const chain = (await check(url))["TLS certificate chain"];
    expect(chain?.status).toBe("fail");
    expect(chain?.detail).toContain("leaf served without its intermediate");
  });

  it("expired: fails; expiring within 14 days: warns", async () => {
    const expired = await pki.leaf({
      hostnames: ["localhost"],
      notBefore: new Date(Date.now() - 100 * day),
      notAfter: new Date(Date.now() - day),
    });
    const soon = await pki.leaf({
      hostnames: ["localhost"],
      notAfter: new Date(Date.now() + 5 * day),
    });
    const [a, b] = await Promise.all([
      serve({ cert: expired.cert + pki.intermediate.cert, key: expired.key }).then(check),
      serve({ cert: soon.cert + pki.intermediate.cert, key: soon.key }).then(check),
    ]);
    expect(a["TLS certificate expiry"]?.status).toBe("fail");
    expect(a["TLS certificate expiry"]?.detail).toMatch(/'CN=localhost' expired on /);
    expect(b["TLS certificate expiry"]?.status).toBe("warn");
    expect(b["TLS certificate expiry"]?.detail).toContain("expires soon");
  });

  it("wrong hostname: fails, naming the names the certificate has", async () => {
    const leaf = await pki.leaf({ hostnames: ["bot.example.com"] });
    const result = (
      await check(await serve({ cert: leaf.cert + pki.intermediate.cert, key: leaf.key }))
    )["TLS hostname"];
    expect(result?.status).toBe("fail");
    expect(result?.detail).toBe("the certificate is for DNS:bot.example.com, not localhost");
  });

  it("self-signed: fails as self-signed", async () => {
    const self = await pki.selfSigned({ hostnames: ["localhost"] });
    const chain = (await check(await serve({ cert: self.cert, key: self.key })))[
      "TLS certificate chain"
    ];
    expect(chain?.status).toBe("fail");
    expect(chain?.detail).toContain("'CN=localhost' is self-signed");
  });

  it("private CA (a root LINE does not know): fails", async () => {
    const leaf = await pki.leaf({ hostnames: ["localhost"] });
    const url = await serve({
      cert: leaf.cert + pki.intermediate.cert + pki.root.cert,
      key: leaf.key,
    });
    const chain = (await check(url, publicRootCertificates()))["TLS certificate chain"];
    expect(chain?.status).toBe("fail");
    expect(chain?.detail).toContain(`the root '${pki.rootName}' is a private CA`);
  });

  it("TLS 1.1 only: fails, saying LINE needs TLS 1.2 or 1.3", async (context) => {
    const leaf = await pki.leaf({ hostnames: ["localhost"] });
    let url: string;
    try {
      url = await serve({
        cert: leaf.cert + pki.intermediate.cert,
        key: leaf.key,
        minVersion: "TLSv1.1",
        maxVersion: "TLSv1.1",
        // OpenSSL 3 serves TLS 1.1 only at security level 0.
        ciphers: "DEFAULT@SECLEVEL=0",
      });
    } catch (error) {
      context.skip(`this OpenSSL cannot serve TLS 1.1: ${(error as Error).message}`);
      return;
    }
    const result = (await check(url))["TLS version and cipher"];
    expect(result?.status).toBe("fail");
    expect(result?.detail).toBe("the server speaks TLSv1.1 at best; LINE needs TLS 1.2 or 1.3");
  });

  it("TLS 1.2 with no cipher suite LINE accepts: fails, and the chain is still read", async () => {
    const leaf = await pki.leaf({ hostnames: ["localhost"] });
    const url = await serve({
      cert: leaf.cert + pki.intermediate.cert,
      key: leaf.key,
      maxVersion: "TLSv1.2",
      ciphers: "ECDHE-ECDSA-AES128-SHA256",
    });
    const results = await check(url);
    expect(results["TLS version and cipher"]?.status).toBe("fail");
    expect(results["TLS version and cipher"]?.detail).toContain(
      "no TLS 1.2/1.3 handshake with a cipher suite LINE accepts",
    );
    expect(results["TLS certificate chain"]?.status).toBe("ok");
  });

  it("plain HTTP: fails unless on loopback", async () => {
    const remote = await checkEndpointTls({
      url: "http://bot.example.com/webhook",
      publicRoots,
      now: new Date(),
      timeoutMs: 1_000,
    });
    expect(remote[0]?.status).toBe("fail");
    const local = await checkEndpointTls({
      url: "http://127.0.0.1:3000/webhook",
      publicRoots,
      now: new Date(),
      timeoutMs: 1_000,
    });
    expect(local[0]?.status).toBe("ok");
  });
});
