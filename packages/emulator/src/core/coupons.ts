/** A coupon as created through the Messaging API, with what LINE adds (id, times, status). */
export interface Coupon {
  couponId: string;
  createdTimestamp: number;
  /** Set by close; a closed coupon stays readable. */
  closed: boolean;
  /** The create request's properties, as given. */
  settings: Record<string, unknown> & {
    title: string;
    startTimestamp: number;
    endTimestamp: number;
  };
}

/** Coupons per channel, in creation order. */
export class Coupons {
  readonly #byChannel = new Map<string, Map<string, Coupon>>();

  of(channel: string): Map<string, Coupon> {
    let coupons = this.#byChannel.get(channel);
    if (!coupons) {
      coupons = new Map();
      this.#byChannel.set(channel, coupons);
    }
    return coupons;
  }

  clear() {
    this.#byChannel.clear();
  }
}

/** LINE's coupon status: closed by the bot or past its end, else running. */
export function couponStatus(coupon: Coupon, nowMs: number): "RUNNING" | "CLOSED" {
  return coupon.closed || coupon.settings.endTimestamp * 1000 <= nowMs ? "CLOSED" : "RUNNING";
}
