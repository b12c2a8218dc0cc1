import { Agent, fetch } from "undici";

/**
 * For calls whose certificate is judged elsewhere (the ingress's, by the TLS lines): an
 * unverifiable chain must not hide whether the ingress itself answers. No keep-alive (pipelining
 * 0): the doctor sends one request, and an idle socket would hold the process open.
 */
const unverified = new Agent({ connect: { rejectUnauthorized: false }, pipelining: 0 });

/** One bounded HTTP call; the body read as JSON when it is JSON, else as text. */
export async function request(
  url: string,
  init: {
    method?: string;
    headers?: Record<string, string>;
    body?: string;
    timeoutMs: number;
    skipCertificateCheck?: boolean;
  },
): Promise<{ status: number; body: unknown; ms: number }> {
  const started = performance.now();
  const response = await fetch(url, {
    ...(init.skipCertificateCheck ? { dispatcher: unverified } : {}),
    method: init.method ?? "GET",
    ...(init.headers ? { headers: init.headers } : {}),
    ...(init.body !== undefined ? { body: init.body } : {}),
    signal: AbortSignal.timeout(init.timeoutMs),
    redirect: "manual",
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, body, ms: Math.round(performance.now() - started) };
}

export function field(body: unknown, key: string): unknown {
  return typeof body === "object" && body !== null
    ? (body as Record<string, unknown>)[key]
    : undefined;
}
