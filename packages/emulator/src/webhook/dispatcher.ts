import { randomUUID } from "node:crypto";
import type { DeliveryAttempt } from "../core/activity.ts";
import type { EmulatedChannel } from "../core/channels.ts";
import type { Platform } from "../core/platform.ts";
import { sendWebhook, type WebhookAttemptResult } from "./send-webhook.ts";

export type WebhookEventObject = Record<string, unknown> & {
  webhookEventId: string;
  replyToken?: string;
  deliveryContext: { isRedelivery: boolean };
};

export interface DeliveryOptions {
  /** Send one redelivery (`isRedelivery: true`) even if the bot answered 2xx. */
  redeliver?: boolean;
  /** Extra identical copies sent after the first attempt, as network duplicates arrive. */
  duplicates?: number;
  /** Hold the request back this long, so later events can overtake it. */
  delayMs?: number;
}

/**
 * Sends webhook requests and redelivers failed ones with the configured backoff. A redelivery
 * is the same JSON with only `deliveryContext.isRedelivery` turned true.
 */
export class WebhookDispatcher {
  private readonly platform: Platform;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly aborter = new AbortController();
  /** Deliveries that may still make an attempt, with what ends the wait for each. */
  private readonly running = new Map<string, { done: Promise<void>; finish: () => void }>();

  constructor(platform: Platform) {
    this.platform = platform;
  }

  /**
   * Schedules delivery of one request carrying `events` to a channel's bot (the default
   * channel's when unnamed); returns its delivery id at once.
   */
  dispatch(events: WebhookEventObject[], options: DeliveryOptions = {}, channel?: string): string {
    const deliveryId = randomUUID();
    let finish = () => {};
    const done = new Promise<void>((resolve) => {
      finish = () => {
        this.running.delete(deliveryId);
        resolve();
      };
    });
    this.running.set(deliveryId, { done, finish });
    const target = this.platform.channels.get(channel);
    // Attempts never throw (failures are outcomes), so nothing is left unhandled here.
    this.later(
      options.delayMs ?? 0,
      () => void this.run(deliveryId, events, options, target).then(finish),
    );
    return deliveryId;
  }

  /**
   * Resolves once a delivery will make no more attempts: the bot accepted it, redelivery gave up
   * or is off, or the emulator closed. The signal to wait for before asserting "no more attempts".
   */
  async done(deliveryId: string): Promise<void> {
    await this.running.get(deliveryId)?.done;
  }

  /** The console's Verify button: a signed `events: []` request, never redelivered. */
  async verify(url?: string, channel?: string): Promise<WebhookAttemptResult> {
    const target = this.platform.channels.get(channel);
    const body = this.envelope([], target);
    const outcome = await this.send(url ?? this.platform.webhookUrlOf(target.name), body, target);
    this.record(randomUUID(), [], 1, "verify", false, outcome, body, target);
    return outcome;
  }

  /** Cancels pending redeliveries and in-flight requests (on close). */
  stop() {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.aborter.abort();
    // Their timers are gone: they will make no more attempts.
    for (const { finish } of [...this.running.values()]) finish();
  }

  private async run(
    deliveryId: string,
    events: WebhookEventObject[],
    options: DeliveryOptions,
    channel: EmulatedChannel,
  ) {
    const generation = this.platform.generation;
    const original = this.envelope(events, channel);
    const first = await this.attempt(deliveryId, events, original, 1, "original", false, channel);
    for (let i = 0; i < (options.duplicates ?? 0); i++) {
      await this.attempt(deliveryId, events, original, 1, "duplicate", false, channel);
    }
    const failed = first.status < 200 || first.status >= 300;
    const { redelivery } = this.platform.config;
    if (!(failed && redelivery.enabled) && !options.redeliver) return;

    const redelivered = this.envelope(
      events.map((event) => ({ ...event, deliveryContext: { isRedelivery: true } })),
      channel,
    );
    const delays =
      failed && redelivery.enabled ? redelivery.delaysMs : redelivery.delaysMs.slice(0, 1);
    for (const [index, delay] of (delays.length > 0 ? delays : [0]).entries()) {
      await new Promise<void>((resolve) => this.later(delay, resolve));
      if (this.aborter.signal.aborted || this.platform.generation !== generation) return;
      const outcome = await this.attempt(
        deliveryId,
        events,
        redelivered,
        index + 2,
        "redelivery",
        true,
        channel,
      );
      if (outcome.status >= 200 && outcome.status < 300) return;
      if (!this.platform.config.redelivery.enabled) return;
    }
  }

  private async attempt(
    deliveryId: string,
    events: WebhookEventObject[],
    body: string,
    attempt: number,
    kind: DeliveryAttempt["kind"],
    isRedelivery: boolean,
    channel: EmulatedChannel,
  ): Promise<WebhookAttemptResult> {
    const sentAt = this.platform.now();
    for (const event of events) {
      if (event.replyToken) {
        this.platform.replyTokens.sent(event.replyToken, sentAt, isRedelivery);
        this.platform.replyTokenChannels.set(event.replyToken, channel.name);
      }
    }
    const generation = this.platform.generation;
    const outcome = await this.send(this.platform.webhookUrlOf(channel.name), body, channel);
    // A reset while the request was in flight: the delivery belongs to the forgotten world.
    if (this.platform.generation === generation)
      this.record(deliveryId, events, attempt, kind, isRedelivery, outcome, body, channel);
    return outcome;
  }

  private send(url: string, body: string, channel: EmulatedChannel) {
    return sendWebhook({
      url,
      body,
      channelSecret: channel.channelSecret,
      timeoutMs: this.platform.config.webhookTimeoutMs,
      signal: this.aborter.signal,
    });
  }

  private record(
    deliveryId: string,
    events: WebhookEventObject[],
    attempt: number,
    kind: DeliveryAttempt["kind"],
    isRedelivery: boolean,
    outcome: WebhookAttemptResult,
    body: string,
    channel: EmulatedChannel,
  ) {
    this.platform.activity.addDelivery({
      id: randomUUID(),
      deliveryId,
      channel: channel.name,
      webhookEventIds: events.map((e) => e.webhookEventId),
      attempt,
      kind,
      isRedelivery,
      status: outcome.status,
      durationMs: outcome.durationMs,
      ...(outcome.error ? { error: outcome.error } : {}),
      body,
      at: this.platform.now(),
    });
  }

  private envelope(events: WebhookEventObject[], channel: EmulatedChannel): string {
    return JSON.stringify({ destination: channel.bot.userId, events });
  }

  private later(ms: number, run: () => void) {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      run();
    }, ms);
    this.timers.add(timer);
  }
}
