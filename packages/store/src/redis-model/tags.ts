/**
 * Hash tags: Redis (and Redis Cluster) hashes only the part of a key between the first `{` and
 * the next `}`, so keys with the same tag live in one slot, and one Lua script or MULTI may touch
 * them all. Every key of one lane, and the ledger and session of its events, share the lane's tag.
 */
export const hashTag = (content: string) => `{${content}}`;

/** A key prefix must not carry a tag of its own: it would win over the tags built after it. */
export function assertPlainPrefix(prefix: string): string {
  if (/[{}]/.test(prefix)) throw new Error(`QUEUE_PREFIX must not contain "{" or "}": ${prefix}`);
  return prefix;
}
