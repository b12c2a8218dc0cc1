import type { X509Certificate } from "node:crypto";
import { isIP } from "node:net";
import type { Finding } from "../check.ts";

/** A certificate's subject on one line: `CN=a.example, O=Example`. */
function nameOf(cert: X509Certificate, which: "subject" | "issuer" = "subject"): string {
  return cert[which].split("\n").join(", ");
}

const day = 86_400_000;
/** LINE gives no warning before a certificate runs out; two weeks leaves time to renew. */
const EXPIRY_WARNING_DAYS = 14;

/** By name and signature, not `checkIssued`: that also wants keyCertSign, which leaves lack. */
function selfIssued(cert: X509Certificate): boolean {
  return cert.subject === cert.issuer && cert.verify(cert.publicKey);
}

function issuedBy(cert: X509Certificate, issuer: X509Certificate): boolean {
  return cert.checkIssued(issuer) && cert.verify(issuer.publicKey);
}

/** The leaf, then each sent certificate that signed the one before it. */
function pathFromLeaf(sent: readonly X509Certificate[]): X509Certificate[] {
  const [leaf] = sent;
  if (!leaf) return [];
  const path = [leaf];
  for (;;) {
    const current = path[path.length - 1] as X509Certificate;
    if (selfIssued(current)) return path;
    const issuer = sent.find((cert) => !path.includes(cert) && issuedBy(current, cert));
    if (!issuer) return path;
    path.push(issuer);
  }
}

/**
 * Judges a certificate chain as LINE's webhook client does: it trusts public CAs only and does
 * not fetch missing intermediates (browsers do, from the AIA URL; LINE's client does not), so
 * a chain must lead from the leaf to a public root with only what the server sends.
 */
export function judgeChain(
  sent: readonly X509Certificate[],
  publicRoots: readonly X509Certificate[],
  /** Who holds the certificates, for the report: a live server, or a chain file. */
  holder = "the server sends",
): Finding {
  const [leaf] = sent;
  if (!leaf) return { status: "fail", detail: `${holder} no certificate` };
  const count = `${holder} ${sent.length} certificate${sent.length === 1 ? "" : "s"}`;
  const isPublicRoot = (cert: X509Certificate) =>
    publicRoots.some((root) => root.fingerprint256 === cert.fingerprint256);

  if (selfIssued(leaf) && !isPublicRoot(leaf)) {
    return {
      status: "fail",
      detail: `${count}: '${nameOf(leaf)}' is self-signed; LINE accepts certificates from public CAs only`,
      hint: "get a certificate from a public CA (Let's Encrypt is free) and serve fullchain.pem",
    };
  }
  const path = pathFromLeaf(sent);
  const top = path[path.length - 1] as X509Certificate;
  const names = path.map((cert) => `'${nameOf(cert)}'`).join(" <- ");
  const unused = sent.length - path.length;
  const extra =
    unused > 0 ? ` (${unused} sent certificate(s) belong to no path from the leaf)` : "";

  if (selfIssued(top)) {
    if (isPublicRoot(top)) {
      return { status: "ok", detail: `${count}: ${names}, ending at a public root${extra}` };
    }
    return {
      status: "fail",
      detail: `${count}: ${names}; the root '${nameOf(top)}' is a private CA, which LINE does not trust`,
      hint: "get a certificate from a public CA (Let's Encrypt is free)",
    };
  }
  const root = publicRoots.find((candidate) => issuedBy(top, candidate));
  if (root) {
    return {
      status: "ok",
      detail: `${count}: ${names}, issued by the public root '${nameOf(root)}'${extra}`,
    };
  }
  if (path.length === 1) {
    return {
      status: "fail",
      detail:
        `leaf served without its intermediate: ${count}, the leaf '${nameOf(leaf)}' alone; ` +
        `the intermediate that issued it, '${nameOf(leaf, "issuer")}', is missing, and LINE does not fetch it`,
      hint: "serve fullchain.pem, not cert.pem (the leaf followed by its intermediates)",
    };
  }
  return {
    status: "fail",
    detail:
      `chain incomplete: ${count}, ${names}; '${nameOf(top, "issuer")}', which issued the last, ` +
      "is neither sent nor a public root CA",
    hint: "serve fullchain.pem, not cert.pem; if that CA is a private one, LINE needs a certificate from a public CA",
  };
}

/** Expiry of every certificate in the sent chain; the leaf's end date, or the first problem. */
export function judgeValidity(sent: readonly X509Certificate[], now: Date): Finding {
  const [leaf] = sent;
  if (!leaf) return { status: "fail", detail: "the server sends no certificate" };
  for (const cert of pathFromLeaf(sent)) {
    if (cert.validToDate.getTime() < now.getTime()) {
      return {
        status: "fail",
        detail: `'${nameOf(cert)}' expired on ${cert.validToDate.toISOString()}`,
        hint: "renew the certificate (certbot renew) and reload the server",
      };
    }
    if (cert.validFromDate.getTime() > now.getTime()) {
      return {
        status: "fail",
        detail: `'${nameOf(cert)}' is not valid before ${cert.validFromDate.toISOString()}`,
        hint: "check the server's clock, or wait until the certificate is valid",
      };
    }
  }
  const days = Math.floor((leaf.validToDate.getTime() - now.getTime()) / day);
  const until = `valid until ${leaf.validToDate.toISOString()} (${days} days)`;
  if (days < EXPIRY_WARNING_DAYS) {
    return {
      status: "warn",
      detail: `'${nameOf(leaf)}' expires soon: ${until}`,
      hint: "renew the certificate now (certbot renew) and reload the server",
    };
  }
  return { status: "ok", detail: until };
}

export function judgeHostname(leaf: X509Certificate | undefined, hostname: string): Finding {
  if (!leaf) return { status: "fail", detail: "the server sends no certificate" };
  const matches = isIP(hostname) ? leaf.checkIP(hostname) : leaf.checkHost(hostname);
  if (matches) return { status: "ok", detail: `the certificate covers ${hostname}` };
  const names = leaf.subjectAltName ?? nameOf(leaf);
  return {
    status: "fail",
    detail: `the certificate is for ${names}, not ${hostname}`,
    hint: `get a certificate whose names include ${hostname}, or point the webhook URL at a name it covers`,
  };
}
