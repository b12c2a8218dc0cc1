import type { ErrorDetail } from "../../errors.ts";
import { wording } from "../line-wording.ts";

/**
 * Small checks the documented rules are written in. Each one looks only at values of the right
 * JSON type: a missing or mistyped value is the schema's to report, so it is not reported twice.
 */
export type Out = ErrorDetail[];

export type Json = Record<string, unknown>;

export const isObject = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);

export const objects = (value: unknown): Json[] =>
  Array.isArray(value) ? value.filter(isObject) : [];

export const fail = (out: Out, property: string, message: string) => {
  out.push({ message, property });
};

/**
 * A string of at most `max` UTF-16 code units (JavaScript's `length`, which is how LINE counts).
 * With `min` 1 an empty string is refused as "May not be empty" and a long one is quoted with a
 * lower bound of 0, as LINE answers a 5001-character text ("Length must be between 0 and 5000").
 */
export function length(out: Out, property: string, value: unknown, max: number, min = 0) {
  if (typeof value !== "string") return;
  if (value.length === 0 && min > 0) fail(out, property, wording.mayNotBeEmpty);
  else if (value.length < min || value.length > max) {
    fail(out, property, wording.length(min > 1 ? min : 0, max));
  }
}

/** A string that must be present (and, with `min` 1, not empty). */
export function requiredLength(
  out: Out,
  property: string,
  value: unknown,
  max: number,
  missingWord: string,
  min = 1,
) {
  if (value === undefined) fail(out, property, missingWord);
  else length(out, property, value, max, min);
}

export function size(out: Out, property: string, value: unknown, min: number, max: number) {
  if (Array.isArray(value) && (value.length < min || value.length > max)) {
    fail(out, property, wording.size(min, max));
  }
}

const parsedUrl = (value: string) => {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
};

/**
 * Media LINE fetches (images, videos, audio, icons) must be HTTPS URLs of at most 2000
 * characters ("Protocol: HTTPS (TLS 1.2 or later)" on each such property of the reference).
 */
export function httpsUrl(out: Out, property: string, value: unknown, max = 2000) {
  if (typeof value !== "string") return;
  if (value.length > max) fail(out, property, wording.length(0, max));
  else if (parsedUrl(value)?.protocol !== "https:") fail(out, property, wording.invalidUri);
}

/** The schemes a URI action and an imagemap link may use ("The available schemes are ..."). */
const LINK_SCHEMES = new Set(["http:", "https:", "line:", "tel:"]);

/** A link the user opens: http, https, line or tel, at most 1000 characters. */
export function linkUri(out: Out, property: string, value: unknown, max = 1000) {
  if (typeof value !== "string") return;
  if (value.length > max) fail(out, property, wording.length(0, max));
  else if (!LINK_SCHEMES.has(parsedUrl(value)?.protocol ?? ""))
    fail(out, property, wording.invalidUri);
}
