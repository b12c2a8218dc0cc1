import { generateKeyPairSync, randomUUID, sign } from "node:crypto";
import { HTTPFetchError } from "@line/bot-sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { notImplemented } from "../src/api/spec/not-implemented.ts";
import { lineSpecOperations, validateResponse } from "../src/index.ts";
import { startEmulatorWithReceiver } from "./support/fixture.ts";
import { png } from "./support/png.ts";
import { allSdkClients, operationsOf } from "./support/sdk-all-clients.ts";

/**
 * LINE's own SDK, every client and every operation, against the emulator: each call must get the
 * answer LINE's spec describes for it (or, for an operation the emulator does not play, 501 in
 * LINE's error shape). The calls run in order, so later ones use what earlier ones made.
 */

const botChannelId = "1600000001";
const moduleChannel = {
  name: "module",
  channelId: "1600000002",
  channelSecret: "module-channel-secret",
  channelAccessToken: "module-channel-token",
};
const kid = "sweep-key";
const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });

/** A v2.1 client assertion (RS256 JWT) for the bot channel. */
function clientAssertion(): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const now = Math.floor(Date.now() / 1000);
  const input = `${part({ alg: "RS256", typ: "JWT", kid })}.${part({
    iss: botChannelId,
    sub: botChannelId,
    aud: "https://api.line.me/",
    exp: now + 600,
    token_exp: 3600,
  })}`;
  return `${input}.${sign("RSA-SHA256", Buffer.from(input), privateKey).toString("base64url")}`;
}

/** Today in LINE's statistics format: yyyyMMdd in Japan's time zone (UTC+9). */
const jstDay = (ms = Date.now()) =>
  new Date(ms + 9 * 3_600_000).toISOString().slice(0, 10).replaceAll("-", "");

interface Answer {
  status: number;
  headers: Headers;
  /** Parsed JSON; undefined for an empty or binary answer. */
  body: unknown;
}

/** What the calls share: the emulated world, and ids that earlier answers handed out. */
interface Context {
  alice: string;
  bob: string;
  groupId: string;
  roomId: string;
  botUserId: string;
  videoMessageId: string;
  replyToken: string;
  markAsReadToken: string;
  membershipId: number;
  webhookUrl: string;
  botSecret: string;
  kept: Record<string, string>;
}

interface Step {
  client: string;
  /** The SDK's method, named after the spec's operationId. */
  operation: string;
  /** The operation, for the SDK's conveniences that call another one under their own name. */
  operationId?: string;
  /** A documented error the emulator answers as LINE would, given the world it has. */
  expectStatus?: number;
  args: (c: Context) => unknown[];
  /** Takes what later steps need from the answer. */
  keep?: (c: Context, answer: Answer) => void;
}

const text = (value: string) => [{ type: "text", text: value }];
const richMenu = (name: string) => ({
  size: { width: 800, height: 270 },
  selected: false,
  name,
  chatBarText: "Menu",
  areas: [
    {
      bounds: { x: 0, y: 0, width: 800, height: 270 },
      action: { type: "postback", data: `menu=${name}` },
    },
  ],
});
const menuImage = () => new Blob([new Uint8Array(png(800, 270))], { type: "image/png" });
const userIdFile = (...ids: string[]) => new Blob([ids.join("\n")], { type: "text/plain" });
const requestIdOf = (answer: Answer) => answer.headers.get("x-line-request-id") ?? "";
const field = (answer: Answer, name: string) =>
  String((answer.body as Record<string, unknown>)[name]);

const steps: Step[] = [
  // Bot, users and chats.
  { client: "messaging", operation: "getBotInfo", args: () => [] },
  { client: "messaging", operation: "getProfile", args: (c) => [c.alice] },
  { client: "messaging", operation: "getFollowers", args: () => [undefined, 10] },
  { client: "messaging", operation: "getGroupSummary", args: (c) => [c.groupId] },
  { client: "messaging", operation: "getGroupMemberCount", args: (c) => [c.groupId] },
  { client: "messaging", operation: "getGroupMembersIds", args: (c) => [c.groupId] },
  { client: "messaging", operation: "getGroupMemberProfile", args: (c) => [c.groupId, c.bob] },
  { client: "messaging", operation: "getRoomMemberCount", args: (c) => [c.roomId] },
  { client: "messaging", operation: "getRoomMembersIds", args: (c) => [c.roomId] },
  { client: "messaging", operation: "getRoomMemberProfile", args: (c) => [c.roomId, c.bob] },
  // The webhook endpoint.
  {
    client: "messaging",
    operation: "setWebhookEndpoint",
    args: (c) => [{ endpoint: c.webhookUrl }],
  },
  { client: "messaging", operation: "getWebhookEndpoint", args: () => [] },
  { client: "messaging", operation: "testWebhookEndpoint", args: () => [{}] },
  // Sending, and what the sends are counted as.
  {
    client: "messaging",
    operation: "replyMessage",
    args: (c) => [{ replyToken: c.replyToken, messages: text("reply") }],
  },
  {
    client: "messaging",
    operation: "pushMessage",
    args: (c) => [
      { to: c.alice, messages: text("push"), customAggregationUnits: ["sweep_unit"] },
      randomUUID(),
    ],
  },
  {
    client: "messaging",
    operation: "multicast",
    args: (c) => [{ to: [c.alice, c.bob], messages: text("multicast") }, randomUUID()],
  },
  {
    client: "messaging",
    operation: "broadcast",
    args: () => [
      {
        messages: [
          {
            type: "template",
            altText: "Sale",
            template: {
              type: "buttons",
              text: "Sale",
              actions: [{ type: "uri", label: "Shop", uri: "https://example.com/sale" }],
            },
          },
        ],
      },
      randomUUID(),
    ],
    keep: (c, answer) => {
      c.kept.broadcastRequestId = requestIdOf(answer);
    },
  },
  {
    client: "messaging",
    operation: "narrowcast",
    args: () => [{ messages: text("narrowcast") }, randomUUID()],
    keep: (c, answer) => {
      c.kept.narrowcastRequestId = requestIdOf(answer);
    },
  },
  {
    client: "messaging",
    operation: "getNarrowcastProgress",
    args: (c) => [c.kept.narrowcastRequestId],
  },
  {
    client: "messaging",
    operation: "validateReply",
    args: () => [{ messages: text("v") }],
  },
  { client: "messaging", operation: "validatePush", args: () => [{ messages: text("v") }] },
  { client: "messaging", operation: "validateMulticast", args: () => [{ messages: text("v") }] },
  { client: "messaging", operation: "validateNarrowcast", args: () => [{ messages: text("v") }] },
  { client: "messaging", operation: "validateBroadcast", args: () => [{ messages: text("v") }] },
  { client: "messaging", operation: "getMessageQuota", args: () => [] },
  { client: "messaging", operation: "getMessageQuotaConsumption", args: () => [] },
  { client: "messaging", operation: "getNumberOfSentReplyMessages", args: () => [jstDay()] },
  { client: "messaging", operation: "getNumberOfSentPushMessages", args: () => [jstDay()] },
  { client: "messaging", operation: "getNumberOfSentMulticastMessages", args: () => [jstDay()] },
  { client: "messaging", operation: "getNumberOfSentBroadcastMessages", args: () => [jstDay()] },
  { client: "messaging", operation: "getAggregationUnitUsage", args: () => [] },
  { client: "messaging", operation: "getAggregationUnitNameList", args: () => [] },
  {
    client: "messaging",
    operation: "showLoadingAnimation",
    args: (c) => [{ chatId: c.alice, loadingSeconds: 5 }],
  },
  {
    client: "messaging",
    operation: "markMessagesAsRead",
    args: (c) => [{ chat: { userId: c.alice } }],
  },
  {
    client: "messaging",
    operation: "markMessagesAsReadByToken",
    args: (c) => [{ markAsReadToken: c.markAsReadToken }],
  },
  { client: "messaging", operation: "issueLinkToken", args: (c) => [c.alice] },
  {
    client: "messaging",
    operation: "pushMessagesByPhone",
    args: () => [{ to: "a".repeat(64), messages: text("notification") }, "sweep-delivery-tag"],
  },
  { client: "messaging", operation: "getPNPMessageStatistics", args: () => [jstDay()] },
  // A user's content on the data host.
  { client: "messagingBlob", operation: "getMessageContent", args: (c) => [c.videoMessageId] },
  {
    client: "messagingBlob",
    operation: "getMessageContentPreview",
    args: (c) => [c.videoMessageId],
  },
  {
    client: "messagingBlob",
    operation: "getMessageContentTranscodingByMessageId",
    args: (c) => [c.videoMessageId],
  },
  // Rich menus.
  { client: "messaging", operation: "validateRichMenuObject", args: () => [richMenu("main")] },
  {
    client: "messaging",
    operation: "createRichMenu",
    args: () => [richMenu("main")],
    keep: (c, answer) => {
      c.kept.richMenuId = field(answer, "richMenuId");
    },
  },
  {
    client: "messaging",
    operation: "createRichMenu",
    args: () => [richMenu("other")],
    keep: (c, answer) => {
      c.kept.otherRichMenuId = field(answer, "richMenuId");
    },
  },
  {
    client: "messagingBlob",
    operation: "setRichMenuImage",
    args: (c) => [c.kept.richMenuId, menuImage()],
  },
  {
    client: "messagingBlob",
    operation: "setRichMenuImage",
    args: (c) => [c.kept.otherRichMenuId, menuImage()],
  },
  { client: "messagingBlob", operation: "getRichMenuImage", args: (c) => [c.kept.richMenuId] },
  { client: "messaging", operation: "getRichMenu", args: (c) => [c.kept.richMenuId] },
  { client: "messaging", operation: "getRichMenuList", args: () => [] },
  { client: "messaging", operation: "setDefaultRichMenu", args: (c) => [c.kept.richMenuId] },
  { client: "messaging", operation: "getDefaultRichMenuId", args: () => [] },
  { client: "messaging", operation: "cancelDefaultRichMenu", args: () => [] },
  {
    client: "messaging",
    operation: "linkRichMenuIdToUser",
    args: (c) => [c.alice, c.kept.richMenuId],
  },
  { client: "messaging", operation: "getRichMenuIdOfUser", args: (c) => [c.alice] },
  { client: "messaging", operation: "unlinkRichMenuIdFromUser", args: (c) => [c.alice] },
  {
    client: "messaging",
    operation: "linkRichMenuIdToUsers",
    args: (c) => [{ richMenuId: c.kept.richMenuId, userIds: [c.alice, c.bob] }],
  },
  {
    client: "messaging",
    operation: "unlinkRichMenuIdFromUsers",
    args: (c) => [{ userIds: [c.alice, c.bob] }],
  },
  {
    client: "messaging",
    operation: "createRichMenuAlias",
    args: (c) => [{ richMenuAliasId: "sweep-alias", richMenuId: c.kept.richMenuId }],
  },
  { client: "messaging", operation: "getRichMenuAlias", args: () => ["sweep-alias"] },
  { client: "messaging", operation: "getRichMenuAliasList", args: () => [] },
  {
    client: "messaging",
    operation: "updateRichMenuAlias",
    args: (c) => ["sweep-alias", { richMenuId: c.kept.otherRichMenuId }],
  },
  {
    client: "messaging",
    operation: "validateRichMenuBatchRequest",
    args: (c) => [
      { operations: [{ type: "link", from: c.kept.richMenuId, to: c.kept.otherRichMenuId }] },
    ],
  },
  {
    client: "messaging",
    operation: "richMenuBatch",
    args: (c) => [
      { operations: [{ type: "link", from: c.kept.richMenuId, to: c.kept.otherRichMenuId }] },
    ],
    keep: (c, answer) => {
      c.kept.batchRequestId = requestIdOf(answer);
    },
  },
  {
    client: "messaging",
    operation: "getRichMenuBatchProgress",
    args: (c) => [c.kept.batchRequestId],
  },
  {
    client: "insight",
    operation: "getRichMenuInsightSummary",
    args: (c) => [c.kept.richMenuId, jstDay(Date.now() - 86_400_000), jstDay()],
  },
  {
    client: "insight",
    operation: "getRichMenuInsightDaily",
    args: (c) => [c.kept.richMenuId, jstDay(Date.now() - 86_400_000), jstDay()],
  },
  { client: "messaging", operation: "deleteRichMenuAlias", args: () => ["sweep-alias"] },
  { client: "messaging", operation: "deleteRichMenu", args: (c) => [c.kept.otherRichMenuId] },
  // Coupons.
  {
    client: "messaging",
    operation: "createCoupon",
    args: () => [
      {
        title: "10% off",
        acquisitionCondition: { type: "normal" },
        startTimestamp: Math.floor(Date.now() / 1000),
        endTimestamp: Math.floor(Date.now() / 1000) + 86_400,
        maxUseCountPerTicket: 1,
        visibility: "UNLISTED",
        timezone: "ASIA_TOKYO",
        reward: { type: "free" },
      },
    ],
    keep: (c, answer) => {
      c.kept.couponId = field(answer, "couponId");
    },
  },
  { client: "messaging", operation: "getCouponDetail", args: (c) => [c.kept.couponId] },
  { client: "messaging", operation: "listCoupon", args: () => [] },
  { client: "messaging", operation: "closeCoupon", args: (c) => [c.kept.couponId] },
  // Memberships: Alice joined the plan set up before the sweep.
  { client: "messaging", operation: "getMembershipList", args: () => [] },
  { client: "messaging", operation: "getMembershipSubscription", args: (c) => [c.alice] },
  {
    client: "messaging",
    operation: "getJoinedMembershipUsers",
    args: (c) => [c.membershipId],
  },
  // Statistics.
  { client: "insight", operation: "getFriendsDemographics", args: () => [] },
  { client: "insight", operation: "getNumberOfFollowers", args: () => [jstDay()] },
  { client: "insight", operation: "getNumberOfMessageDeliveries", args: () => [jstDay()] },
  {
    client: "insight",
    operation: "getMessageEvent",
    args: (c) => [c.kept.broadcastRequestId],
  },
  {
    client: "insight",
    operation: "getStatisticsPerUnit",
    args: () => ["sweep_unit", jstDay(), jstDay()],
  },
  // Audiences.
  {
    client: "audience",
    operation: "createAudienceGroup",
    args: (c) => [{ description: "sweep", audiences: [{ id: c.alice }] }],
    keep: (c, answer) => {
      c.kept.audienceGroupId = field(answer, "audienceGroupId");
    },
  },
  {
    client: "audience",
    operation: "addAudienceToAudienceGroup",
    args: (c) => [{ audienceGroupId: Number(c.kept.audienceGroupId), audiences: [{ id: c.bob }] }],
  },
  {
    client: "audienceBlob",
    operation: "createAudienceForUploadingUserIds",
    args: (c) => [userIdFile(c.alice), "sweep file"],
    keep: (c, answer) => {
      c.kept.fileAudienceGroupId = field(answer, "audienceGroupId");
    },
  },
  {
    client: "audienceBlob",
    operation: "addUserIdsToAudience",
    args: (c) => [userIdFile(c.bob), Number(c.kept.fileAudienceGroupId)],
  },
  {
    client: "audience",
    operation: "createClickBasedAudienceGroup",
    args: (c) => [
      {
        description: "clicked",
        requestId: c.kept.broadcastRequestId,
        clickUrl: "https://example.com/sale",
      },
    ],
  },
  {
    client: "audience",
    operation: "createImpBasedAudienceGroup",
    args: (c) => [{ description: "seen", requestId: c.kept.broadcastRequestId }],
  },
  {
    client: "audience",
    operation: "updateAudienceGroupDescription",
    args: (c) => [Number(c.kept.audienceGroupId), { description: "renamed" }],
  },
  {
    client: "audience",
    operation: "getAudienceData",
    args: (c) => [Number(c.kept.audienceGroupId)],
  },
  { client: "audience", operation: "getAudienceGroups", args: () => [1] },
  // Shared audiences come from LINE's Business Manager: an emulated channel has none.
  {
    client: "audience",
    operation: "getSharedAudienceData",
    args: (c) => [Number(c.kept.audienceGroupId)],
    expectStatus: 400,
  },
  { client: "audience", operation: "getSharedAudienceGroups", args: () => [1] },
  {
    client: "audience",
    operation: "deleteAudienceGroup",
    args: (c) => [Number(c.kept.fileAudienceGroupId)],
  },
  // LIFF apps.
  {
    client: "liff",
    operation: "addLIFFApp",
    args: () => [{ view: { type: "full", url: "https://example.com/liff" } }],
    keep: (c, answer) => {
      c.kept.liffId = field(answer, "liffId");
    },
  },
  { client: "liff", operation: "getAllLIFFApps", args: () => [] },
  {
    client: "liff",
    operation: "updateLIFFApp",
    args: (c) => [c.kept.liffId, { description: "renamed" }],
  },
  { client: "liff", operation: "deleteLIFFApp", args: (c) => [c.kept.liffId] },
  // Shop.
  {
    client: "shop",
    operation: "missionStickerV3",
    args: (c) => [
      { to: c.alice, productId: "1", productType: "STICKER", sendPresentMessage: false },
    ],
  },
  // A module channel attached to the bot, taking and giving back the chat.
  {
    client: "moduleAttach",
    operation: "attachModule",
    args: () => [
      "authorization_code",
      "default",
      "https://example.com/callback",
      undefined,
      moduleChannel.channelId,
      moduleChannel.channelSecret,
    ],
  },
  { client: "module", operation: "getModules", args: () => [] },
  { client: "module", operation: "acquireChatControl", args: (c) => [c.alice, { ttl: 60 }] },
  { client: "module", operation: "releaseChatControl", args: (c) => [c.alice] },
  { client: "module", operation: "detachModule", args: (c) => [{ botId: c.botUserId }] },
  // Channel access tokens.
  {
    client: "channelAccessToken",
    operation: "issueChannelToken",
    args: (c) => ["client_credentials", botChannelId, c.botSecret],
    keep: (c, answer) => {
      c.kept.shortLivedToken = field(answer, "access_token");
    },
  },
  {
    client: "channelAccessToken",
    operation: "verifyChannelToken",
    args: (c) => [c.kept.shortLivedToken],
  },
  {
    client: "channelAccessToken",
    operation: "revokeChannelToken",
    args: (c) => [c.kept.shortLivedToken],
  },
  {
    client: "channelAccessToken",
    operation: "issueChannelTokenByJWT",
    args: () => [
      "client_credentials",
      "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
      clientAssertion(),
    ],
    keep: (c, answer) => {
      c.kept.jwtToken = field(answer, "access_token");
    },
  },
  {
    client: "channelAccessToken",
    operation: "getsAllValidChannelAccessTokenKeyIds",
    args: () => ["urn:ietf:params:oauth:client-assertion-type:jwt-bearer", clientAssertion()],
  },
  {
    client: "channelAccessToken",
    operation: "verifyChannelTokenByJWT",
    args: (c) => [c.kept.jwtToken],
  },
  {
    client: "channelAccessToken",
    operation: "revokeChannelTokenByJWT",
    args: (c) => [botChannelId, c.botSecret, c.kept.jwtToken],
  },
  {
    client: "channelAccessToken",
    operation: "issueStatelessChannelToken",
    args: (c) => ["client_credentials", undefined, undefined, botChannelId, c.botSecret],
  },
  {
    client: "channelAccessToken",
    operation: "issueStatelessChannelTokenByClientSecret",
    operationId: "issueStatelessChannelToken",
    args: (c) => [botChannelId, c.botSecret],
  },
  {
    client: "channelAccessToken",
    operation: "issueStatelessChannelTokenByJWTAssertion",
    operationId: "issueStatelessChannelToken",
    args: () => [clientAssertion()],
  },
  // Last, as they end what the calls above use.
  {
    client: "audience",
    operation: "deleteAudienceGroup",
    args: (c) => [Number(c.kept.audienceGroupId)],
  },
  { client: "messaging", operation: "deleteRichMenu", args: (c) => [c.kept.richMenuId] },
  { client: "messaging", operation: "leaveGroup", args: (c) => [c.groupId] },
  { client: "messaging", operation: "leaveRoom", args: (c) => [c.roomId] },
];

/** The SDK's answer as status, headers and JSON, whether it succeeded or threw. */
async function call(client: object, operation: string, args: unknown[]): Promise<Answer> {
  const method = (client as Record<string, (...a: unknown[]) => Promise<unknown>>)[
    `${operation}WithHttpInfo`
  ];
  if (!method) throw new Error(`the client has no ${operation}WithHttpInfo`);
  try {
    const { httpResponse, body } = (await method.apply(client, args)) as {
      httpResponse: Response;
      body: unknown;
    };
    const json = httpResponse.headers.get("content-type")?.includes("application/json");
    return {
      status: httpResponse.status,
      headers: httpResponse.headers,
      body: json ? body : undefined,
    };
  } catch (error) {
    if (!(error instanceof HTTPFetchError)) throw error;
    let body: unknown;
    try {
      body = error.body ? JSON.parse(error.body) : undefined;
    } catch {
      body = error.body;
    }
    return { status: error.status, headers: error.headers, body };
  }
}

describe("@line/bot-sdk against the emulator: every client, every operation", () => {
  let running: Awaited<ReturnType<typeof startEmulatorWithReceiver>>;
  let clients: Record<string, object>;
  let context: Context;

  beforeAll(async () => {
    running = await startEmulatorWithReceiver({
      channelId: botChannelId,
      assertionKeys: {
        [kid]: publicKey.export({ type: "spki", format: "pem" }).toString(),
      },
      users: [{ displayName: "Alice" }, { displayName: "Bob" }],
      channels: [moduleChannel],
    });
    const { emulator, receiver } = running;
    const [alice, bob] = emulator.state().users.map((u) => u.userId) as [string, string];
    const groupId = emulator.addGroup({ groupName: "Team", memberIds: [alice, bob] }).groupId;
    const roomId = emulator.addRoom({ memberIds: [alice, bob] }).roomId;
    const { membershipId } = emulator.addMembershipPlan({
      title: "Gold",
      benefits: ["Free coffee"],
      price: 500,
    });
    emulator.sendEvent({ type: "membership", from: alice, membershipId });
    const video = emulator.sendEvent({ type: "video", from: alice });
    const textEvent = emulator.sendEvent({ type: "text", from: alice, text: "hi" });
    await emulator.deliveryDone(textEvent.deliveryId);
    const delivered = receiver
      .events()
      .find((e) => e.webhookEventId === textEvent.webhookEventId) as {
      message: { markAsReadToken: string };
    };
    context = {
      alice,
      bob,
      groupId,
      roomId,
      botUserId: emulator.bot.userId,
      videoMessageId: video.messageId ?? "",
      replyToken: video.replyToken ?? "",
      markAsReadToken: delivered.message.markAsReadToken,
      membershipId,
      webhookUrl: receiver.url,
      botSecret: emulator.channelSecret,
      kept: {},
    };
    clients = allSdkClients(emulator.url, {
      bot: emulator.channelAccessToken,
      module: moduleChannel.channelAccessToken,
    });
  });

  afterAll(async () => {
    await running?.close();
  });

  it("has a step for each operation of each client, and each client is in the sweep", () => {
    const swept = new Set(steps.map((s) => `${s.client}.${s.operation}`));
    const missing = Object.entries(clients).flatMap(([name, client]) =>
      operationsOf(client)
        .map((operation) => `${name}.${operation}`)
        .filter((key) => !swept.has(key)),
    );
    expect(missing).toEqual([]);
    const unknown = [...swept].filter((key) => {
      const [name = "", operation = ""] = key.split(".");
      return !operationsOf(clients[name] ?? {}).includes(operation);
    });
    expect(unknown).toEqual([]);
    // Together the clients call every operation of LINE's specs (the webhook spec's is LINE's own).
    const called = new Set(steps.map((s) => s.operationId ?? s.operation));
    const uncalled = lineSpecOperations()
      .filter((operation) => operation.spec !== "webhook")
      .map((operation) => operation.operationId)
      .filter((operationId) => !called.has(operationId));
    expect(uncalled).toEqual([]);
  });

  it("gets the answer LINE's spec describes for every call", async () => {
    const problems: string[] = [];
    for (const step of steps) {
      const client = clients[step.client];
      if (!client) throw new Error(`no client ${step.client}`);
      const answer = await call(client, step.operation, step.args(context));
      const operationId = step.operationId ?? step.operation;
      const where = `${step.client}.${step.operation} → ${answer.status}`;
      const named = answer.headers.get("x-linefleet-operation");
      if (named !== operationId) problems.push(`${where}: x-linefleet-operation is ${named}`);
      if (operationId in notImplemented) {
        const body = answer.body as { message?: unknown } | undefined;
        if (answer.status !== 501 || typeof body?.message !== "string")
          problems.push(
            `${where}: expected 501 with LINE's error shape, got ${JSON.stringify(body)}`,
          );
        continue;
      }
      const expected = step.expectStatus ?? "2xx";
      const ok = step.expectStatus
        ? answer.status === step.expectStatus
        : answer.status >= 200 && answer.status <= 299;
      if (!ok) {
        problems.push(`${where}, expected ${expected}: ${JSON.stringify(answer.body)}`);
        continue;
      }
      for (const problem of validateResponse(operationId, answer.status, answer.body))
        problems.push(`${where}: ${problem}`);
      step.keep?.(context, answer);
    }
    expect(problems).toEqual([]);
  });
});
