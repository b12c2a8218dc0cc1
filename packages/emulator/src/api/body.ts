import { LineErrorResponse } from "../errors.ts";

/** Reads a JSON object body; LINE answers 400 for anything else. */
export function objectBody(body: unknown): Record<string, unknown> {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new LineErrorResponse(
      400,
      "The request body could not be parsed as JSON (line: 1, column: 1)",
    );
  }
  return body as Record<string, unknown>;
}
