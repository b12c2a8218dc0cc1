/**
 * What LINE's webhook client speaks, from LINE's "SSL/TLS specification of the webhook source"
 * (developers.line.biz/en/docs/messaging-api/ssl-tls-spec-of-the-webhook-source/): TLS 1.3 and
 * 1.2 only, with these suites. The deprecated ones still work but may go without notice.
 */
export interface LineCipherSuite {
  /** IANA name, as `TLSSocket.getCipher().standardName` gives it. */
  iana: string;
  openssl: string;
  code: number;
  version: "TLSv1.3" | "TLSv1.2";
  deprecated: boolean;
}

const suite = (
  iana: string,
  openssl: string,
  code: number,
  version: "TLSv1.3" | "TLSv1.2",
  deprecated = false,
): LineCipherSuite => ({ iana, openssl, code, version, deprecated });

export const lineCipherSuites: readonly LineCipherSuite[] = [
  suite("TLS_AES_256_GCM_SHA384", "TLS_AES_256_GCM_SHA384", 0x1302, "TLSv1.3"),
  suite("TLS_CHACHA20_POLY1305_SHA256", "TLS_CHACHA20_POLY1305_SHA256", 0x1303, "TLSv1.3"),
  suite("TLS_AES_128_GCM_SHA256", "TLS_AES_128_GCM_SHA256", 0x1301, "TLSv1.3"),
  suite(
    "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
    "ECDHE-ECDSA-AES128-GCM-SHA256",
    0xc02b,
    "TLSv1.2",
  ),
  suite("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "ECDHE-RSA-AES128-GCM-SHA256", 0xc02f, "TLSv1.2"),
  suite(
    "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
    "ECDHE-ECDSA-AES256-GCM-SHA384",
    0xc02c,
    "TLSv1.2",
  ),
  suite("TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "ECDHE-RSA-AES256-GCM-SHA384", 0xc030, "TLSv1.2"),
  suite(
    "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
    "ECDHE-ECDSA-CHACHA20-POLY1305",
    0xcca9,
    "TLSv1.2",
  ),
  suite(
    "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
    "ECDHE-RSA-CHACHA20-POLY1305",
    0xcca8,
    "TLSv1.2",
  ),
  suite("TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", "ECDHE-RSA-AES128-SHA", 0xc013, "TLSv1.2", true),
  suite("TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA", "ECDHE-RSA-AES256-SHA", 0xc014, "TLSv1.2", true),
  suite("TLS_RSA_WITH_AES_128_GCM_SHA256", "AES128-GCM-SHA256", 0x009c, "TLSv1.2", true),
  suite("TLS_RSA_WITH_AES_128_CBC_SHA", "AES128-SHA", 0x002f, "TLSv1.2", true),
  suite("TLS_RSA_WITH_AES_256_CBC_SHA", "AES256-SHA", 0x0035, "TLSv1.2", true),
];

export function lineSuiteByName(name: string): LineCipherSuite | undefined {
  return lineCipherSuites.find((s) => s.iana === name || s.openssl === name);
}
