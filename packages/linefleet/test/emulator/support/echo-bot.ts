import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { messagingApi } from "@line/bot-sdk";
import { verifySignature } from "@linefleet/webhook";

/**
 * A minimal bot for tests: checks the signature, answers 200, and replies `echo: <text>` to text
 * messages through LINE's SDK, pointed at whatever API base URL it is given.
 */
export async function startEchoBot(options: { channelSecret: string; channelAccessToken: string }) {
  let client: messagingApi.MessagingApiClient | undefined;
  let badSignatures = 0;
  let requests = 0;
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      requests += 1;
      const rawBody = Buffer.concat(chunks);
      const signature = request.headers["x-line-signature"];
      if (
        !verifySignature(
          rawBody,
          options.channelSecret,
          Array.isArray(signature) ? signature[0] : signature,
        )
      ) {
        badSignatures += 1;
        response.writeHead(401).end();
        return;
      }
      response.writeHead(200).end();
      const { events } = JSON.parse(rawBody.toString("utf8")) as {
        events: Array<{ replyToken?: string; message?: { type: string; text?: string } }>;
      };
      for (const event of events) {
        if (event.replyToken && event.message?.type === "text") {
          void client?.replyMessage({
            replyToken: event.replyToken,
            messages: [{ type: "text", text: `echo: ${event.message.text}` }],
          });
        }
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    webhookUrl: `http://127.0.0.1:${port}/webhook`,
    /** Points the bot's SDK client at the emulator. */
    useApi(baseURL: string) {
      client = new messagingApi.MessagingApiClient({
        channelAccessToken: options.channelAccessToken,
        baseURL,
      });
    },
    stats: () => ({ requests, badSignatures }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
