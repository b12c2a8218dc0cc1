import { createFleetRateLimit, type FleetRateLimit } from "@linefleet/delivery";
import type { RedisConnection, RedisKeys } from "@linefleet/store";
import type { CampaignKind } from "./campaign-schema.ts";

/** LINE's limits per endpoint (LINE-CONTRACT §6); the workers' CAMPAIGN_* variables set them. */
export interface CampaignRateLimits {
  multicastPerSecond: number;
  narrowcastPerHour: number;
  broadcastPerHour: number;
}

export const lineCampaignRateLimits: CampaignRateLimits = {
  multicastPerSecond: 200,
  narrowcastPerHour: 60,
  broadcastPerHour: 60,
};

/**
 * The fleet-wide limit of one channel's calls to one send endpoint, shared by every worker in
 * Redis. Multicast goes one permit at a time with no burst, so no second holds more than the
 * limit; narrowcast and broadcast may use an hour's worth at once, as LINE's token bucket allows.
 */
export function createCampaignPacing(
  redis: RedisConnection,
  keys: RedisKeys,
  limits: CampaignRateLimits,
) {
  const made = new Map<string, FleetRateLimit>();
  return (channel: string, kind: CampaignKind): FleetRateLimit => {
    const name = `${channel}:${kind}`;
    let limit = made.get(name);
    if (!limit) {
      const perHour = kind === "narrowcast" ? limits.narrowcastPerHour : limits.broadcastPerHour;
      limit = createFleetRateLimit(
        redis,
        keys.rateLimit(`line-api:${channel}:${kind}`),
        kind === "multicast"
          ? { perSecond: limits.multicastPerSecond, burst: 1, lease: 1 }
          : { perSecond: perHour / 3600, burst: perHour, lease: 1 },
      );
      made.set(name, limit);
    }
    return limit;
  };
}
