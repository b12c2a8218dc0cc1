import { Ajv, type ErrorObject } from "ajv";
import { loadLineSpecs } from "../../src/index.ts";

type Json = Record<string, unknown>;

const ref = (name: string) => `#/components/schemas/${name}`;

/**
 * OpenAPI's `discriminator` picks a subschema by a property's value; JSON Schema has no such
 * keyword. Wherever a discriminated schema is used (not where a subtype extends it through
 * `allOf`), point at a copy that also applies the subschema the mapping names for that value.
 */
function withDiscriminators(schemas: Record<string, Json>): Record<string, Json> {
  const dispatched = new Set(
    Object.entries(schemas)
      .filter(([, schema]) => (schema.discriminator as Json | undefined)?.mapping)
      .map(([name]) => name),
  );
  const rewrite = (node: unknown, inAllOf: boolean): unknown => {
    if (Array.isArray(node)) return node.map((item) => rewrite(item, inAllOf));
    if (typeof node !== "object" || node === null) return node;
    const object = node as Json;
    const target = typeof object.$ref === "string" ? object.$ref.split("/").pop() : undefined;
    if (target && dispatched.has(target) && !inAllOf) return { $ref: ref(`${target}__dispatch`) };
    return Object.fromEntries(
      Object.entries(object).map(([key, value]) => [key, rewrite(value, key === "allOf")]),
    );
  };
  const out: Record<string, Json> = {};
  for (const [name, schema] of Object.entries(schemas)) {
    out[name] = rewrite(schema, false) as Json;
    if (!dispatched.has(name)) continue;
    const { propertyName, mapping } = schema.discriminator as {
      propertyName: string;
      mapping: Record<string, string>;
    };
    out[`${name}__dispatch`] = {
      allOf: [
        { $ref: ref(name) },
        ...Object.entries(mapping).map(([value, subschema]) => ({
          if: { properties: { [propertyName]: { const: value } }, required: [propertyName] },
          // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then, never awaited
          then: { $ref: subschema },
        })),
      ],
    };
  }
  return out;
}

/** The webhook spec's components, compiled once. */
function compileWebhookSpec() {
  const spec = loadLineSpecs().find((s) => s.name === "webhook");
  if (!spec) throw new Error("the webhook spec is missing");
  const components = spec.document.components as { schemas: Record<string, Json> };
  // OpenAPI's own keywords (discriminator, example, externalDocs) mean nothing to JSON Schema.
  const ajv = new Ajv({ strict: false, allErrors: true });
  for (const format of ["int32", "int64", "double", "date-time", "uri", "uuid"])
    ajv.addFormat(format, true);
  ajv.addSchema({
    $id: "webhook",
    components: { schemas: withDiscriminators(components.schemas) },
  });
  const discriminator = components.schemas.Event?.discriminator as { mapping?: Json } | undefined;
  const mapping = discriminator?.mapping ?? {};
  return {
    callbackRequest: ajv.getSchema(`webhook${ref("CallbackRequest")}`),
    eventTypes: new Set(Object.keys(mapping)),
  };
}

let compiled: ReturnType<typeof compileWebhookSpec> | undefined;

/**
 * Checks a webhook request body against `CallbackRequest` of LINE's webhook spec, each event
 * against the schema of its type. Returns the errors (none when valid) and whether the spec names
 * every event type in the body.
 */
export function checkWebhookBody(body: unknown): {
  errors: ErrorObject[];
  unknownTypes: string[];
} {
  compiled ??= compileWebhookSpec();
  const validate = compiled.callbackRequest;
  if (!validate) throw new Error("CallbackRequest is missing from the webhook spec");
  const valid = validate(body);
  const events = (body as { events?: Array<{ type?: string }> }).events ?? [];
  return {
    errors: valid ? [] : [...(validate.errors ?? [])],
    unknownTypes: events
      .map((event) => String(event.type))
      .filter((type) => !compiled?.eventTypes.has(type)),
  };
}
