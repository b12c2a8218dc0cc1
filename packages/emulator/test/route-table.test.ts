import { describe, expect, it } from "vitest";
import type { Route } from "../src/api/route.ts";
import { parseLineSpec } from "../src/api/spec/line-specs.ts";
import { buildRouteTable, fastifyPath } from "../src/api/spec/route-table.ts";

const spec = parseLineSpec(
  "shop",
  `
openapi: 3.0.0
servers:
  - url: "https://api.line.me"
security:
  - Bearer: []
paths:
  "/v2/bot/thing/{thingId}":
    get:
      operationId: getThing
      responses: { "200": { description: OK } }
    post:
      operationId: setThingImage
      servers:
        - url: "https://api-data.line.me"
      requestBody:
        content:
          "image/png": {}
      responses: { "200": { description: OK } }
  "/v2/bot/other":
    put:
      operationId: putOther
      security:
        - basicAuth: []
      requestBody:
        content:
          application/x-www-form-urlencoded: {}
      responses: { "200": { description: OK } }
`,
);

const route = (operationId: string, method: Route["method"], pattern: string): Route => ({
  operationId,
  method,
  pattern,
  handle: () => ({ body: {} }),
});

describe("the route table", () => {
  it("reads method, path, host (an operation's servers over the document's) and security", () => {
    expect(
      spec.operations.map((o) => [o.operationId, o.method, o.path, o.host, o.security]),
    ).toEqual([
      ["getThing", "GET", "/v2/bot/thing/{thingId}", "api.line.me", [{ Bearer: [] }]],
      ["setThingImage", "POST", "/v2/bot/thing/{thingId}", "api-data.line.me", [{ Bearer: [] }]],
      ["putOther", "PUT", "/v2/bot/other", "api.line.me", [{ basicAuth: [] }]],
    ]);
  });

  it("binds handlers by operationId and takes body kind and auth from the spec", () => {
    const table = buildRouteTable({
      operations: spec.operations,
      routes: [
        route("getThing", "GET", "/v2/bot/thing/{thingId}"),
        route("setThingImage", "POST", "/v2/bot/thing/{thingId}"),
        route("putOther", "PUT", "/v2/bot/other"),
      ],
      oauthOperations: new Set(),
    });
    expect(table.problems).toEqual([]);
    const routes = table.entries.map((entry) => (entry.serve === "api" ? entry.route : undefined));
    expect(routes.map((r) => [r?.operationId, r?.bodyKind, r?.auth])).toEqual([
      ["getThing", "json", "bearer"],
      ["setThingImage", "bytes", "bearer"],
      ["putOther", "form", "basic"],
    ]);
  });

  it("reports a handler on the wrong path, one for no operation, and an operation without one", () => {
    const table = buildRouteTable({
      operations: spec.operations,
      routes: [
        route("getThing", "GET", "/v2/bot/things/{thingId}"),
        route("putOther", "PUT", "/v2/bot/other"),
        route("deleteThing", "DELETE", "/v2/bot/thing/{thingId}"),
      ],
      oauthOperations: new Set(),
    });
    expect(table.problems).toEqual([
      "deleteThing is handled but is no operation of the specs",
      "getThing: handler says GET /v2/bot/things/{thingId}, the spec GET /v2/bot/thing/{thingId}",
      "setThingImage has no handler",
    ]);
    const unhandled = table.entries.find((e) => e.operation.operationId === "setThingImage");
    expect(unhandled?.behaviour).toBe("not-implemented");
  });

  it("writes spec paths in Fastify's syntax", () => {
    expect(fastifyPath("/v2/bot/user/{userId}/richmenu/{richMenuId}")).toBe(
      "/v2/bot/user/:userId/richmenu/:richMenuId",
    );
  });
});
