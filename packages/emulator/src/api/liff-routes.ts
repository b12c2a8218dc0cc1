import { randomBytes } from "node:crypto";
import type { EmulatedChannel } from "../core/channels.ts";
import type { LiffApp } from "../core/liff-apps.ts";
import type { Platform } from "../core/platform.ts";
import { type ErrorDetail, invalidBody, LineErrorResponse } from "../errors.ts";
import { objectBody } from "./body.ts";
import type { Route } from "./route.ts";

const MAX_LIFF_APPS = 30;
const viewTypes = new Set(["compact", "tall", "full"]);
const scopes = new Set(["openid", "email", "profile", "chat_message.write"]);
const botPrompts = new Set(["normal", "aggressive", "none"]);

const appsOf = (platform: Platform, channel: EmulatedChannel) => platform.liffApps.of(channel.name);

/** LIFF ids read `{channelId}-{8 letters and digits}`. */
function newLiffId(channel: EmulatedChannel): string {
  const suffix = randomBytes(6).toString("base64url").replace(/[-_]/g, "x").slice(0, 8);
  return `${channel.channelId}-${suffix}`;
}

/**
 * LINE's rules for a LIFF app's settings: an HTTPS endpoint URL without a fragment, a known view
 * size, scopes and bot prompt, and a name without "LINE" in it. `partial` for updates.
 */
function settings(body: unknown, partial: boolean): Partial<LiffApp> {
  const request = objectBody(body);
  const details: ErrorDetail[] = [];
  const view = request.view as Record<string, unknown> | undefined;
  if (view === undefined && !partial)
    details.push({ message: "Must not be null", property: "view" });
  if (view !== undefined) {
    if (typeof view !== "object" || view === null) {
      details.push({ message: "Must be an object", property: "view" });
    } else {
      if ((!partial || view.type !== undefined) && !viewTypes.has(String(view.type))) {
        details.push({ message: "Must be one of compact, tall, full", property: "view.type" });
      }
      if (!partial || view.url !== undefined) {
        const url = typeof view.url === "string" ? URL.parse(view.url) : null;
        if (url?.protocol !== "https:" || url.hash !== "") {
          details.push({
            message: "Must be an HTTPS URL without a fragment",
            property: "view.url",
          });
        }
      }
    }
  }
  if (request.description !== undefined) {
    const name = request.description;
    if (typeof name !== "string" || /line/i.test(name)) {
      details.push({ message: 'Must not include "LINE"', property: "description" });
    }
  }
  if (request.scope !== undefined) {
    if (!Array.isArray(request.scope) || request.scope.some((s) => !scopes.has(String(s)))) {
      details.push({ message: "Contains an unknown scope", property: "scope" });
    }
  }
  if (request.botPrompt !== undefined && !botPrompts.has(String(request.botPrompt))) {
    details.push({ message: "Must be one of normal, aggressive, none", property: "botPrompt" });
  }
  if (request.permanentLinkPattern !== undefined && request.permanentLinkPattern !== "concat") {
    details.push({ message: "Must be concat", property: "permanentLinkPattern" });
  }
  if (details.length > 0) throw invalidBody(details);
  const { view: _view, ...rest } = request;
  return { ...(rest as Partial<LiffApp>), ...(view ? { view: view as LiffApp["view"] } : {}) };
}

function app(platform: Platform, channel: EmulatedChannel, liffId: string | undefined): LiffApp {
  const found = appsOf(platform, channel).get(liffId ?? "");
  if (!found) throw new LineErrorResponse(404, "The LIFF app does not exist");
  return found;
}

export const liffRoutes: Route[] = [
  {
    operationId: "getAllLIFFApps",
    method: "GET",
    pattern: "/liff/v1/apps",
    handle({ platform, channel }) {
      const apps = [...appsOf(platform, channel).values()];
      // LINE answers 404, not an empty list, for a channel without LIFF apps.
      if (apps.length === 0)
        throw new LineErrorResponse(404, "There is no LIFF app on the channel");
      return { body: { apps } };
    },
  },
  {
    operationId: "addLIFFApp",
    method: "POST",
    pattern: "/liff/v1/apps",
    handle({ platform, channel, body }) {
      const apps = appsOf(platform, channel);
      const added = settings(body, false);
      if (apps.size >= MAX_LIFF_APPS) {
        throw new LineErrorResponse(
          400,
          "The number of LIFF apps has reached the upper limit (30)",
        );
      }
      const liffId = newLiffId(channel);
      apps.set(liffId, {
        scope: ["profile", "chat_message.write"],
        botPrompt: "none",
        ...added,
        liffId,
      } as LiffApp);
      return { body: { liffId } };
    },
  },
  {
    operationId: "updateLIFFApp",
    method: "PUT",
    pattern: "/liff/v1/apps/{liffId}",
    handle({ platform, channel, params, body }) {
      const found = app(platform, channel, params.liffId);
      const changes = settings(body, true);
      Object.assign(found, changes, {
        view: { ...found.view, ...changes.view },
        liffId: found.liffId,
      });
      return { body: {} };
    },
  },
  {
    operationId: "deleteLIFFApp",
    method: "DELETE",
    pattern: "/liff/v1/apps/{liffId}",
    handle({ platform, channel, params }) {
      appsOf(platform, channel).delete(app(platform, channel, params.liffId).liffId);
      return { body: {} };
    },
  },
];
