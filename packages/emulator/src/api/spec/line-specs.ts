import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";

/** The OpenAPI files of `line/line-openapi` committed in `packages/emulator/specs/` (see SOURCE). */
export const LINE_SPEC_NAMES = [
  "messaging-api",
  "channel-access-token",
  "insight",
  "manage-audience",
  "liff",
  "module",
  "module-attach",
  "shop",
  "webhook",
] as const;

export type LineSpecName = (typeof LINE_SPEC_NAMES)[number];

const HTTP_METHODS = ["get", "post", "put", "delete", "patch"] as const;
type HttpMethod = "GET" | "POST" | "PUT" | "DELETE" | "PATCH";

/** One operation of a spec: what a route table needs to serve it. */
export interface SpecOperation {
  spec: LineSpecName;
  operationId: string;
  method: HttpMethod;
  /** LINE's path template with `{param}` placeholders, as the spec writes it. */
  path: string;
  /** The host the operation lives on (`api.line.me`, `api-data.line.me`, `manager.line.biz`, ...). */
  host: string;
  /** Security schemes that apply (the operation's own, else the document's); empty for none. */
  security: Array<Record<string, unknown>>;
  /** The raw OpenAPI operation object, for schemas and parameters. */
  definition: Record<string, unknown>;
}

export interface LineSpec {
  name: LineSpecName;
  /** The parsed OpenAPI document, unchanged. */
  document: Record<string, unknown>;
  operations: SpecOperation[];
}

const SPECS_DIR = fileURLToPath(new URL("../../../specs/", import.meta.url));

type OpenApiObject = Record<string, unknown>;

function asObject(value: unknown, where: string): OpenApiObject {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new Error(`LINE spec: ${where} is not an object`);
  }
  return value as OpenApiObject;
}

/** The host of the first `servers` entry; an operation's own `servers` overrides the document's. */
function hostOf(servers: unknown, fallback: string): string {
  if (!Array.isArray(servers) || servers.length === 0) return fallback;
  const url = asObject(servers[0], "servers[0]").url;
  return typeof url === "string" ? new URL(url).host : fallback;
}

/** Parses one spec file's text into its operations; throws naming the spec on a malformed file. */
export function parseLineSpec(name: LineSpecName, text: string): LineSpec {
  const document = asObject(parse(text), name);
  const documentHost = hostOf(document.servers, "api.line.me");
  const operations: SpecOperation[] = [];
  for (const [path, item] of Object.entries(asObject(document.paths ?? {}, `${name} paths`))) {
    const pathItem = asObject(item, `${name} ${path}`);
    const pathHost = hostOf(pathItem.servers, documentHost);
    for (const method of HTTP_METHODS) {
      if (pathItem[method] === undefined) continue;
      const definition = asObject(pathItem[method], `${name} ${method} ${path}`);
      if (typeof definition.operationId !== "string") {
        throw new Error(`LINE spec ${name}: ${method} ${path} has no operationId`);
      }
      operations.push({
        spec: name,
        operationId: definition.operationId,
        method: method.toUpperCase() as HttpMethod,
        path,
        host: hostOf(definition.servers, pathHost),
        security: (definition.security ?? document.security ?? []) as SpecOperation["security"],
        definition,
      });
    }
  }
  return { name, document, operations };
}

let loaded: LineSpec[] | undefined;

/**
 * Reads and parses every committed spec once per process (about 360 kB of YAML; the parse cost is
 * paid at the first emulator start and shared by later ones in the same process).
 */
export function loadLineSpecs(dir: string = SPECS_DIR): LineSpec[] {
  if (dir === SPECS_DIR && loaded) return loaded;
  const specs = LINE_SPEC_NAMES.map((name) =>
    parseLineSpec(name, readFileSync(`${dir}/${name}.yml`, "utf8")),
  );
  if (dir === SPECS_DIR) loaded = specs;
  return specs;
}

/** Every operation of every spec, in file order. */
export function lineSpecOperations(dir?: string): SpecOperation[] {
  return loadLineSpecs(dir).flatMap((spec) => spec.operations);
}
