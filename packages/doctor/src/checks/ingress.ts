import { signBody } from "@linefleet/webhook";
import { type CheckResult, describe } from "../check.ts";
import { field, request } from "./http.ts";

/** LINE stops waiting for a webhook's answer after 2 s. */
const LINE_TIMEOUT_MS = 2_000;

/** A signed `events: []` webhook, as the Console's Verify sends it, straight to the ingress. */
export async function checkIngressWebhook(options: {
  url: string;
  channelSecret: string;
  destination: string;
}): Promise<CheckResult> {
  const name = "ingress signed test webhook";
  const body = JSON.stringify({ destination: options.destination, events: [] });
  let answer: Awaited<ReturnType<typeof request>>;
  try {
    answer = await request(options.url, {
      method: "POST",
      headers: {
        "content-type": "application/json; charset=utf-8",
        "x-line-signature": signBody(body, options.channelSecret),
        "user-agent": "LineBotWebhook/2.0",
      },
      body,
      timeoutMs: LINE_TIMEOUT_MS,
      skipCertificateCheck: true,
    });
  } catch (error) {
    const timedOut = (error as Error).name === "TimeoutError";
    return {
      name,
      status: "fail",
      detail: timedOut
        ? `${options.url} did not answer within 2 s: LINE would give up`
        : `cannot reach ${options.url}: ${describe(error)}`,
      hint: "start the ingress (pnpm start:ingress), or pass --ingress-url with its address",
    };
  }
  if (answer.status === 200) {
    return { name, status: "ok", detail: `${options.url} answered 200 in ${answer.ms} ms` };
  }
  const error = field(answer.body, "error");
  const hints: Record<number, string> = {
    401: "the ingress's LINE_CHANNEL_SECRET differs from the one the doctor was given",
    503: "the ingress cannot queue: check the Redis lines above and the ingress's log",
  };
  return {
    name,
    status: "fail",
    detail: `${options.url} answered ${answer.status}${typeof error === "string" ? ` (${error})` : ""}`,
    hint: hints[answer.status] ?? "see the ingress's log",
  };
}
