import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { lineRouteTable } from "../src/api/line-routes.ts";
import { notImplemented } from "../src/api/spec/not-implemented.ts";
import { LINE_SPEC_NAMES } from "../src/index.ts";
import { startEmulatorWithReceiver } from "./support/fixture.ts";

interface Operation {
  spec: string;
  method: string;
  path: string;
  operationId: string;
}

/** Every operation of the committed YAML files, read here on its own, not through the loader. */
function operationsInYaml(): Operation[] {
  const operations: Operation[] = [];
  for (const spec of LINE_SPEC_NAMES) {
    const url = new URL(`../specs/${spec}.yml`, import.meta.url);
    const document = parse(readFileSync(url, "utf8")) as {
      paths: Record<string, Record<string, { operationId?: string }>>;
    };
    for (const [path, item] of Object.entries(document.paths)) {
      for (const method of ["get", "post", "put", "delete", "patch"]) {
        const operation = item[method];
        if (operation?.operationId) {
          operations.push({
            spec,
            method: method.toUpperCase(),
            path,
            operationId: operation.operationId,
          });
        }
      }
    }
  }
  return operations;
}

const operations = operationsInYaml();
// The webhook spec describes the call the emulator makes to the bot, not one it answers.
const served = operations.filter((operation) => operation.spec !== "webhook");

let running: Awaited<ReturnType<typeof startEmulatorWithReceiver>>;
beforeAll(async () => {
  running = await startEmulatorWithReceiver();
});
afterAll(() => running.close());

/** A concrete path for a template: any value routes, so each placeholder gets a plausible one. */
const concrete = (path: string) =>
  path.replace(/\{(\w+)\}/g, (_, name: string) =>
    name === "userId" ? `U${"0".repeat(32)}` : `${name}-1`,
  );

describe("coverage of LINE's specifications", () => {
  it("reads every spec: 111 operations in all, the webhook's one among them", () => {
    const perSpec = Object.fromEntries(
      LINE_SPEC_NAMES.map((spec) => [spec, operations.filter((o) => o.spec === spec).length]),
    );
    expect(perSpec).toEqual({
      "messaging-api": 73,
      "channel-access-token": 8,
      insight: 7,
      "manage-audience": 12,
      liff: 4,
      module: 4,
      "module-attach": 1,
      shop: 1,
      webhook: 1,
    });
    expect(operations.filter((o) => o.spec === "webhook").map((o) => o.operationId)).toEqual([
      "callback",
    ]);
  });

  it("binds every operation to a handler, each hand-written route to the operation it names", () => {
    const table = lineRouteTable({} as never);
    expect(table.problems).toEqual([]);
    expect(table.entries.map((entry) => entry.operation.operationId).sort()).toEqual(
      operations.map((operation) => operation.operationId).sort(),
    );
    const notImplementedIds = table.entries
      .filter((entry) => entry.behaviour === "not-implemented")
      .map((entry) => entry.operation.operationId);
    expect(notImplementedIds.sort()).toEqual(Object.keys(notImplemented).sort());
  });

  it("states the coverage per spec in docs/emulator-control-api.md as the route table has it", () => {
    const doc = readFileSync(
      new URL("../../../docs/emulator-control-api.md", import.meta.url),
      "utf8",
    );
    const table = lineRouteTable({} as never);
    for (const spec of LINE_SPEC_NAMES) {
      const entries = table.entries.filter((entry) => entry.operation.spec === spec);
      const count = (behaviour: string) => entries.filter((e) => e.behaviour === behaviour).length;
      const row =
        spec === "webhook"
          ? `| webhook | ${entries.length} | — | — | — |`
          : `| ${spec} | ${entries.length} | ${count("stateful")} | ${count("computed")} | ${count("not-implemented")} |`;
      expect(doc, spec).toContain(row);
    }
  });

  it("states the same coverage in the README", () => {
    const readme = readFileSync(new URL("../../../README.md", import.meta.url), "utf8").replace(
      /\s+/g,
      " ",
    );
    const table = lineRouteTable({} as never);
    for (const spec of LINE_SPEC_NAMES.filter((name) => name !== "webhook")) {
      const entries = table.entries.filter((entry) => entry.operation.spec === spec);
      const answered = entries.filter((e) => e.behaviour !== "not-implemented").length;
      expect(readme, spec).toContain(`${spec} ${answered} of ${entries.length}`);
    }
  });

  it.each(served)("routes $method $path to $operationId ($spec)", async (operation) => {
    const { emulator } = running;
    const response = await fetch(`${emulator.url}${concrete(operation.path)}`, {
      method: operation.method,
      headers: { authorization: `Bearer ${emulator.channelAccessToken}` },
    });
    await response.arrayBuffer();
    expect(response.headers.get("x-linefleet-operation")).toBe(operation.operationId);
    expect(response.headers.get("x-line-request-id")).toBeTruthy();
    if (operation.operationId in notImplemented) {
      expect(response.status).toBe(501);
    } else {
      expect(response.status).not.toBe(501);
    }
  });

  it("names the operation in the API-call log", async () => {
    const { emulator } = running;
    const response = await fetch(`${emulator.url}/v2/bot/richmenu/list`, {
      headers: { authorization: `Bearer ${emulator.channelAccessToken}` },
    });
    expect(response.status).toBe(200);
    const logged = emulator
      .apiCalls()
      .find((call) => call.requestId === response.headers.get("x-line-request-id"));
    expect(logged).toMatchObject({ path: "/v2/bot/richmenu/list", operation: "getRichMenuList" });
  });

  it("answers a path outside LINE's API, or a method it does not have, 404 without an operation", async () => {
    const { emulator } = running;
    for (const [method, path] of [
      ["GET", "/v2/bot/nothing/here"],
      ["POST", "/v3/bot/message/push"],
      ["DELETE", "/v2/bot/message/push"],
      ["GET", "/liff/v1/apps/a/b"],
    ] as const) {
      const response = await fetch(`${emulator.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${emulator.channelAccessToken}` },
      });
      expect(response.status, `${method} ${path}`).toBe(404);
      expect(await response.json()).toEqual({ message: "Not found" });
      expect(response.headers.get("x-linefleet-operation")).toBeNull();
    }
  });
});
