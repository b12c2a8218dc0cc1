import type { ErrorObject } from "ajv/dist/2020.js";
import type { ErrorDetail } from "../errors.ts";
import { wording } from "./line-wording.ts";
import { DISCRIMINATOR_VALUES } from "./openapi-schemas.ts";
import { child, pointerToPath } from "./property-path.ts";

/**
 * The upper bound quoted when the spec gives none. LINE's answers read like Java bean validation
 * ("Size must be between 1 and 5"), whose bounds default to `Integer.MAX_VALUE`.
 */
const UNBOUNDED = 2147483647;

export interface SchemaFindings {
  /** LINE's problems with the values it read, in its words. */
  details: ErrorDetail[];
  /** The first property LINE could not read as its declared type, if any. */
  unreadable?: string;
}

export interface WordingContext {
  /** Which word a missing value gets at this parent path (LINE's own answers differ by place). */
  missingWord(parentPath: string): string;
}

const numberOr = (value: unknown, fallback: number) =>
  typeof value === "number" ? value : fallback;

/** ajv's findings in LINE's words and property paths. */
export function schemaFindings(
  errors: readonly ErrorObject[],
  body: unknown,
  context: WordingContext,
): SchemaFindings {
  const findings: SchemaFindings = { details: [] };
  const add = (property: string, message: string) => findings.details.push({ message, property });
  for (const error of errors) {
    const path = pointerToPath(error.instancePath, body);
    const schema = (error.parentSchema ?? {}) as Record<string, unknown>;
    const params = error.params as Record<string, unknown>;
    switch (error.keyword) {
      case "required":
        add(child(path, String(params.missingProperty)), context.missingWord(path));
        break;
      case "minLength":
      case "maxLength":
        if (error.data === "") add(path, wording.mayNotBeEmpty);
        else
          add(
            path,
            wording.length(numberOr(schema.minLength, 0), numberOr(schema.maxLength, UNBOUNDED)),
          );
        break;
      case "minItems":
      case "maxItems":
        add(path, wording.size(numberOr(schema.minItems, 0), numberOr(schema.maxItems, UNBOUNDED)));
        break;
      case "minProperties":
      case "maxProperties":
        add(
          path,
          wording.size(
            numberOr(schema.minProperties, 0),
            numberOr(schema.maxProperties, UNBOUNDED),
          ),
        );
        break;
      case "enum":
        add(path, wording.oneOf(params.allowedValues as unknown[]));
        break;
      case "const":
        add(path, wording.oneOf([params.allowedValue]));
        break;
      case "discriminator": {
        const tag = String(params.tag);
        const tagPath = child(path, tag);
        if (params.error === "mapping") {
          add(tagPath, wording.oneOf((schema[DISCRIMINATOR_VALUES] as unknown[]) ?? []));
        } else if ((error.data as Record<string, unknown> | undefined)?.[tag] !== undefined) {
          findings.unreadable ??= tagPath;
        }
        // A missing tag is reported by `required`.
        break;
      }
      case "type":
        findings.unreadable ??= path;
        break;
      case "format":
        add(path, params.format === "uri" ? wording.invalidUri : wording.invalidProperty);
        break;
      case "minimum":
      case "maximum":
      case "exclusiveMinimum":
      case "exclusiveMaximum": {
        const min = schema.minimum ?? schema.exclusiveMinimum;
        const max = schema.maximum ?? schema.exclusiveMaximum;
        if (typeof min === "number" && typeof max === "number")
          add(path, wording.between(min, max));
        else if (typeof min === "number") add(path, wording.atLeast(min));
        else add(path, wording.atMost(numberOr(max, UNBOUNDED)));
        break;
      }
      case "pattern":
        add(path, wording.pattern(String(params.pattern)));
        break;
      case "unevaluatedProperties":
        add(child(path, String(params.unevaluatedProperty)), wording.invalidProperty);
        break;
      case "additionalProperties":
        add(child(path, String(params.additionalProperty)), wording.invalidProperty);
        break;
      default:
        add(path, wording.invalidProperty);
    }
  }
  return findings;
}
