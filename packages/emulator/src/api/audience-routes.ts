import type { Audience, AudienceType } from "../core/audiences.ts";
import type { EmulatedChannel } from "../core/channels.ts";
import type { Platform } from "../core/platform.ts";
import { invalidBody, LineErrorResponse } from "../errors.ts";
import { isUserId } from "../ids.ts";
import { objectBody } from "./body.ts";
import type { Route } from "./route.ts";

type RouteContext = Parameters<Route["handle"]>[0];

const MAX_AUDIENCES = 1000;
const MAX_IDS_PER_JSON_UPLOAD = 10_000;
const MAX_IDS_PER_FILE = 1_500_000;

const audiencesOf = (platform: Platform, channel: EmulatedChannel) =>
  platform.audiences.of(channel.name);

function description(value: unknown): string {
  if (typeof value !== "string" || value.length < 1 || value.length > 120) {
    throw invalidBody([{ message: "Length must be between 1 and 120", property: "description" }]);
  }
  return value;
}

/** User ids are checked as LINE's; IFAs (advertising ids) are taken as they come. */
function memberIds(ids: readonly string[], isIfa: boolean, property: string): string[] {
  const bad = ids.findIndex((id) => id.length === 0 || (!isIfa && !isUserId(id)));
  if (bad >= 0)
    throw invalidBody([{ message: "Invalid user ID", property: `${property}[${bad}]` }]);
  return [...ids];
}

function jsonAudiences(value: unknown, isIfa: boolean): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.length > MAX_IDS_PER_JSON_UPLOAD) {
    throw invalidBody([{ message: "Size must be between 0 and 10000", property: "audiences" }]);
  }
  const ids = value.map((entry: { id?: unknown } | null) =>
    typeof entry?.id === "string" ? entry.id : "",
  );
  return memberIds(ids, isIfa, "audiences");
}

function audienceOf(platform: Platform, channel: EmulatedChannel, id: unknown): Audience {
  const audience = audiencesOf(platform, channel).get(Number(id));
  if (!audience) throw new LineErrorResponse(400, "Audience group not found");
  return audience;
}

function uploadable(audience: Audience): Audience {
  if (audience.type !== "UPLOAD") {
    throw new LineErrorResponse(400, "Only audiences for uploading user IDs can be added to");
  }
  return audience;
}

function roomForOneMore(platform: Platform, channel: EmulatedChannel) {
  if (audiencesOf(platform, channel).size >= MAX_AUDIENCES) {
    throw new LineErrorResponse(400, "The number of audiences has reached the upper limit (1000)");
  }
}

/** The audience group object of LINE's responses. */
function view(audience: Audience) {
  return {
    audienceGroupId: audience.audienceGroupId,
    type: audience.type,
    description: audience.description,
    status: "READY",
    audienceCount: audience.members.size,
    created: audience.created,
    ...(audience.requestId ? { requestId: audience.requestId } : {}),
    ...(audience.clickUrl ? { clickUrl: audience.clickUrl } : {}),
    isIfaAudience: audience.isIfaAudience,
    permission: "READ_WRITE",
    createRoute: "MESSAGING_API",
  };
}

function created(audience: Audience) {
  const { status: _status, audienceCount: _count, ...rest } = view(audience);
  return { status: 202, body: rest };
}

/** A multipart upload: its text fields and the user ids of its file, one a line. */
async function multipart(context: RouteContext) {
  let form: FormData;
  try {
    form = await new Response(context.rawBody, {
      headers: { "content-type": context.contentType },
    }).formData();
  } catch {
    throw new LineErrorResponse(400, "The request body could not be parsed as multipart/form-data");
  }
  const file = form.get("file");
  if (!(file instanceof Blob)) {
    throw invalidBody([{ message: "Must not be null", property: "file" }]);
  }
  const lines = (await file.text()).split(/\r?\n/).map((line) => line.trim());
  const ids = lines.filter((line) => line.length > 0);
  if (ids.length > MAX_IDS_PER_FILE) {
    throw invalidBody([{ message: "At most 1,500,000 ids per file", property: "file" }]);
  }
  const text = (name: string) => {
    const value = form.get(name);
    return typeof value === "string" ? value : undefined;
  };
  return { text, ids };
}

/** A click or impression audience is made from a broadcast or narrowcast the channel sent. */
function retargeted(context: RouteContext, type: AudienceType) {
  const { platform, channel } = context;
  const request = objectBody(context.body);
  const name = description(request.description);
  const requestId = request.requestId;
  const send =
    typeof requestId === "string"
      ? platform.traffic.byRequestId(channel.name, requestId)
      : undefined;
  if (!send || (send.kind !== "broadcast" && send.kind !== "narrowcast")) {
    throw invalidBody([
      { message: "Not a broadcast or narrowcast request id", property: "requestId" },
    ]);
  }
  const clickUrl = typeof request.clickUrl === "string" ? request.clickUrl : undefined;
  roomForOneMore(platform, channel);
  // The chat UI shows every delivered message, so each recipient saw it; no click is recorded.
  const members = type === "IMP" ? send.recipients : [];
  const audience = platform.audiences.create(
    channel.name,
    {
      type,
      description: name,
      created: platform.now(),
      isIfaAudience: false,
      requestId: send.requestId,
      ...(clickUrl ? { clickUrl } : {}),
    },
    members,
  );
  return created(audience);
}

function page(query: URLSearchParams, audiences: Audience[]) {
  const pageNumber = Number(query.get("page") ?? "1");
  const size = Number(query.get("size") ?? "20");
  if (!Number.isInteger(pageNumber) || pageNumber < 1) {
    throw new LineErrorResponse(400, "The value for the 'page' parameter is invalid");
  }
  if (!Number.isInteger(size) || size < 1 || size > 40) {
    throw new LineErrorResponse(400, "The value for the 'size' parameter is invalid");
  }
  const wanted = query.get("description")?.toLowerCase();
  const status = query.get("status");
  const route = query.get("createRoute");
  const matching = audiences.filter(
    (audience) =>
      (!wanted || audience.description.toLowerCase().includes(wanted)) &&
      (!status || status === "READY") &&
      (!route || route === "MESSAGING_API"),
  );
  const start = (pageNumber - 1) * size;
  return {
    audienceGroups: matching.slice(start, start + size).map(view),
    hasNextPage: start + size < matching.length,
    totalCount: matching.length,
    readWriteAudienceGroupTotalCount: matching.length,
    page: pageNumber,
    size,
  };
}

export const audienceRoutes: Route[] = [
  {
    operationId: "createAudienceGroup",
    method: "POST",
    pattern: "/v2/bot/audienceGroup/upload",
    handle({ platform, channel, body }) {
      const request = objectBody(body);
      const name = description(request.description);
      const isIfa = request.isIfaAudience === true;
      const ids = jsonAudiences(request.audiences, isIfa);
      roomForOneMore(platform, channel);
      const upload =
        typeof request.uploadDescription === "string" ? request.uploadDescription : undefined;
      const audience = platform.audiences.create(
        channel.name,
        { type: "UPLOAD", description: name, created: platform.now(), isIfaAudience: isIfa },
        ids,
        upload,
      );
      return created(audience);
    },
  },
  {
    operationId: "addAudienceToAudienceGroup",
    method: "PUT",
    pattern: "/v2/bot/audienceGroup/upload",
    handle({ platform, channel, body }) {
      const request = objectBody(body);
      const audience = uploadable(audienceOf(platform, channel, request.audienceGroupId));
      const ids = jsonAudiences(request.audiences, audience.isIfaAudience);
      const upload =
        typeof request.uploadDescription === "string" ? request.uploadDescription : undefined;
      platform.audiences.addMembers(audience, ids, platform.now(), upload);
      return { status: 202, body: {} };
    },
  },
  {
    operationId: "createAudienceForUploadingUserIds",
    method: "POST",
    pattern: "/v2/bot/audienceGroup/upload/byFile",
    async handle(context) {
      const { platform, channel } = context;
      const { text, ids } = await multipart(context);
      const name = description(text("description"));
      const isIfa = text("isIfaAudience") === "true";
      roomForOneMore(platform, channel);
      const audience = platform.audiences.create(
        channel.name,
        { type: "UPLOAD", description: name, created: platform.now(), isIfaAudience: isIfa },
        memberIds(ids, isIfa, "file"),
        text("uploadDescription"),
      );
      return created(audience);
    },
  },
  {
    operationId: "addUserIdsToAudience",
    method: "PUT",
    pattern: "/v2/bot/audienceGroup/upload/byFile",
    async handle(context) {
      const { platform, channel } = context;
      const { text, ids } = await multipart(context);
      const audience = uploadable(audienceOf(platform, channel, text("audienceGroupId")));
      platform.audiences.addMembers(
        audience,
        memberIds(ids, audience.isIfaAudience, "file"),
        platform.now(),
        text("uploadDescription"),
      );
      return { status: 202, body: {} };
    },
  },
  {
    operationId: "createClickBasedAudienceGroup",
    method: "POST",
    pattern: "/v2/bot/audienceGroup/click",
    handle: (context) => retargeted(context, "CLICK"),
  },
  {
    operationId: "createImpBasedAudienceGroup",
    method: "POST",
    pattern: "/v2/bot/audienceGroup/imp",
    handle: (context) => retargeted(context, "IMP"),
  },
  {
    operationId: "updateAudienceGroupDescription",
    method: "PUT",
    pattern: "/v2/bot/audienceGroup/{audienceGroupId}/updateDescription",
    handle({ platform, channel, params, body }) {
      const audience = audienceOf(platform, channel, params.audienceGroupId);
      audience.description = description(objectBody(body).description);
      return { body: {} };
    },
  },
  {
    operationId: "getAudienceData",
    method: "GET",
    pattern: "/v2/bot/audienceGroup/{audienceGroupId}",
    handle({ platform, channel, params }) {
      const audience = audienceOf(platform, channel, params.audienceGroupId);
      return { body: { audienceGroup: view(audience), jobs: audience.jobs } };
    },
  },
  {
    operationId: "deleteAudienceGroup",
    method: "DELETE",
    pattern: "/v2/bot/audienceGroup/{audienceGroupId}",
    handle({ platform, channel, params }) {
      const audience = audienceOf(platform, channel, params.audienceGroupId);
      audiencesOf(platform, channel).delete(audience.audienceGroupId);
      return { body: {} };
    },
  },
  {
    operationId: "getAudienceGroups",
    method: "GET",
    pattern: "/v2/bot/audienceGroup/list",
    handle: ({ platform, channel, query }) => ({
      body: page(query, [...audiencesOf(platform, channel).values()]),
    }),
  },
  // Shared audiences come from LINE's Business Manager, which has none for an emulated channel.
  {
    operationId: "getSharedAudienceData",
    method: "GET",
    pattern: "/v2/bot/audienceGroup/shared/{audienceGroupId}",
    handle() {
      throw new LineErrorResponse(400, "Audience group not found");
    },
  },
  {
    operationId: "getSharedAudienceGroups",
    method: "GET",
    pattern: "/v2/bot/audienceGroup/shared/list",
    handle: ({ query }) => ({ body: page(query, []) }),
  },
];
