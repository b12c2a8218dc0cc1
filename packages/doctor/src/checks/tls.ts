import type { X509Certificate } from "node:crypto";
import { hasErrorCode } from "@linefleet/errors";
import type { CheckResult } from "../check.ts";
import { judgeChain, judgeHostname, judgeValidity } from "../tls/chain.ts";
import { lineSuiteByName } from "../tls/line-tls.ts";
import {
  legacyProtocol,
  negotiateAsLine,
  sentChainThroughNode,
  type Target,
} from "../tls/negotiate.ts";
import { HandshakeError, readSentChain } from "../tls/sent-certificates.ts";

export interface TlsCheckOptions {
  url: string;
  publicRoots: readonly X509Certificate[];
  now: Date;
  /** Bound for each handshake. */
  timeoutMs: number;
}

const loopback = new Set(["127.0.0.1", "localhost", "[::1]", "::1"]);

/** The public endpoint's TLS as LINE's webhook client meets it. */
export async function checkEndpointTls(options: TlsCheckOptions): Promise<CheckResult[]> {
  const url = new URL(options.url);
  if (url.protocol === "http:") {
    if (loopback.has(url.hostname)) {
      return [
        {
          name: "webhook TLS",
          status: "ok",
          detail: `${url.origin} is plain HTTP on loopback (the emulator's setting): no TLS to check`,
        },
      ];
    }
    return [
      {
        name: "webhook TLS",
        status: "fail",
        detail: `${url.origin} is plain HTTP; LINE sends webhooks over HTTPS only`,
        hint: "put the ingress behind HTTPS (TLS_CERT_FILE + TLS_KEY_FILE, or a proxy) and set an https:// URL",
      },
    ];
  }
  const host = url.hostname.replace(/^\[|\]$/g, "");
  const target: Target = {
    host,
    port: Number(url.port || 443),
    timeoutMs: options.timeoutMs,
  };
  const [protocol, chain] = await Promise.all([
    checkProtocol(target),
    readChain(target).catch((error: Error) => error),
  ]);
  if (chain instanceof Error) {
    return [
      protocol,
      {
        name: "TLS certificate chain",
        status: "fail",
        detail: `could not read the certificates ${url.host} sends: ${chain.message}`,
        hint: "make the server answer TLS 1.2 or 1.3 with one of LINE's cipher suites",
      },
    ];
  }
  return [
    protocol,
    { name: "TLS certificate chain", ...judgeChain(chain, options.publicRoots) },
    { name: "TLS certificate expiry", ...judgeValidity(chain, options.now) },
    { name: "TLS hostname", ...judgeHostname(chain[0], host) },
  ];
}

/** TLS 1.2 shows the Certificate message in the clear; other servers need Node's view. */
async function readChain(target: Target): Promise<X509Certificate[]> {
  try {
    const sent = await readSentChain({ ...target, servername: target.host });
    return sent.certificates;
  } catch (error) {
    // Refused or cut off mid-hello (TLS 1.3 only, or none of LINE's 1.2 suites): ask Node instead.
    if (error instanceof HandshakeError && hasErrorCode(error, "LF_TLS_ALERT", "LF_TLS_PROTOCOL")) {
      return sentChainThroughNode(target);
    }
    throw error;
  }
}

async function checkProtocol(target: Target): Promise<CheckResult> {
  const name = "TLS version and cipher";
  try {
    const { protocol, cipher } = await negotiateAsLine(target);
    const suite = lineSuiteByName(cipher);
    if (suite?.deprecated) {
      return {
        name,
        status: "warn",
        detail: `${protocol} with ${cipher}, which LINE lists as deprecated (may stop without notice)`,
        hint: "enable an ECDHE-…-GCM or CHACHA20-POLY1305 suite, or TLS 1.3",
      };
    }
    return { name, status: "ok", detail: `${protocol} with ${cipher}` };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "";
    if (["ECONNREFUSED", "ENOTFOUND", "EHOSTUNREACH", "ETIMEDOUT", "EAI_AGAIN"].includes(code)) {
      return {
        name,
        status: "fail",
        detail: `cannot connect to ${target.host}:${target.port}: ${(error as Error).message}`,
        hint: "is the server running, and reachable from the internet on that port?",
      };
    }
    const legacy = await legacyProtocol(target).catch(() => null);
    if (legacy === "TLSv1" || legacy === "TLSv1.1") {
      return {
        name,
        status: "fail",
        detail: `the server speaks ${legacy} at best; LINE needs TLS 1.2 or 1.3`,
        hint: "enable TLS 1.2 and 1.3 (nginx: ssl_protocols TLSv1.2 TLSv1.3;)",
      };
    }
    return {
      name,
      status: "fail",
      detail: `no TLS 1.2/1.3 handshake with a cipher suite LINE accepts: ${(error as Error).message}`,
      hint: "enable TLS 1.3 or ECDHE-RSA-AES128-GCM-SHA256 / ECDHE-ECDSA-AES128-GCM-SHA256",
    };
  }
}
