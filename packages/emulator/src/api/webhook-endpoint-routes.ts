import { LineErrorResponse } from "../errors.ts";
import type { WebhookDispatcher } from "../webhook/dispatcher.ts";
import { objectBody } from "./body.ts";
import type { Route } from "./route.ts";

const invalidUrl = () => new LineErrorResponse(400, "Invalid webhook endpoint URL");

/**
 * LINE requires HTTPS; the emulator also takes plain HTTP to loopback hosts, because a bot under
 * local development has no certificate.
 */
function checkEndpoint(value: unknown): string {
  if (typeof value !== "string" || value.length > 500) throw invalidUrl();
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalidUrl();
  }
  const loopback = ["127.0.0.1", "localhost", "[::1]"].includes(url.hostname);
  if (url.protocol !== "https:" && !(url.protocol === "http:" && loopback)) throw invalidUrl();
  return value;
}

const reasons = {
  request_timeout: "REQUEST_TIMEOUT",
  could_not_connect: "COULD_NOT_CONNECT",
  error_status_code: "ERROR_STATUS_CODE",
  unclassified: "UNCLASSIFIED",
} as const;

export function webhookEndpointRoutes(dispatcher: WebhookDispatcher): Route[] {
  return [
    {
      operationId: "getWebhookEndpoint",
      method: "GET",
      pattern: "/v2/bot/channel/webhook/endpoint",
      handle({ platform, channel }) {
        const endpoint = platform.webhookUrlOf(channel.name);
        if (!endpoint) throw new LineErrorResponse(404, "Webhook endpoint not found");
        return { body: { endpoint, active: true } };
      },
    },
    {
      operationId: "setWebhookEndpoint",
      method: "PUT",
      pattern: "/v2/bot/channel/webhook/endpoint",
      handle({ platform, channel, body }) {
        const endpoint = checkEndpoint(objectBody(body).endpoint);
        // The default channel's URL is the config's; other channels keep their own.
        if (channel === platform.channels.default) platform.config.webhookUrl = endpoint;
        else channel.webhookUrl = endpoint;
        platform.announceState();
        return { body: {} };
      },
    },
    {
      operationId: "testWebhookEndpoint",
      method: "POST",
      pattern: "/v2/bot/channel/webhook/test",
      async handle({ platform, channel, body }) {
        const requested = body === undefined ? undefined : objectBody(body).endpoint;
        const url =
          requested === undefined ? platform.webhookUrlOf(channel.name) : checkEndpoint(requested);
        if (!url) throw new LineErrorResponse(404, "Webhook endpoint not found");
        const outcome = await dispatcher.verify(url, channel.name);
        return {
          body: {
            success: outcome.error === undefined,
            timestamp: new Date(platform.now()).toISOString(),
            statusCode: outcome.status,
            reason: outcome.error ? reasons[outcome.error] : "OK",
            detail: outcome.detail,
          },
        };
      },
    },
  ];
}
