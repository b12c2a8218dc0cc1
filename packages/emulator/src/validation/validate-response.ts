import type { ErrorObject } from "ajv/dist/2020.js";
import { specValidators } from "./spec-validators.ts";

const describe = (errors: readonly ErrorObject[] | null | undefined) =>
  (errors ?? []).map(
    (error) => `${error.instancePath || "(body)"} ${error.message ?? error.keyword}`,
  );

/**
 * Checks an answer against the operation's response schema in LINE's spec. Returns the problems
 * found, empty when the answer conforms, so a test can `expect(...).toEqual([])` and read them.
 * A status the operation does not document is a problem; a documented status without a JSON
 * schema (an empty body, binary content) has nothing to check.
 */
export function validateResponse(operationId: string, status: number, body: unknown): string[] {
  const validators = specValidators();
  if (!validators.documentsStatus(operationId, status)) {
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
