import { randomBytes, X509Certificate } from "node:crypto";
import { connect } from "node:net";
import type { ErrorCode } from "@linefleet/errors";
import { lineCipherSuites } from "./line-tls.ts";

export class HandshakeError extends Error {
  readonly code: Extract<
    ErrorCode,
    "LF_TLS_ALERT" | "LF_TLS_TIMEOUT" | "LF_TLS_CONNECT" | "LF_TLS_PROTOCOL"
  >;
  /** The TLS alert description the server sent (70 = protocol_version, 40 = handshake_failure). */
  readonly alert: number | undefined;
  constructor(code: HandshakeError["code"], message: string, alert?: number) {
    super(message);
    this.name = "HandshakeError";
    this.code = code;
    this.alert = alert;
  }
}

export interface SentChain {
  /** Exactly the certificates in the server's Certificate message, in the order sent. */
  certificates: X509Certificate[];
  /** The TLS 1.2 cipher suite the server picked from those LINE accepts. */
  cipherSuite: number;
}

/**
 * Reads the certificates a TLS server actually sends, by speaking the first half of a TLS 1.2
 * handshake over a plain socket and parsing the server's Certificate message.
 *
 * Hand-written because nothing else tells: Node's `getPeerCertificate(true)` completes the chain
 * from the local CA store, OpenSSL's trace goes to stderr only, and TLS 1.3 encrypts the
 * Certificate message. TLS 1.2 sends it in the clear, and LINE speaks 1.2, so a server LINE can
 * reach answers this hello (offering exactly LINE's TLS 1.2 suites).
 */
export function readSentChain(input: {
  host: string;
  port: number;
  servername: string;
  timeoutMs: number;
}): Promise<SentChain> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: input.host, port: input.port });
    let buffered = Buffer.alloc(0);
    let handshake = Buffer.alloc(0);
    let cipherSuite: number | undefined;
    const timer = setTimeout(
      () =>
        finish(
          new HandshakeError(
            "LF_TLS_TIMEOUT",
            `no TLS answer from ${input.host}:${input.port} within ${input.timeoutMs} ms`,
          ),
        ),
      input.timeoutMs,
    );
    let done = false;
    function finish(result: Error | SentChain) {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      if (result instanceof Error) reject(result);
      else resolve(result);
    }

    socket.once("connect", () => socket.write(clientHello(input.servername)));
    socket.once("error", (error) =>
      finish(new HandshakeError("LF_TLS_CONNECT", `cannot connect: ${error.message}`)),
    );
    socket.once("close", () =>
      finish(
        new HandshakeError("LF_TLS_PROTOCOL", "the server closed the connection mid-handshake"),
      ),
    );
    socket.on("data", (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      try {
        // TLS records: type (1), version (2), length (2), fragment.
        while (buffered.length >= 5) {
          const length = buffered.readUInt16BE(3);
          if (buffered.length < 5 + length) return;
          const type = buffered[0];
          const fragment = buffered.subarray(5, 5 + length);
          buffered = buffered.subarray(5 + length);
          if (type === 21) {
            const description = fragment[1] ?? 0;
            return finish(
              new HandshakeError(
                "LF_TLS_ALERT",
                `the server refused the TLS 1.2 handshake (alert ${alertName(description)})`,
                description,
              ),
            );
          }
          if (type !== 22) {
            throw new HandshakeError("LF_TLS_PROTOCOL", `unexpected TLS record type ${type}`);
          }
          handshake = Buffer.concat([handshake, fragment]);
          // Handshake messages: type (1), length (3), body; they may span records.
          while (handshake.length >= 4) {
            const bodyLength = handshake.readUIntBE(1, 3);
            if (handshake.length < 4 + bodyLength) break;
            const messageType = handshake[0];
            const body = handshake.subarray(4, 4 + bodyLength);
            handshake = handshake.subarray(4 + bodyLength);
            if (messageType === 2) cipherSuite = serverHelloCipher(body);
            if (messageType === 11) {
              return finish({ certificates: certificateList(body), cipherSuite: cipherSuite ?? 0 });
            }
            if (messageType === 14) {
              throw new HandshakeError("LF_TLS_PROTOCOL", "the server sent no certificate");
            }
          }
        }
      } catch (error) {
        finish(error as Error);
      }
    });
  });
}

function u16(value: number) {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(value);
  return b;
}

function withLength16(body: Buffer) {
  return Buffer.concat([u16(body.length), body]);
}

function extension(type: number, body: Buffer) {
  return Buffer.concat([u16(type), withLength16(body)]);
}

function clientHello(servername: string): Buffer {
  const suites = lineCipherSuites.filter((s) => s.version === "TLSv1.2").map((s) => u16(s.code));
  const name = Buffer.from(servername, "ascii");
  const isIp = /^[\d.]+$/.test(servername) || servername.includes(":");
  const extensions = Buffer.concat([
    // SNI, unless the host is an IP address (RFC 6066 forbids those in SNI).
    isIp
      ? Buffer.alloc(0)
      : extension(0x0000, withLength16(Buffer.concat([Buffer.from([0]), withLength16(name)]))),
    // supported_groups: x25519, secp256r1, secp384r1
    extension(0x000a, withLength16(Buffer.concat([u16(0x001d), u16(0x0017), u16(0x0018)]))),
    // ec_point_formats: uncompressed
    extension(0x000b, Buffer.from([1, 0])),
    // signature_algorithms: ECDSA and RSA (PSS and PKCS#1) with SHA-256/384/512, then SHA-1
    extension(
      0x000d,
      withLength16(
        Buffer.concat(
          [0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601, 0x0201, 0x0203].map(u16),
        ),
      ),
    ),
    extension(0x0017, Buffer.alloc(0)), // extended_master_secret
    extension(0xff01, Buffer.from([0])), // renegotiation_info (initial handshake)
  ]);
  const body = Buffer.concat([
    u16(0x0303), // TLS 1.2
    randomBytes(32),
    Buffer.from([0]), // no session id
    withLength16(Buffer.concat(suites)),
    Buffer.from([1, 0]), // compression: null only
    withLength16(extensions),
  ]);
  const length = Buffer.alloc(3);
  length.writeUIntBE(body.length, 0, 3);
  const message = Buffer.concat([Buffer.from([1]), length, body]);
  return Buffer.concat([Buffer.from([22, 3, 1]), withLength16(message)]);
}

function serverHelloCipher(body: Buffer): number {
  // version (2), random (32), session id (1 + n), then the cipher suite.
  const sessionIdLength = body[34] ?? 0;
  return body.readUInt16BE(35 + sessionIdLength);
}

function certificateList(body: Buffer): X509Certificate[] {
  const total = body.readUIntBE(0, 3);
  const certificates: X509Certificate[] = [];
  let offset = 3;
  while (offset < 3 + total) {
    const length = body.readUIntBE(offset, 3);
    certificates.push(new X509Certificate(body.subarray(offset + 3, offset + 3 + length)));
    offset += 3 + length;
  }
  return certificates;
}

const alerts: Record<number, string> = {
  40: "handshake_failure",
  47: "illegal_parameter",
  70: "protocol_version",
  71: "insufficient_security",
  80: "internal_error",
  112: "unrecognized_name",
};

function alertName(description: number) {
  return alerts[description] ?? String(description);
}
