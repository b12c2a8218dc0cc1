import { ConfigError } from "@linefleet/config";
import { describe, expect, it } from "vitest";
import { loadChannels, parseChannelsFile, webhookPathsOf } from "../src/index.ts";

const BOT = `U${"a".repeat(32)}`;

function problemsOf(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return [...(error as ConfigError).problems];
  }
  throw new Error("expected a ConfigError");
}

describe("CHANNELS_FILE", () => {
  it("reads every token mode", () => {
    const channels = parseChannelsFile(
      JSON.stringify([
        { name: "shop", channelSecret: "s1", channelAccessToken: "t1", botUserId: BOT },
        { name: "support", channelSecret: "s2", channelId: "1234567890", token: "stateless" },
        { name: "news", channelSecret: "s3", channelId: 1234567891, token: "short-lived" },
        {
          name: "ops",
          channelSecret: "s4",
          channelId: "1234567892",
          kid: "key-1",
          privateKeyFile: "/keys/ops.pem",
        },
      ]),
    );
    expect(channels).toEqual([
      {
        name: "shop",
        channelSecret: "s1",
        token: { kind: "static", channelAccessToken: "t1" },
        botUserId: BOT,
      },
      {
        name: "support",
        channelSecret: "s2",
        token: { kind: "stateless", channelId: "1234567890" },
      },
      {
        name: "news",
        channelSecret: "s3",
        token: { kind: "short-lived", channelId: "1234567891" },
      },
      {
        name: "ops",
        channelSecret: "s4",
        token: {
          kind: "v2.1",
          channelId: "1234567892",
          kid: "key-1",
          privateKeyFile: "/keys/ops.pem",
        },
      },
    ]);
  });

  it("names the channel and the field of every problem", () => {
    const problems = problemsOf(() =>
      parseChannelsFile(
        JSON.stringify([
          { name: "shop", channelAccessToken: "t1" },
          { name: "nothing", channelSecret: 42 },
          { name: "support", channelSecret: "s2", token: "stateless" },
          { name: "bad name!", channelSecret: "s3", channelAccessToken: "t3" },
          { name: "ops", channelSecret: "s4", channelId: "1", kid: "key-1" },
          { name: "shop", channelSecret: "s5", channelAccessToken: "t5", botUserId: "nope" },
          {
            name: "twice",
            channelSecret: "s6",
            channelAccessToken: "t6",
            token: "stateless",
            channelId: "2",
          },
          { name: "typo", channelSecret: "s7", channelAcessToken: "t7" },
        ]),
      ),
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/channel 0 "shop": "channelSecret" is required/),
        // Every problem of one entry, the field types and the cross-field rules alike.
        expect.stringMatching(/channel 1 "nothing": "channelSecret" Invalid input/),
        expect.stringMatching(/channel 1 "nothing": "channelAccessToken" is required, unless/),
        expect.stringMatching(/channel 2 "support": "channelId" is required/),
        expect.stringMatching(/channel 3 "bad name!": "name" must be/),
        expect.stringMatching(/channel 4 "ops": "privateKeyFile" is required/),
        expect.stringMatching(/channel 5 "shop": "botUserId" must be a bot user id/),
        expect.stringMatching(/channel 6 "twice": "channelAccessToken" give one of/),
        expect.stringMatching(/channel 7 "typo": unknown field\(s\) channelAcessToken/),
      ]),
    );
    for (const problem of problems) expect(problem).toMatch(/^CHANNELS_FILE: channel \d/);
    // The secret of a valid field never appears in a problem.
    expect(problems.join("\n")).not.toContain("s5");
  });

  it("refuses duplicate names, a non-array and bad JSON", () => {
    expect(
      problemsOf(() =>
        parseChannelsFile(
          JSON.stringify([
            { name: "a", channelSecret: "s", channelAccessToken: "t" },
            { name: "a", channelSecret: "s", channelAccessToken: "t" },
          ]),
        ),
      ),
    ).toEqual([`CHANNELS_FILE: channel 1 "a": "name" is used by an earlier channel`]);
    expect(problemsOf(() => parseChannelsFile('{"name":"a"}'))[0]).toMatch(/top-level array/);
    expect(problemsOf(() => parseChannelsFile("[{"))[0]).toMatch(/is not JSON/);
  });

  it("says where a file is not JSON without quoting any of it (it holds secrets)", () => {
    const text = '[\n  {"name": "a", "channelAccessToken": tokEN42xyz}\n]';
    const [problem, ...rest] = problemsOf(() => parseChannelsFile(text, "channels.json"));
    // Column 40 is the "o": a "t" may still begin `true`.
    expect(rest).toEqual([]);
    expect(problem).toBe(
      "CHANNELS_FILE is invalid: channels.json is not JSON: a syntax error at line 2, column 40",
    );
  });
});

describe("loadChannels", () => {
  const needs = { secret: true, token: true };

  it("maps the single-channel variables to the channel named default, served at /webhook", () => {
    const [channel, ...rest] = loadChannels(
      { LINE_CHANNEL_SECRET: "secret", LINE_CHANNEL_ACCESS_TOKEN: "token" },
      { needs },
    );
    expect(rest).toEqual([]);
    expect(channel).toEqual({
      name: "default",
      channelSecret: "secret",
      token: { kind: "static", channelAccessToken: "token" },
    });
    expect(webhookPathsOf(channel as { name: string })).toEqual(["/webhook", "/webhook/default"]);
    expect(webhookPathsOf({ name: "shop" })).toEqual(["/webhook/shop"]);
  });

  it("names each missing variable, and only those the process needs", () => {
    expect(problemsOf(() => loadChannels({}, { needs }))).toEqual([
      expect.stringMatching(/^LINE_CHANNEL_SECRET is required/),
      expect.stringMatching(/^LINE_CHANNEL_ACCESS_TOKEN is required/),
    ]);
    expect(
      loadChannels({ LINE_CHANNEL_SECRET: "s" }, { needs: { secret: true, token: false } }),
    ).toHaveLength(1);
  });

  it("prefers CHANNELS_FILE, and says when it cannot be read", () => {
    const files: Record<string, string> = {
      "/etc/channels.json": JSON.stringify([
        { name: "a", channelSecret: "s", channelAccessToken: "t" },
      ]),
    };
    const readFile = (path: string) => {
      const text = files[path];
      if (text === undefined) throw new Error("ENOENT");
      return text;
    };
    const source = { CHANNELS_FILE: "/etc/channels.json", LINE_CHANNEL_SECRET: "ignored" };
    expect(loadChannels(source, { needs, readFile }).map((c) => c.name)).toEqual(["a"]);
    expect(
      problemsOf(() => loadChannels({ CHANNELS_FILE: "/missing.json" }, { needs, readFile })),
    ).toEqual([expect.stringMatching(/^CHANNELS_FILE is invalid: cannot read \/missing.json/)]);
  });
});
