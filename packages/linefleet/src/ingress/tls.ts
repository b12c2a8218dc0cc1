import { readFile } from "node:fs/promises";
import { ConfigError } from "@linefleet/config";
import {
  judgeChain,
  judgeValidity,
  parsePemBundle,
  publicRootCertificates,
} from "@linefleet/doctor";
import type { IngressEnv } from "@linefleet/ingress";
import type { Logger } from "@linefleet/log";

/**
 * Reads TLS_CERT_FILE and TLS_KEY_FILE, and judges the chain they would serve as the doctor
 * judges a live server's: a leaf without its intermediate is the classic cause of LINE's
 * "Verify" failing while browsers are happy, so it is named at start, as a warning.
 */
export async function loadTls(
  env: Pick<IngressEnv, "TLS_CERT_FILE" | "TLS_KEY_FILE">,
  logger: Logger,
): Promise<{ cert: string; key: string } | undefined> {
  if (!env.TLS_CERT_FILE || !env.TLS_KEY_FILE) return undefined;
  const problems: string[] = [];
  const read = (name: "TLS_CERT_FILE" | "TLS_KEY_FILE", path: string) =>
    readFile(path, "utf8").catch((error: Error) => {
      problems.push(`${name} cannot be read: ${error.message}`);
      return "";
    });
  const [cert, key] = await Promise.all([
    read("TLS_CERT_FILE", env.TLS_CERT_FILE),
    read("TLS_KEY_FILE", env.TLS_KEY_FILE),
  ]);
  const chain = parsePemBundle(cert);
  if (cert && chain.length === 0) {
    problems.push("TLS_CERT_FILE is invalid: it holds no PEM certificate");
  }
  if (problems.length > 0) throw new ConfigError(problems);
  for (const [check, finding] of [
    ["TLS certificate chain", judgeChain(chain, publicRootCertificates(), "TLS_CERT_FILE holds")],
    ["TLS certificate expiry", judgeValidity(chain, new Date())],
  ] as const) {
    if (finding.status === "ok") logger.info({ check, file: env.TLS_CERT_FILE }, finding.detail);
    else logger.warn({ check, file: env.TLS_CERT_FILE, hint: finding.hint }, finding.detail);
  }
  return { cert, key };
}
