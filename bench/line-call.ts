/**
 * `node bench/line-call.ts [calls]`: CPU of one LINE reply call in the calling process, by path,
 * measured in one run against the LINE stand-in (its own process, so its CPU is not counted):
 *
 * - `sdk fetch`:   `@line/bot-sdk`'s `replyMessageWithHttpInfo` (global `fetch` on the LINE pool);
 *                  what `createLineClient().reply` did before
 * - `linefleet`:   `createLineClient().reply` now (undici `request` on the same pool, with the
 *                  client's timeout and error mapping around it)
 * - `node:http`:   the same request through `node:http` with a keep-alive agent, as a floor
 *
 * Calls run 16 at a time (the workers' default concurrency); rounds of the paths are interleaved
 * and the median round reported, since the machine is shared.
 */
import { Agent as HttpAgent, request as httpRequest } from "node:http";
import { messagingApi } from "@line/bot-sdk";
import { createLineClient, useLineDispatcher } from "@linefleet/line-client";
import { log, median, replyTokenFor, startServer } from "./lib.ts";

const calls = Number(process.argv[2] ?? 4_000);
const rounds = 5;
const concurrency = 16;
const channelAccessToken = "bench-access-token";

const line = await startServer("line-stand-in");
const dispatcher = useLineDispatcher({ headersTimeoutMs: 10_000, bodyTimeoutMs: 10_000 });
const sdk = new messagingApi.MessagingApiClient({ channelAccessToken, baseURL: line.url });
const linefleet = createLineClient({ channelAccessToken, apiBaseUrl: line.url, dispatcher });
const keepAlive = new HttpAgent({ keepAlive: true, maxSockets: 64 });
const { host, port } = new URL(line.url);

function viaHttp(body: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        agent: keepAlive,
        host: host.split(":")[0],
        port,
        method: "POST",
        path: "/v2/bot/message/reply",
        headers: {
          "content-type": "application/json",
          authorization: `Bearer ${channelAccessToken}`,
          "content-length": Buffer.byteLength(body),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => {
          JSON.parse(Buffer.concat(chunks).toString("utf8"));
          if (res.statusCode === 200) resolve();
          else reject(new Error(`status ${res.statusCode}`));
        });
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

let tokens = 0;
const nextToken = () => replyTokenFor(Date.now(), ++tokens);
const messages = (n: number) => [{ type: "text" as const, text: `answer ${n}` }];

const paths: Record<string, (n: number) => Promise<unknown>> = {
  "sdk fetch": (n) =>
    sdk.replyMessageWithHttpInfo({ replyToken: nextToken(), messages: messages(n) }),
  linefleet: (n) => linefleet.reply(nextToken(), messages(n)),
  "node:http": (n) => viaHttp(JSON.stringify({ replyToken: nextToken(), messages: messages(n) })),
};

/** CPU µs per call of this process (user + system, all threads) over `count` calls. */
async function measure(send: (n: number) => Promise<unknown>, count: number): Promise<number> {
  let next = 0;
  const lane = async () => {
    while (next < count) await send(next++);
  };
  const before = process.cpuUsage();
  await Promise.all(Array.from({ length: concurrency }, lane));
  const used = process.cpuUsage(before);
  return (used.user + used.system) / count;
}

for (const send of Object.values(paths)) await measure(send, 1_000); // warm up JIT and sockets
const samples: Record<string, number[]> = Object.fromEntries(
  Object.keys(paths).map((k) => [k, []]),
);
for (let round = 0; round < rounds; round++) {
  for (const [name, send] of Object.entries(paths)) samples[name]?.push(await measure(send, calls));
}

const floor = median(samples["node:http"] ?? []);
log(`${calls} reply calls per round, ${concurrency} at a time, median of ${rounds} rounds`);
process.stdout.write(
  "\n| Path | CPU µs per call (median) | rounds | × node:http |\n|---|---:|---|---:|\n",
);
for (const [name, values] of Object.entries(samples)) {
  const mid = median(values);
  const all = values.map((v) => v.toFixed(0)).join(", ");
  process.stdout.write(`| ${name} | ${mid.toFixed(0)} | ${all} | ${(mid / floor).toFixed(2)} |\n`);
}

keepAlive.destroy();
await dispatcher.close();
await line.app.stop();
