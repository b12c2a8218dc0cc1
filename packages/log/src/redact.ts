import createRedactor from "@pinojs/redact";
import { redactedPaths, redactionCensor } from "./logger.ts";

const redactor = createRedactor({
  paths: [...redactedPaths],
  censor: redactionCensor,
  // The redacted copy as it is: `serialize: false` would hang a `restore` function on it.
  serialize: (copy: unknown) => copy,
  strict: false,
});

/**
 * A copy of `value` with every credential the logs redact replaced by "[redacted]": the same
 * paths and the same library as the logger (pino redacts with @pinojs/redact), so whatever is
 * hidden from the logs is hidden from anything else shown to people too. `value` is unchanged.
 */
export function redactSecrets<T>(value: T): T {
  return redactor(value) as T;
}
