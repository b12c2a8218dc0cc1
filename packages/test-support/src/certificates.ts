// @peculiar/x509 resolves its ASN.1 providers through tsyringe, which needs this polyfill.
import "reflect-metadata";
import { webcrypto } from "node:crypto";

type CryptoKeyPair = webcrypto.CryptoKeyPair;
type CryptoKey = webcrypto.CryptoKey;

import * as x509 from "@peculiar/x509";

/** A certificate and its private key, both PEM, as a TLS server takes them. */
export interface TestCertificate {
  cert: string;
  key: string;
}

export interface LeafOptions {
  hostnames: string[];
  notBefore?: Date;
  notAfter?: Date;
}

/** A private PKI for TLS tests: a root, an intermediate it signed, and leaves the intermediate signs. */
export interface TestPki {
  root: TestCertificate;
  intermediate: TestCertificate;
  /** The names the root and intermediate carry, as `X509Certificate.subject` prints them. */
  rootName: string;
  intermediateName: string;
  leaf(options: LeafOptions): Promise<TestCertificate>;
  selfSigned(options: LeafOptions): Promise<TestCertificate>;
}

const algorithm = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" } as const;
const day = 86_400_000;

async function keyPair(): Promise<CryptoKeyPair> {
  return (await webcrypto.subtle.generateKey(algorithm, true, ["sign", "verify"])) as CryptoKeyPair;
}

async function pemKey(key: CryptoKey): Promise<string> {
  const der = Buffer.from(await webcrypto.subtle.exportKey("pkcs8", key));
  const lines = der.toString("base64").match(/.{1,64}/g) ?? [];
  return `-----BEGIN PRIVATE KEY-----\n${lines.join("\n")}\n-----END PRIVATE KEY-----\n`;
}

/** PEM ending in a newline, so certificates concatenate into a chain file. */
const pem = (cert: x509.X509Certificate) => `${cert.toString("pem").trimEnd()}\n`;

async function caExtensions(keys: CryptoKeyPair) {
  return [
    new x509.BasicConstraintsExtension(true, undefined, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
    await x509.SubjectKeyIdentifierExtension.create(keys.publicKey, false, webcrypto),
  ];
}

function leafExtensions(hostnames: string[]) {
  return [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
    new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
    new x509.SubjectAlternativeNameExtension(
      hostnames.map((value) =>
        /^[\d.]+$/.test(value) ? { type: "ip", value } : { type: "dns", value },
      ),
    ),
  ];
}

/** Makes a fresh root and intermediate (EC P-256, valid from yesterday for a year). */
export async function createTestPki(label = "linefleet test"): Promise<TestPki> {
  const now = Date.now();
  const rootName = `CN=${label} root, O=linefleet tests`;
  const intermediateName = `CN=${label} intermediate, O=linefleet tests`;
  const rootKeys = await keyPair();
  const root = await x509.X509CertificateGenerator.createSelfSigned(
    {
      name: rootName,
      keys: rootKeys,
      notBefore: new Date(now - day),
      notAfter: new Date(now + 365 * day),
      signingAlgorithm: algorithm,
      extensions: await caExtensions(rootKeys),
    },
    webcrypto,
  );
  const intermediateKeys = await keyPair();
  const intermediate = await x509.X509CertificateGenerator.create(
    {
      subject: intermediateName,
      issuer: root.subject,
      publicKey: intermediateKeys.publicKey,
      signingKey: rootKeys.privateKey,
      notBefore: new Date(now - day),
      notAfter: new Date(now + 365 * day),
      signingAlgorithm: algorithm,
      extensions: await caExtensions(intermediateKeys),
    },
    webcrypto,
  );

  return {
    root: { cert: pem(root), key: await pemKey(rootKeys.privateKey) },
    intermediate: {
      cert: pem(intermediate),
      key: await pemKey(intermediateKeys.privateKey),
    },
    rootName,
    intermediateName,
    async leaf({ hostnames, notBefore, notAfter }) {
      const keys = await keyPair();
      const cert = await x509.X509CertificateGenerator.create(
        {
          subject: `CN=${hostnames[0] ?? "leaf"}`,
          issuer: intermediate.subject,
          publicKey: keys.publicKey,
          signingKey: intermediateKeys.privateKey,
          notBefore: notBefore ?? new Date(now - day),
          notAfter: notAfter ?? new Date(now + 90 * day),
          signingAlgorithm: algorithm,
          extensions: leafExtensions(hostnames),
        },
        webcrypto,
      );
      return { cert: pem(cert), key: await pemKey(keys.privateKey) };
    },
    async selfSigned({ hostnames, notBefore, notAfter }) {
      const keys = await keyPair();
      const cert = await x509.X509CertificateGenerator.createSelfSigned(
        {
          name: `CN=${hostnames[0] ?? "self-signed"}`,
          keys,
          notBefore: notBefore ?? new Date(now - day),
          notAfter: notAfter ?? new Date(now + 90 * day),
          signingAlgorithm: algorithm,
          extensions: leafExtensions(hostnames),
        },
        webcrypto,
      );
      return { cert: pem(cert), key: await pemKey(keys.privateKey) };
    },
  };
}
