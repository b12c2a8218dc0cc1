import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { type LineSpec, loadLineSpecs, type SpecOperation } from "../api/spec/line-specs.ts";
import { DEFS_REF, toJsonSchemas } from "./openapi-schemas.ts";

type Schema = Record<string, unknown>;

// ajv-formats is CommonJS; under Node's ESM loader its default export is the module object.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule })
  .default ?? addFormatsModule) as unknown as (ajv: Ajv2020) => Ajv2020;

/**
 * The message tree, closed against unknown properties in requests: LINE answers 400 for a
 * property it does not know in a message object (for a flex message, a detail "invalid property"
 * naming it). Every other request body stays open: LINE documents new optional fields as a
 * non-breaking change, and refusing a field LINE accepts would fail a bot that works in production.
 */
const CLOSED_REQUEST_ROOTS = ["Message"];

/** OpenAPI's numeric and binary formats carry no rule ajv should enforce. */
const ANNOTATION_FORMATS = ["int32", "int64", "double", "float", "binary", "byte"];

const specId = (name: string) => `https://linefleet.invalid/line-openapi/${name}.json`;

function newAjv(specs: readonly LineSpec[], direction: "request" | "response"): Ajv2020 {
  const ajv = new Ajv2020({
    allErrors: true,
    discriminator: true,
    // The specs carry OpenAPI-only keywords (`example`, `externalDocs`, ...) that ajv should skip.
    strict: false,
    // Errors keep their schema, so the messages can quote its bounds and allowed values.
    verbose: true,
    // Each component compiles once into its own function, shared by every operation that uses it
    // (inlined, the message tree would be compiled again into each send operation).
    inlineRefs: false,
    // The specs are LINE's published files, not input; checking them against the meta-schema at
    // every start would only cost time.
    validateSchema: false,
  });
  addFormats(ajv);
  for (const format of ANNOTATION_FORMATS) ajv.addFormat(format, true);
  for (const spec of specs) {
    const components = ((spec.document.components as Schema | undefined)?.schemas ?? {}) as Schema;
    ajv.addSchema({
      $id: specId(spec.name),
      $defs: toJsonSchemas(
        components,
        direction === "request" ? { closedRoots: CLOSED_REQUEST_ROOTS } : { allowNull: true },
      ),
    });
  }
  return ajv;
}

/** An operation's inline schema with its component references made absolute. */
function absolute(schema: unknown, spec: string): unknown {
  if (Array.isArray(schema)) return schema.map((item) => absolute(item, spec));
  if (typeof schema !== "object" || schema === null) return schema;
  return Object.fromEntries(
    Object.entries(schema).map(([key, value]) => {
      if (
        key === "$ref" &&
        typeof value === "string" &&
        value.startsWith("#/components/schemas/")
      ) {
        return [key, `${specId(spec)}${DEFS_REF}${value.slice("#/components/schemas/".length)}`];
      }
      return [key, absolute(value, spec)];
    }),
  );
}

function jsonSchemaOf(content: unknown): unknown {
  const json = (content as Record<string, { schema?: unknown }> | undefined)?.["application/json"];
  return json?.schema;
}

/**
 * Compiles each operation's request and response schemas on first use and keeps them: the specs
 * are parsed once per process, and an emulator that serves a hundred operations pays only for the
 * ones called.
 */
export class SpecValidators {
  readonly operations: ReadonlyMap<string, SpecOperation>;
  private readonly specs: readonly LineSpec[];
  private requestAjv: Ajv2020 | undefined;
  private responseAjv: Ajv2020 | undefined;
  private readonly compiled = new Map<string, ValidateFunction | null>();

  constructor(specs: readonly LineSpec[] = loadLineSpecs()) {
    this.specs = specs;
    this.operations = new Map(
      specs.flatMap((spec) => spec.operations.map((op) => [op.operationId, op] as const)),
    );
  }

  private ajv(direction: "request" | "response"): Ajv2020 {
    if (direction === "request") {
      this.requestAjv ??= newAjv(this.specs, "request");
      return this.requestAjv;
    }
    this.responseAjv ??= newAjv(this.specs, "response");
    return this.responseAjv;
  }

  private compile(key: string, direction: "request" | "response", spec: string, schema: unknown) {
    if (!this.compiled.has(key)) {
      this.compiled.set(
        key,
        schema === undefined ? null : this.ajv(direction).compile(absolute(schema, spec) as Schema),
      );
    }
    return this.compiled.get(key) ?? undefined;
  }

  /** The operation's JSON request-body validator; undefined when it takes no JSON body. */
  requestValidator(operationId: string): ValidateFunction | undefined {
    const operation = this.operations.get(operationId);
    if (!operation) throw new Error(`Unknown LINE operation: ${operationId}`);
    const requestBody = operation.definition.requestBody as Schema | undefined;
    return this.compile(
      `request ${operationId}`,
      "request",
      operation.spec,
      jsonSchemaOf(requestBody?.content),
    );
  }

  /** The validator of one response status (or the spec's `default`); undefined when not JSON. */
  responseValidator(operationId: string, status: number): ValidateFunction | undefined {
    const operation = this.operations.get(operationId);
    if (!operation) throw new Error(`Unknown LINE operation: ${operationId}`);
    const responses = (operation.definition.responses ?? {}) as Record<string, Schema>;
    const response = responses[String(status)] ?? responses.default;
    return this.compile(
      `response ${operationId} ${response === responses.default ? "default" : status}`,
      "response",
      operation.spec,
      jsonSchemaOf(response?.content),
    );
  }

  /** Whether the operation documents the status at all (a `default` counts). */
  documentsStatus(operationId: string, status: number): boolean {
    const responses = (this.operations.get(operationId)?.definition.responses ?? {}) as Schema;
    return String(status) in responses || "default" in responses;
  }

  /** A named component schema of one spec (e.g. `webhook`, `CallbackRequest`), as responses see it. */
  componentValidator(spec: string, name: string): ValidateFunction {
    const key = `component ${spec} ${name}`;
    return this.compile(key, "response", spec, {
      $ref: `#/components/schemas/${name}`,
    }) as ValidateFunction;
  }
}

let shared: SpecValidators | undefined;

/** The process-wide validators over the committed specs. */
export function specValidators(): SpecValidators {
  shared ??= new SpecValidators();
  return shared;
}

/** Compiles the request validators of the send operations, which nearly every bot calls. */
export function warmSendValidators(): void {
  const validators = specValidators();
  for (const operationId of ["replyMessage", "pushMessage"])
    validators.requestValidator(operationId);
}
