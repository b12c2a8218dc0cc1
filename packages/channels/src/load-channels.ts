import { readFileSync } from "node:fs";
import { ConfigError } from "@linefleet/config";
import {
  type ChannelConfig,
  channelEntrySchema,
  DEFAULT_CHANNEL,
  toChannel,
  tokenModeProblems,
} from "./channel-schema.ts";
import { jsonErrorPosition } from "./json-error-position.ts";

export interface ChannelSource {
  /** Path of a JSON file holding a top-level array of channels. */
  CHANNELS_FILE?: string | undefined;
  LINE_CHANNEL_SECRET?: string | undefined;
  LINE_CHANNEL_ACCESS_TOKEN?: string | undefined;
}

export interface LoadChannelsOptions {
  /** Which parts the process needs: the ingress needs no token, the worker no secret... */
  needs: { secret: boolean; token: boolean };
  readFile?: (path: string) => string;
}

/**
 * The channels a process serves: those of CHANNELS_FILE when it is set, else one channel named
 * "default" from LINE_CHANNEL_SECRET and LINE_CHANNEL_ACCESS_TOKEN. Throws a ConfigError naming
 * every bad channel and field.
 */
export function loadChannels(source: ChannelSource, options: LoadChannelsOptions): ChannelConfig[] {
  const file = blank(source.CHANNELS_FILE);
  if (file) return parseChannelsFile(readChannelsFile(file, options.readFile), file);
  const secret = blank(source.LINE_CHANNEL_SECRET);
  const token = blank(source.LINE_CHANNEL_ACCESS_TOKEN);
  const problems: string[] = [];
  const missing =
    "is required (or set CHANNELS_FILE): set it to the value from the LINE Developers Console";
  if (options.needs.secret && !secret) problems.push(`LINE_CHANNEL_SECRET ${missing}`);
  if (options.needs.token && !token) problems.push(`LINE_CHANNEL_ACCESS_TOKEN ${missing}`);
  if (problems.length > 0) throw new ConfigError(problems);
  return [
    {
      name: DEFAULT_CHANNEL,
      channelSecret: secret ?? "",
      token: { kind: "static", channelAccessToken: token ?? "" },
    },
  ];
}

function readChannelsFile(path: string, readFile = (p: string) => readFileSync(p, "utf8")) {
  try {
    return readFile(path);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ConfigError([`CHANNELS_FILE is invalid: cannot read ${path} (${reason})`]);
  }
}

/** Validates the text of a channels file; `origin` names it in error messages. */
export function parseChannelsFile(text: string, origin = "CHANNELS_FILE"): ChannelConfig[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // Never JSON.parse's own message: it quotes a piece of the file, which holds secrets.
    const at = jsonErrorPosition(text);
    const where = at ? `: a syntax error at line ${at.line}, column ${at.column}` : "";
    throw new ConfigError([`CHANNELS_FILE is invalid: ${origin} is not JSON${where}`]);
  }
  if (!Array.isArray(json) || json.length === 0) {
    throw new ConfigError([
      `CHANNELS_FILE is invalid: ${origin} must hold a non-empty top-level array of channels`,
    ]);
  }
  const problems: string[] = [];
  const channels: ChannelConfig[] = [];
  const seen = new Set<string>();
  json.forEach((entry: unknown, index) => {
    const label = describe(entry, index);
    const result = channelEntrySchema.safeParse(entry);
    const modeProblems = tokenModeProblems(entry);
    for (const { field, message } of modeProblems) problems.push(`${label}: "${field}" ${message}`);
    if (!result.success) {
      for (const issue of result.error.issues) {
        const field = issue.path.join(".");
        const keys = issue.code === "unrecognized_keys" ? issue.keys.join(", ") : "";
        const message =
          issue.code === "invalid_type" && /received undefined/.test(issue.message)
            ? "is required"
            : issue.message;
        problems.push(
          field
            ? `${label}: "${field}" ${message}`
            : keys
              ? `${label}: unknown field(s) ${keys}`
              : `${label}: ${issue.message}`,
        );
      }
      return;
    }
    if (modeProblems.length > 0) return;
    if (seen.has(result.data.name)) {
      problems.push(`${label}: "name" is used by an earlier channel`);
      return;
    }
    seen.add(result.data.name);
    channels.push(toChannel(result.data));
  });
  if (problems.length > 0) {
    throw new ConfigError(problems.map((problem) => `CHANNELS_FILE: ${problem}`));
  }
  return channels;
}

function describe(entry: unknown, index: number): string {
  const name =
    typeof entry === "object" && entry !== null && "name" in entry && typeof entry.name === "string"
      ? ` "${entry.name}"`
      : "";
  return `channel ${index}${name}`;
}

const blank = (value: string | undefined) =>
  value === undefined || value === "" ? undefined : value;
