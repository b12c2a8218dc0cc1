import { Redis } from "ioredis";
import { describe, expect, it } from "vitest";
import { admitEventsLua } from "../src/redis-model/admit-events.ts";
import { definedScript } from "../src/transaction-connection.ts";

describe("the ingress's script around BullMQ's add", () => {
  it("wraps BullMQ's text unchanged in a function whose parameters shadow KEYS and ARGV", () => {
    const bullmq = "local jobId = ARGV[1]\nreturn KEYS[1] .. jobId";
    const lua = admitEventsLua(bullmq);
    expect(lua).toContain(`local function bullmqAdd(KEYS, ARGV)\n${bullmq}\nend`);
  });

  it("refuses a text it cannot wrap: varargs do not compile inside a function", () => {
    expect(() => admitEventsLua("local all = { ... }\nreturn all")).toThrow(/`\.\.\.`/);
  });

  it("names the script it cannot find, for a BullMQ other than the one it was made for", () => {
    const connection = new Redis({ lazyConnect: true });
    connection.defineCommand("addStandardJob:5.0.0", { lua: "return 1", numberOfKeys: 0 });
    expect(() => definedScript(connection, "addStandardJob:6.7.0")).toThrow(
      /addStandardJob:6\.7\.0 is not defined.*found: addStandardJob:5\.0\.0/,
    );
    expect(definedScript(connection, "addStandardJob:5.0.0").lua).toBe("return 1");
  });
});
