import type { ErrorObject } from "ajv/dist/2020.js";
import { specValidators } from "./spec-validators.ts";

const describe = (errors: readonly ErrorObject[] | null | undefined) =>
  (errors ?? []).map(
    (error) => `${error.instancePath || "(body)"} ${error.message ?? error.keyword}`,
  );

/**
 * Statuses LINE's reference documents and its spec leaves out, with no schema to check:
 * "Get content" answers 202 while a video or audio file is still being prepared
 * (https://developers.line.biz/en/reference/messaging-api/#get-content-response).
 */
const REFERENCE_ONLY_STATUSES: Record<string, readonly number[]> = {
  getMessageContent: [202],
};

/**
 * Checks an answer against the operation's response schema in LINE's spec. Returns the problems
 * found, empty when the answer conforms, so a test can `expect(...).toEqual([])` and read them.
 * A documented status without a JSON schema (an empty body, binary content) has nothing to check.
 * An error status the operation does not list (most list no 401, 413 or 429) is held to LINE's
 * common error shape, which its reference gives for every endpoint ("Error responses"); a success
 * status it does not list is a problem.
 */
export function validateResponse(operationId: string, status: number, body: unknown): string[] {
  const validators = specValidators();
  if (REFERENCE_ONLY_STATUSES[operationId]?.includes(status)) return [];
  if (!validators.documentsStatus(operationId, status)) {
    if (status >= 400) return validateSpecComponent("messaging-api", "ErrorResponse", body);
    return [`status ${status} is not documented for ${operationId}`];
  }
  const validate = validators.responseValidator(operationId, status);
  if (!validate) return [];
  return validate(body) ? [] : describe(validate.errors);
}

/** Checks a value against a named component schema of one spec (`webhook`, `CallbackRequest`). */
export function validateSpecComponent(spec: string, name: string, value: unknown): string[] {
  const validate = specValidators().componentValidator(spec, name);
  return validate(value) ? [] : describe(validate.errors);
}
