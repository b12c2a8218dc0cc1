/**
 * A recording stand-in for LINE's Messaging API, used where the emulator is not used: it answers
 * reply and push like LINE does (a reply token works once and expires after a minute) and records
 * when each message arrived. The bench's messages carry `chat:seq:sentAtMs` as their text.
 * GET /bench/records lists the arrivals; POST /bench/reset clears them.
 */
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";

const REPLY_TOKEN_TTL_MS = 60_000;

interface Arrival {
  via: "reply" | "push";
  text: string;
  arrivedAt: number;
}

let arrivals: Arrival[] = [];
let usedTokens = new Set<string>();
let sentCounter = 0;

function answer(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, {
    "content-type": "application/json",
    "x-line-request-id": randomUUID(),
  });
  response.end(JSON.stringify(body));
}

function record(via: Arrival["via"], messages: Array<{ text?: string }>, arrivedAt: number) {
  for (const message of messages) arrivals.push({ via, text: message.text ?? "", arrivedAt });
  return {
    sentMessages: messages.map(() => ({ id: String(++sentCounter), quoteToken: randomUUID() })),
  };
}

function handle(request: IncomingMessage, response: ServerResponse, raw: string) {
  const arrivedAt = performance.timeOrigin + performance.now();
  const url = request.url ?? "/";
  if (url === "/healthz") return answer(response, 200, { ok: true });
  if (url === "/bench/records") return answer(response, 200, arrivals);
  if (url === "/bench/count") return answer(response, 200, { count: arrivals.length });
  if (url === "/bench/reset") {
    arrivals = [];
    usedTokens = new Set();
    return answer(response, 200, { ok: true });
  }
  const body = JSON.parse(raw || "{}") as {
    replyToken?: string;
    to?: string;
    messages?: Array<{ text?: string }>;
  };
  if (url === "/v2/bot/message/reply") {
    const token = body.replyToken ?? "";
    const issuedAt = Number(token.split("x")[0]);
    if (usedTokens.has(token) || !(arrivedAt - issuedAt < REPLY_TOKEN_TTL_MS)) {
      return answer(response, 400, { message: "Invalid reply token" });
    }
    usedTokens.add(token);
    return answer(response, 200, record("reply", body.messages ?? [], arrivedAt));
  }
  if (url === "/v2/bot/message/push") {
    return answer(response, 200, record("push", body.messages ?? [], arrivedAt));
  }
  answer(response, 404, { message: "Not found" });
}

createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on("data", (chunk: Buffer) => chunks.push(chunk));
  request.on("end", () => handle(request, response, Buffer.concat(chunks).toString("utf8")));
}).listen(Number(process.env.PORT), "127.0.0.1");
