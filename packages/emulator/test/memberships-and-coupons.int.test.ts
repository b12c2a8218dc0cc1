import { afterEach, describe, expect, it } from "vitest";
import { startEmulatorWithReceiver } from "./support/fixture.ts";
import { sdkClients, sdkFailure } from "./support/sdk.ts";

let running: Awaited<ReturnType<typeof startEmulatorWithReceiver>> | undefined;

afterEach(async () => {
  await running?.close();
  running = undefined;
});

describe("membership plans", () => {
  it("lists the plans set up through the control API and who subscribes to them", async () => {
    running = await startEmulatorWithReceiver({
      users: [{ displayName: "Alice" }, { displayName: "Bob" }],
    });
    const { emulator } = running;
    const { client } = sdkClients(emulator);
    const [alice, bob] = emulator.state().users.map((user) => user.userId) as [string, string];

    const response = await fetch(`${emulator.url}/emulator/memberships`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ title: "Gold", benefits: ["Free coffee"], price: 500 }),
    });
    const plan = (await response.json()) as { membershipId: number };
    const joined = await fetch(`${emulator.url}/emulator/memberships/subscriptions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ membershipId: plan.membershipId, userId: alice }),
    });
    expect(await joined.json()).toMatchObject({ membershipId: plan.membershipId, membershipNo: 1 });
    // Joining again is the same subscription.
    expect(
      emulator.joinMembership({ membershipId: plan.membershipId, userId: alice }),
    ).toMatchObject({ membershipNo: 1 });

    expect((await client.getMembershipList()).memberships).toEqual([
      expect.objectContaining({ membershipId: plan.membershipId, title: "Gold", memberCount: 1 }),
    ]);
    expect((await client.getJoinedMembershipUsers(plan.membershipId)).userIds).toEqual([alice]);
    const subscription = await client.getMembershipSubscription(alice);
    expect(subscription.subscriptions[0]).toMatchObject({
      membership: { membershipId: plan.membershipId, currency: "JPY" },
      user: { membershipNo: 1, totalSubscriptionMonths: 1 },
    });
    expect((await sdkFailure(client.getMembershipSubscription(bob))).status).toBe(404);
  });
});

describe("coupons", () => {
  it("creates, lists by status, reads and closes a coupon", async () => {
    running = await startEmulatorWithReceiver();
    const { client } = sdkClients(running.emulator);
    const nowSeconds = Math.floor(Date.now() / 1000);
    const { couponId } = await client.createCoupon({
      title: "10% off",
      startTimestamp: nowSeconds,
      endTimestamp: nowSeconds + 86_400,
      maxUseCountPerTicket: 1,
      visibility: "UNLISTED",
      timezone: "ASIA_TOKYO",
      acquisitionCondition: { type: "normal" },
    });
    expect(await client.listCoupon(new Set(["RUNNING"]))).toEqual({
      items: [{ couponId, title: "10% off" }],
    });
    expect(await client.getCouponDetail(couponId)).toMatchObject({ couponId, status: "RUNNING" });
    await client.closeCoupon(couponId);
    expect((await client.getCouponDetail(couponId)).status).toBe("CLOSED");
    expect((await client.listCoupon(new Set(["RUNNING"]))).items).toEqual([]);
    expect((await sdkFailure(client.closeCoupon(couponId))).status).toBe(410);

    const noTitle = await sdkFailure(
      client.createCoupon({
        title: "",
        startTimestamp: nowSeconds,
        endTimestamp: nowSeconds - 1,
        maxUseCountPerTicket: 1,
        visibility: "UNLISTED",
        timezone: "ASIA_TOKYO",
        acquisitionCondition: { type: "normal" },
      }),
    );
    expect(noTitle.status).toBe(400);
    expect(noTitle.body.details).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ property: "title" }),
        expect.objectContaining({ property: "endTimestamp" }),
      ]),
    );
  });
});
