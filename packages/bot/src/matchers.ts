import type { webhook } from "@line/bot-sdk";
import type { Postback, PostbackParams } from "./events.ts";

/** A text route's pattern: the exact text, or a RegExp whose match (with captures) the handler gets. */
export type TextPattern = string | RegExp;

/** A postback route's pattern: the exact `data`, a RegExp over it, or a key of `data` as a query string. */
export type PostbackPattern = string | RegExp | { key: string; value?: string };

/** The match a RegExp found, or undefined. A global or sticky RegExp starts from 0 every time. */
export function matchRegExp(pattern: RegExp, text: string): RegExpExecArray | undefined {
  pattern.lastIndex = 0;
  return pattern.exec(text) ?? undefined;
}

export function toPostback(content: webhook.PostbackContent): Postback {
  const params = content.params as PostbackParams | undefined;
  return {
    data: content.data,
    query: new URLSearchParams(content.data.includes("=") ? content.data : ""),
    params: params && Object.keys(params).length > 0 ? params : undefined,
  };
}

/**
 * Whether a postback matches; for a `{ key }` pattern also the key's value, which the handler
 * gets as `postback.value`.
 */
export function matchPostback(
  pattern: PostbackPattern,
  postback: Postback,
): { value?: string; match?: RegExpExecArray } | undefined {
  if (typeof pattern === "string") return postback.data === pattern ? {} : undefined;
  if (pattern instanceof RegExp) {
    const match = matchRegExp(pattern, postback.data);
    return match ? { match } : undefined;
  }
  const value = postback.query.get(pattern.key);
  if (value === null) return undefined;
  if (pattern.value !== undefined && pattern.value !== value) return undefined;
  return { value };
}
