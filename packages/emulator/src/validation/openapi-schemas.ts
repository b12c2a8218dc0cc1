/**
 * Turns the `components.schemas` of one of LINE's OpenAPI 3.0 documents into JSON Schema
 * (draft 2020-12) that ajv compiles.
 *
 * LINE's specs express polymorphism as inheritance: a base schema (`Message`, `Action`,
 * `FlexComponent`, `Template`, ...) carries `discriminator.mapping`, and each subtype starts with
 * `allOf: [{$ref: base}]`. Read literally, a reference to the base accepts any `type` and checks
 * none of the subtype's properties. So each base is split in two:
 * - `<Base>` becomes a dispatch on `type` (ajv's `discriminator` keyword over a `oneOf` of the
 *   mapped subtypes): an unknown `type` fails with the list of known ones, and a known one is
 *   checked against its subtype only.
 * - `<Base>.base` keeps the base's own properties, and the subtypes' `allOf` point at it.
 */

type Schema = Record<string, unknown>;

export interface TransformOptions {
  /**
   * Refuse properties the spec does not name in these schemas and everything they reference
   * (by `unevaluatedProperties: false`, which sees through `allOf`).
   */
  closedRoots?: readonly string[];
  /** OpenAPI's `nullable: true` as JSON Schema's `type: [T, "null"]` (for responses). */
  allowNull?: boolean;
}

/** The name of the property-only half of a discriminated base schema. */
const baseSchemaName = (name: string) => `${name}.base`;

/** Where the dispatch keeps the values its mapping knows, for the error message. */
export const DISCRIMINATOR_VALUES = "x-linefleet-discriminator-values";

const COMPONENT_REF = "#/components/schemas/";
export const DEFS_REF = "#/$defs/";

const isSchema = (value: unknown): value is Schema =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const refName = (ref: unknown) =>
  typeof ref === "string" && ref.startsWith(COMPONENT_REF)
    ? decodeURIComponent(ref.slice(COMPONENT_REF.length))
    : undefined;

/** A deep copy of a schema with every nested schema passed through `visit` (children first). */
function mapSchema(schema: unknown, visit: (schema: Schema) => Schema): unknown {
  if (Array.isArray(schema)) return schema.map((item) => mapSchema(item, visit));
  if (!isSchema(schema)) return schema;
  const copy: Schema = {};
  for (const [key, value] of Object.entries(schema)) {
    // `enum`, `example` and `required` hold data, not schemas.
    copy[key] =
      key === "enum" || key === "example" || key === "required" ? value : mapSchema(value, visit);
  }
  return visit(copy);
}

function discriminatorMapping(schema: Schema): Record<string, string> | undefined {
  const discriminator = schema.discriminator;
  if (!isSchema(discriminator) || !isSchema(discriminator.mapping)) return undefined;
  const mapping: Record<string, string> = {};
  for (const [value, ref] of Object.entries(discriminator.mapping)) {
    if (typeof ref === "string") mapping[value] = ref;
  }
  return mapping;
}

/** Names of every component schema reachable from the roots by `$ref`. */
function reachableFrom(schemas: Record<string, Schema>, roots: readonly string[]): Set<string> {
  const seen = new Set<string>();
  const pending = [...roots];
  while (pending.length > 0) {
    const name = pending.pop() as string;
    if (seen.has(name) || !schemas[name]) continue;
    seen.add(name);
    mapSchema(schemas[name], (schema) => {
      const target = refName(schema.$ref);
      if (target) pending.push(target);
      return schema;
    });
    for (const ref of Object.values(discriminatorMapping(schemas[name]) ?? {})) {
      const target = refName(ref);
      if (target) pending.push(target);
    }
  }
  return seen;
}

function withoutNullable(schema: Schema, allowNull: boolean): Schema {
  if (schema.nullable === undefined) return schema;
  const { nullable, ...rest } = schema;
  if (nullable === true && allowNull && typeof rest.type === "string") {
    return { ...rest, type: [rest.type, "null"] };
  }
  return rest;
}

/** An object schema that names properties (itself or through `allOf`), so it can be closed. */
const describesProperties = (schema: Schema) =>
  (isSchema(schema.properties) || Array.isArray(schema.allOf)) &&
  schema.additionalProperties === undefined;

/**
 * Closes the inline object schemas under a schema's properties and items, and the parts of its
 * `allOf` likewise; the parts themselves stay open (each names only some of the properties).
 */
function closeChildren(schema: Schema): Schema {
  const out: Schema = { ...schema };
  if (isSchema(out.properties)) {
    out.properties = Object.fromEntries(
      Object.entries(out.properties).map(([key, value]) => [
        key,
        isSchema(value) ? closeInline(value) : value,
      ]),
    );
  }
  if (isSchema(out.items)) out.items = closeInline(out.items);
  if (Array.isArray(out.allOf)) {
    out.allOf = out.allOf.map((part) => (isSchema(part) ? closeChildren(part) : part));
  }
  return out;
}

/** A schema that refuses properties it does not name, nested inline objects included. */
function close(schema: Schema): Schema {
  const out = closeChildren(schema);
  return describesProperties(out) ? { ...out, unevaluatedProperties: false } : out;
}

const closeInline = (schema: Schema) => (schema.$ref === undefined ? close(schema) : schema);

export function toJsonSchemas(
  components: Record<string, unknown>,
  options: TransformOptions = {},
): Record<string, Schema> {
  const source: Record<string, Schema> = {};
  for (const [name, schema] of Object.entries(components)) {
    if (isSchema(schema)) source[name] = schema;
  }
  const bases = new Set(
    Object.keys(source).filter((name) => discriminatorMapping(source[name] as Schema)),
  );
  const closed = reachableFrom(source, options.closedRoots ?? []);

  const rewrite = (schema: Schema): Schema => {
    let out = withoutNullable(schema, options.allowNull ?? false);
    // A subtype's `allOf: [{$ref: Base}]` extends the base's properties; it must not dispatch.
    if (Array.isArray(out.allOf)) {
      out = {
        ...out,
        allOf: out.allOf.map((part) => {
          const target = isSchema(part) ? refName(part.$ref) : undefined;
          return target && bases.has(target)
            ? { $ref: `${COMPONENT_REF}${baseSchemaName(target)}` }
            : part;
        }),
      };
    }
    return out;
  };

  const result: Record<string, Schema> = {};
  for (const [name, schema] of Object.entries(source)) {
    const mapping = discriminatorMapping(schema);
    const { discriminator: _ignored, ...properties } = mapSchema(schema, rewrite) as Schema;
    if (mapping) {
      const propertyName = (schema.discriminator as Schema).propertyName as string;
      result[baseSchemaName(name)] = closed.has(name) ? closeChildren(properties) : properties;
      result[name] = {
        type: "object",
        required: [propertyName],
        discriminator: { propertyName },
        [DISCRIMINATOR_VALUES]: Object.keys(mapping),
        oneOf: Object.entries(mapping).map(([value, ref]) => ({
          properties: { [propertyName]: { const: value } },
          $ref: ref,
        })),
      };
    } else {
      result[name] = closed.has(name) ? close(properties) : properties;
    }
  }
  // ajv resolves references inside a schema document, so the components move to `$defs`.
  return mapSchema(result, (schema) => {
    const target = refName(schema.$ref);
    return target ? { ...schema, $ref: `${DEFS_REF}${target}` } : schema;
  }) as Record<string, Schema>;
}
