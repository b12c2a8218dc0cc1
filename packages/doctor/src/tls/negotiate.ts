import type { X509Certificate } from "node:crypto";
import { isIP } from "node:net";
import { type ConnectionOptions, connect, type TLSSocket } from "node:tls";
import { lineCipherSuites } from "./line-tls.ts";

export interface Target {
  host: string;
  port: number;
  timeoutMs: number;
}

function handshake(target: Target, options: ConnectionOptions): Promise<TLSSocket> {
  return new Promise((resolve, reject) => {
    const socket = connect({
      host: target.host,
      port: target.port,
      // SNI takes names only; an IP address there is refused by Node (and by RFC 6066).
      ...(isIP(target.host) ? {} : { servername: target.host }),
      // Trust is judged separately, from what the server sends: here only the handshake counts.
      rejectUnauthorized: false,
      ...options,
    });
    socket.setTimeout(target.timeoutMs, () =>
      socket.destroy(new Error(`no TLS handshake within ${target.timeoutMs} ms`)),
    );
    socket.once("secureConnect", () => {
      socket.setTimeout(0);
      resolve(socket);
    });
    socket.once("error", reject);
  });
}

/** A TLS 1.2+ handshake offering only LINE's cipher suites: what LINE's client would get. */
export async function negotiateAsLine(target: Target) {
  const socket = await handshake(target, {
    minVersion: "TLSv1.2",
    ciphers: lineCipherSuites.map((s) => s.openssl).join(":"),
  });
  const result = { protocol: socket.getProtocol(), cipher: socket.getCipher().standardName };
  socket.destroy();
  return result;
}

/** The best protocol the server speaks at all, down to TLS 1.0 (to explain a failure above). */
export async function legacyProtocol(target: Target): Promise<string | null> {
  const socket = await handshake(target, {
    minVersion: "TLSv1",
    // OpenSSL 3 refuses TLS 1.0/1.1 at its default security level; this probe needs them.
    ciphers: "DEFAULT@SECLEVEL=0",
  });
  const protocol = socket.getProtocol();
  socket.destroy();
  return protocol;
}

/**
 * The sent chain as Node reports it when its trust store is empty: `getPeerCertificate(true)`
 * completes a chain from the store, so with nothing in the store only sent certificates remain.
 * Used for servers that speak TLS 1.3 only, whose Certificate message is encrypted.
 */
export async function sentChainThroughNode(target: Target): Promise<X509Certificate[]> {
  const socket = await handshake(target, { minVersion: "TLSv1.2", ca: [] });
  const chain: X509Certificate[] = [];
  let cert = socket.getPeerX509Certificate();
  while (cert && !chain.some((seen) => seen.fingerprint256 === cert?.fingerprint256)) {
    chain.push(cert);
    cert = cert.issuerCertificate;
  }
  socket.destroy();
  return chain;
}
