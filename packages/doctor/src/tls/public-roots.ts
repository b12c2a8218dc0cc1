import { X509Certificate } from "node:crypto";
import { getCACertificates } from "node:tls";

let cached: X509Certificate[] | undefined;

/**
 * The roots LINE would trust, approximated by Mozilla's list as bundled with Node, plus the
 * certificates in NODE_EXTRA_CA_CERTS (how tests make a root of their own count as public).
 * Not the system store: it may hold private company roots LINE has never heard of.
 */
export function publicRootCertificates(): X509Certificate[] {
  cached ??= [...getCACertificates("bundled"), ...getCACertificates("extra")].map(
    (pem) => new X509Certificate(pem),
  );
  return cached;
}

/** Splits a PEM bundle (a chain file such as fullchain.pem) into its certificates, in order. */
export function parsePemBundle(pem: string): X509Certificate[] {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  return blocks.map((block) => new X509Certificate(block));
}
