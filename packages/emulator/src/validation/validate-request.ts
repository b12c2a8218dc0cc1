import { invalidBody, LineErrorResponse } from "../errors.ts";
import { invalidPropertyMessage, wording } from "./line-wording.ts";
import { documentedRuleFindings } from "./rules/request-rules.ts";
import { schemaFindings } from "./schema-errors.ts";
import { specValidators } from "./spec-validators.ts";

/**
 * A `null` property is read as absent. LINE's answer to a carousel whose columns carried
 * `"title": null` and `"thumbnailImageUrl": null` named only the columns' differing action counts
 * (line/line-bot-sdk-python issue #38), so a null optional property passes here, and a null
 * required one is reported as missing.
 */
function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (typeof value !== "object" || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, entry]) => entry !== null)
      .map(([key, entry]) => [key, withoutNulls(entry)]),
  );
}

/**
 * Operations LINE answers with one message, without details, whatever is wrong with the body
 * ("Set webhook endpoint URL" and "Test webhook endpoint" in the reference).
 */
const SINGLE_MESSAGE_ANSWERS: Record<string, string> = {
  setWebhookEndpoint: "Invalid webhook endpoint URL",
  testWebhookEndpoint: "Invalid webhook endpoint URL",
};

/**
 * LINE's word for a missing value differs by place: "May not be empty" for the fields of a send
 * request and of its messages (`replyToken`, `messages[0].text`), "must be specified" elsewhere
 * (`name` of a rich menu, a flex component's `layout`).
 */
const missingWordFor = (body: unknown) => (parentPath: string) =>
  typeof body === "object" &&
  body !== null &&
  "messages" in body &&
  /^(messages\[\d+\])?$/.test(parentPath)
    ? wording.mayNotBeEmpty
    : wording.mustBeSpecified;

/**
 * Validates a request body as LINE does: against the operation's schema in the spec, then by
 * LINE's documented rules. Returns the error LINE would answer with, or undefined when the body
 * passes (or the operation takes no JSON body).
 *
 * A value of the wrong JSON type is answered as LINE answers one it cannot read: a single
 * message naming the property. Everything else is collected into `details`.
 */
export function requestBodyError(
  operationId: string,
  body: unknown,
): LineErrorResponse | undefined {
  const validators = specValidators();
  if (body === undefined || !validators.operations.has(operationId)) return undefined;
  const validate = validators.requestValidator(operationId);
  if (!validate) return undefined;
  const value = withoutNulls(body);
  validate(value);
  const findings = schemaFindings(validate.errors ?? [], value, {
    missingWord: missingWordFor(value),
  });
  if (findings.unreadable !== undefined) {
    const single = SINGLE_MESSAGE_ANSWERS[operationId];
    // A body that is not an object at all is answered as one that is not JSON.
    const whole = "The request body could not be parsed as JSON (line: 1, column: 1)";
    return new LineErrorResponse(
      400,
      single ?? (findings.unreadable === "" ? whole : invalidPropertyMessage(findings.unreadable)),
    );
  }
  // A rule that repeats a finding (the same words on the same property) adds nothing.
  const seen = new Set<string>();
  const details = [...findings.details, ...documentedRuleFindings(operationId, value)].filter(
    (detail) => {
      const key = `${detail.property}\n${detail.message}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    },
  );
  if (details.length === 0) return undefined;
  const single = SINGLE_MESSAGE_ANSWERS[operationId];
  return single ? new LineErrorResponse(400, single) : invalidBody(details);
}

/** Throws LINE's 400 when the body is invalid; for route handlers keyed by operationId. */
export function validateRequest(operationId: string, body: unknown): void {
  const error = requestBodyError(operationId, body);
  if (error) throw error;
}
