import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { verifySignature } from "@linefleet/webhook";

export interface ReceivedWebhook {
  headers: IncomingHttpHeaders;
  rawBody: Buffer;
  signatureValid: boolean;
  body: { destination: string; events: Array<Record<string, unknown>> };
}

export interface Answer {
  status?: number;
  delayMs?: number;
}

/**
 * A bot's webhook endpoint for tests: records every request, checks its signature against the
 * channel secret, and answers as told (by default 200 at once).
 */
export async function startReceiver(channelSecret: string) {
  const received: ReceivedWebhook[] = [];
  const answers: Answer[] = [];
  let onRequest: ((webhook: ReceivedWebhook) => void) | undefined;
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const rawBody = Buffer.concat(chunks);
      const signature = request.headers["x-line-signature"];
      const webhook: ReceivedWebhook = {
        headers: request.headers,
        rawBody,
        signatureValid: verifySignature(
          rawBody,
          channelSecret,
          Array.isArray(signature) ? signature[0] : signature,
        ),
        body: JSON.parse(rawBody.toString("utf8")),
      };
      received.push(webhook);
      onRequest?.(webhook);
      const answer = answers.shift() ?? {};
      const timer = setTimeout(() => {
        if (!response.destroyed) response.writeHead(answer.status ?? 200).end();
      }, answer.delayMs ?? 0);
      response.on("close", () => clearTimeout(timer));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhook`,
    received,
    /** The answers for the next requests, in order; after them, 200 at once. */
    answerNext(...next: Answer[]) {
      answers.push(...next);
    },
    /** Runs for every request as it arrives, e.g. to reply like a bot. */
    onRequest(handler: (webhook: ReceivedWebhook) => void) {
      onRequest = handler;
    },
    events: () => received.flatMap((webhook) => webhook.body.events),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export type Receiver = Awaited<ReturnType<typeof startReceiver>>;
