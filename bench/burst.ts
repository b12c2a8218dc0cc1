/**
 * Scenario 3, burst: 30,000 text messages from 3,000 chats (10 each, interleaved) sent by the
 * emulator as fast as the ingress takes them, 2 workers. As LINE does under load, a webhook
 * carries several events (PER_WEBHOOK, from different chats); CONNECTIONS webhooks in flight.
 * Measures the time until the last answer reached the emulator, how many answers used the reply
 * token (the emulator refuses expired or reused tokens), the order of answers in every chat,
 * and (scenario 4b) the peak RSS of the ingress and workers over the burst.
 */
import {
  CONNECTIONS,
  CpuMeter,
  type Flags,
  log,
  peakRssMiB,
  pollUntil,
  REPLY_TOKEN_MAX_AGE_MS,
  reserveSeqs,
  resetPeakRss,
  settle,
  stackPids,
  startBenchStackOn,
  startLineSide,
  steady,
} from "./lib.ts";

/** Events per webhook request in the burst. */
export const PER_WEBHOOK = 10;

export interface BurstResults {
  events: number;
  chats: number;
  workers: number;
  /** First webhook sent → last webhook answered by the ingress. */
  acceptedInMs: number;
  /** First webhook sent → last answer at the emulator. */
  drainMs: number;
  failedWebhooks: number;
  answered: number;
  viaReply: number;
  viaPush: number;
  /** Longest time from an event's webhook to its answer. */
  maxAgeMs: number;
  chatsOutOfOrder: number;
  peakRssMiB: Record<string, number>;
  cpuMs: Record<string, number>;
}

export async function runBurst(redisUrl: string, redisPid: number, flags: Flags) {
  const chats = flags.quick ? 200 : 3_000;
  const perChat = 10;
  const events = chats * perChat;
  const workers = 2;
  const line = await startLineSide(chats);
  const stack = await startBenchStackOn(line, { redisUrl, prefix: "bench-burst", workers });
  try {
    const pids = stackPids(stack, redisPid);
    await steady(line, 500, flags.quick ? 1 : 2, pids); // warm-up, then a clean slate
    await settle(line);
    line.emulator.reset();
    line.answers.length = 0;
    for (const [name, pid] of Object.entries(pids)) if (name !== "redis") resetPeakRss(pid);

    log(`burst: ${events} events from ${chats} chats, ${workers} workers`);
    const firstSeq = reserveSeqs(events);
    const sentAt = new Float64Array(events);
    let sent = 0;
    let settled = 0;
    const webhooks = Math.ceil(events / PER_WEBHOOK);
    let failedWebhooks = 0;
    let failedEvents = 0;
    let lastAcceptedAt = 0;
    const meter = new CpuMeter(pids);
    meter.start();
    const start = performance.now();
    const send = () => {
      const batch = [];
      const now = performance.now();
      for (let i = 0; i < PER_WEBHOOK && sent < events; i++) {
        const index = sent++;
        sentAt[index] = now;
        batch.push({
          type: "text" as const,
          from: line.chatIds[index % chats] as string,
          text: String(firstSeq + index),
        });
      }
      line.emulator.sendEvents({ events: batch });
    };
    const unsubscribe = line.emulator.subscribe((activity) => {
      if (activity.kind !== "delivery") return;
      settled++;
      lastAcceptedAt = performance.now();
      if (activity.data.status < 200 || activity.data.status > 299) {
        failedWebhooks++;
        failedEvents += activity.data.webhookEventIds.length;
      }
      if (sent < events) send();
    });
    for (let i = 0; i < CONNECTIONS; i++) send();
    await pollUntil(() => settled >= webhooks, 300_000);
    const ours = () => line.answers.filter((a) => a.seq >= firstSeq && a.seq < firstSeq + events);
    await pollUntil(() => ours().length >= events - failedEvents, 300_000);
    const end = performance.now();
    unsubscribe();
    const cpuMs = meter.stop();

    let viaReply = 0;
    let maxAgeMs = 0;
    let drainEnd = start;
    const lastSeq = new Map<string, number>();
    const outOfOrder = new Set<string>();
    const answers = ours();
    for (const answer of answers) {
      if (answer.via === "reply") viaReply++;
      maxAgeMs = Math.max(maxAgeMs, answer.at - (sentAt[answer.seq - firstSeq] as number));
      drainEnd = Math.max(drainEnd, answer.at);
      if ((lastSeq.get(answer.chatId) ?? -1) > answer.seq) outOfOrder.add(answer.chatId);
      lastSeq.set(answer.chatId, answer.seq);
    }
    const result: BurstResults = {
      events,
      chats,
      workers,
      acceptedInMs: lastAcceptedAt - start,
      drainMs: (answers.length ? drainEnd : end) - start,
      failedWebhooks,
      answered: answers.length,
      viaReply,
      viaPush: answers.length - viaReply,
      maxAgeMs,
      chatsOutOfOrder: outOfOrder.size,
      peakRssMiB: Object.fromEntries(
        Object.entries(pids)
          .filter(([name]) => name !== "redis")
          .map(([name, pid]) => [name, peakRssMiB(pid)]),
      ),
      cpuMs,
    };
    log(
      `burst: accepted in ${(result.acceptedInMs / 1000).toFixed(1)} s, drained in ${(result.drainMs / 1000).toFixed(1)} s; ${viaReply}/${events} by reply (max age ${(maxAgeMs / 1000).toFixed(1)} s of ${REPLY_TOKEN_MAX_AGE_MS / 1000} s), ${result.chatsOutOfOrder} chats out of order, ${failedWebhooks} webhooks refused`,
    );
    return result;
  } finally {
    await stack.stop();
    await line.close();
  }
}
