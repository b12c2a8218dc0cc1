import { EmulatorError, errorCodes } from "../errors.ts";

/** A membership plan, as set up in LINE Official Account Manager (here: the control API). */
export interface MembershipPlan {
  membershipId: number;
  title: string;
  description: string;
  benefits: string[];
  price: number;
  currency: "JPY" | "TWD" | "THB";
  memberLimit: number | null;
  isInAppPurchase: boolean;
  isPublished: boolean;
}

export interface MembershipSubscription {
  membershipId: number;
  userId: string;
  membershipNo: number;
  /** Epoch seconds. */
  joinedTime: number;
}

/** One channel's membership plans and who subscribes to them. */
export class ChannelMemberships {
  readonly plans = new Map<number, MembershipPlan>();
  readonly subscriptions: MembershipSubscription[] = [];
  #nextNo = 1;

  members(membershipId: number): MembershipSubscription[] {
    return this.subscriptions.filter((s) => s.membershipId === membershipId);
  }

  join(membershipId: number, userId: string, nowMs: number): MembershipSubscription {
    const plan = this.plans.get(membershipId);
    if (!plan) {
      throw new EmulatorError(errorCodes.notFound, `no membership plan ${membershipId}`, 404);
    }
    const existing = this.subscriptions.find(
      (s) => s.membershipId === membershipId && s.userId === userId,
    );
    if (existing) return existing;
    if (plan.memberLimit !== null && this.members(membershipId).length >= plan.memberLimit) {
      throw new EmulatorError(errorCodes.invalidInput, `membership ${membershipId} is full`);
    }
    const subscription = {
      membershipId,
      userId,
      membershipNo: this.#nextNo++,
      joinedTime: Math.floor(nowMs / 1000),
    };
    this.subscriptions.push(subscription);
    return subscription;
  }

  leave(membershipId: number, userId: string) {
    const index = this.subscriptions.findIndex(
      (s) => s.membershipId === membershipId && s.userId === userId,
    );
    if (index >= 0) this.subscriptions.splice(index, 1);
  }
}

/** Membership plans per channel; plan ids are numbers, unique across channels. */
export class Memberships {
  readonly #byChannel = new Map<string, ChannelMemberships>();
  #nextId = 3_000;

  of(channel: string): ChannelMemberships {
    let memberships = this.#byChannel.get(channel);
    if (!memberships) {
      memberships = new ChannelMemberships();
      this.#byChannel.set(channel, memberships);
    }
    return memberships;
  }

  addPlan(channel: string, plan: Omit<MembershipPlan, "membershipId">): MembershipPlan {
    const created = { membershipId: this.#nextId++, ...plan };
    this.of(channel).plans.set(created.membershipId, created);
    return created;
  }

  clear() {
    this.#byChannel.clear();
  }
}
