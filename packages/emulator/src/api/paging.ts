import { LineErrorResponse } from "../errors.ts";

/**
 * LINE's continuation-token paging (`start` in, `next` out). The token is opaque to callers;
 * here it is the offset, base64url-encoded.
 */
export function continuationPage<T>(
  items: readonly T[],
  query: URLSearchParams,
  limits: { default: number; max: number },
): { items: T[]; next?: string } {
  const limitText = query.get("limit");
  const limit = limitText === null ? limits.default : Number(limitText);
  if (!Number.isInteger(limit) || limit < 1 || limit > limits.max) {
    throw new LineErrorResponse(400, "The value for the 'limit' parameter is invalid");
  }
  const start = query.get("start");
  let offset = 0;
  if (start !== null) {
    offset = Number(Buffer.from(start, "base64url").toString("utf8"));
    if (!Number.isInteger(offset) || offset < 0 || offset > items.length) {
      throw new LineErrorResponse(400, "The value for the 'start' parameter is invalid");
    }
  }
  const end = offset + limit;
  return {
    items: items.slice(offset, end),
    ...(end < items.length ? { next: Buffer.from(String(end)).toString("base64url") } : {}),
  };
}
