import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { channelAccessToken, startEmulatorWithReceiver } from "./support/fixture.ts";

/**
 * Requests LINE refuses, each answered by the real emulator with LINE's status and error shape,
 * and requests LINE accepts, each still accepted. Most go to a validate endpoint, which checks
 * exactly what a send does without sending.
 */

let running: Awaited<ReturnType<typeof startEmulatorWithReceiver>>;
beforeAll(async () => {
  running = await startEmulatorWithReceiver();
});
afterAll(async () => {
  await running.close();
});

async function call(path: string, body: unknown) {
  const response = await fetch(`${running.emulator.url}${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${channelAccessToken}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as unknown };
}

const validate = (...messages: unknown[]) => call("/v2/bot/message/validate/push", { messages });

/** LINE's answer to a body with these problems. */
const refused = (...details: Array<[property: string, message: string]>) => ({
  status: 400,
  body: {
    message: `The request body has ${details.length} error(s)`,
    details: details.map(([property, message]) => ({ message, property })),
  },
});

const action = { type: "message", label: "Yes", text: "yes" };
const box = (contents: unknown[], layout = "vertical") => ({ type: "box", layout, contents });
const bubble = (body: unknown) => ({ type: "bubble", body });
const flex = (contents: unknown) => ({ type: "flex", altText: "flex", contents });
const buttons = (actions: unknown[], extra: Record<string, unknown> = {}) => ({
  type: "template",
  altText: "buttons",
  template: { type: "buttons", text: "Pick one", actions, ...extra },
});
const column = (actions: unknown[], extra: Record<string, unknown> = {}) => ({
  text: "A column",
  actions,
  ...extra,
});
const carousel = (columns: unknown[]) => ({
  type: "template",
  altText: "carousel",
  template: { type: "carousel", columns },
});
const withQuickReply = (items: unknown[]) => ({ type: "text", text: "hi", quickReply: { items } });
const quickReplyButton = (buttonAction: unknown) => ({ type: "action", action: buttonAction });

const messageTypes =
  "[text, textV2, sticker, image, video, audio, location, imagemap, template, flex, coupon]";
const actionTypes =
  "[camera, cameraRoll, clipboard, datetimepicker, location, message, postback, richmenuswitch, uri]";
const componentTypes = "[box, button, image, video, icon, text, span, separator, filler]";

describe("invalid requests are answered 400 as LINE answers them", () => {
  const table: Array<[name: string, messages: unknown[], expected: unknown]> = [
    [
      "a message of an unknown type",
      [{ type: "nope" }],
      refused(["messages[0].type", `Must be one of the following values: ${messageTypes}`]),
    ],
    [
      "a flex message whose container is nonsense",
      [flex({ type: "nonsense" })],
      refused([
        "messages[0].contents.type",
        "Must be one of the following values: [bubble, carousel]",
      ]),
    ],
    [
      "a box without a layout",
      [flex(bubble({ type: "box", contents: [] }))],
      refused(["messages[0].contents.body.layout", "must be specified"]),
    ],
    [
      "a component of an unknown type, deep in a box",
      [flex(bubble(box([{ type: "text", text: "ok" }, { type: "sparkle" }])))],
      refused([
        "messages[0].contents.body.contents[1].type",
        `Must be one of the following values: ${componentTypes}`,
      ]),
    ],
    [
      "a button in a baseline box",
      [flex(bubble(box([{ type: "button", action }], "baseline")))],
      refused([
        "messages[0].contents.body.contents[0].type",
        "Must be one of the following values: [icon, text, filler]",
      ]),
    ],
    [
      "a text component with neither text nor spans",
      [flex(bubble(box([{ type: "text" }])))],
      refused(["messages[0].contents.body.contents[0].text", "must be specified"]),
    ],
    [
      "a video outside a bubble's hero",
      [
        flex({
          type: "bubble",
          size: "micro",
          hero: {
            type: "video",
            url: "https://example.com/v.mp4",
            previewUrl: "https://example.com/v.png",
            altContent: { type: "image", url: "https://example.com/v.png" },
          },
        }),
      ],
      refused(["messages[0].contents.hero.type", "invalid property"]),
    ],
    [
      "a carousel of 13 bubbles",
      [flex({ type: "carousel", contents: Array(13).fill(bubble(box([]))) })],
      refused(["messages[0].contents.contents", "Size must be between 1 and 12"]),
    ],
    [
      "a bubble over 30 KB",
      [flex(bubble(box([{ type: "text", text: "x".repeat(31 * 1024) }])))],
      refused(["messages[0].contents", "JSON size must be at most 30 KB"]),
    ],
    [
      "a template of type nope",
      [{ type: "template", altText: "t", template: { type: "nope" } }],
      refused([
        "messages[0].template.type",
        "Must be one of the following values: [buttons, confirm, carousel, image_carousel]",
      ]),
    ],
    [
      "a buttons template without actions",
      [{ type: "template", altText: "t", template: { type: "buttons", text: "Pick" } }],
      refused(["messages[0].template.actions", "must be specified"]),
    ],
    [
      "a buttons template with an empty list of actions",
      [buttons([])],
      refused(["messages[0].template.actions", "Size must be between 1 and 4"]),
    ],
    [
      "a buttons template with five actions",
      [buttons(Array(5).fill(action))],
      refused(["messages[0].template.actions", "Size must be between 1 and 4"]),
    ],
    [
      "a confirm template with one action",
      [
        {
          type: "template",
          altText: "t",
          template: { type: "confirm", text: "Sure?", actions: [action] },
        },
      ],
      refused(["messages[0].template.actions", "Size must be between 2 and 2"]),
    ],
    [
      "a carousel of eleven columns",
      [carousel(Array(11).fill(column([action])))],
      refused(["messages[0].template.columns", "Size must be between 1 and 10"]),
    ],
    [
      "carousel columns with different numbers of actions",
      [carousel([column([action, action]), column([action])])],
      refused(["messages[0].template.columns[1].actions", "Size must be between 2 and 2"]),
    ],
    [
      "a buttons text over 60 characters next to a title",
      [buttons([action], { title: "Plans", text: "x".repeat(61) })],
      refused(["messages[0].template.text", "Length must be between 0 and 60"]),
    ],
    [
      "an action of an unknown type",
      [buttons([{ type: "teleport", label: "Go" }])],
      refused([
        "messages[0].template.actions[0].type",
        `Must be one of the following values: ${actionTypes}`,
      ]),
    ],
    [
      "a template action without its label",
      [buttons([{ type: "message", text: "yes" }])],
      refused(["messages[0].template.actions[0].label", "must be specified"]),
    ],
    [
      "a template action label over 20 characters",
      [buttons([{ ...action, label: "x".repeat(21) }])],
      refused(["messages[0].template.actions[0].label", "Length must be between 0 and 20"]),
    ],
    [
      "a camera action outside a quick reply",
      [buttons([{ type: "camera", label: "Camera" }])],
      refused(["messages[0].template.actions[0].type", "invalid property"]),
    ],
    [
      "a uri action with a javascript: URI",
      [buttons([{ type: "uri", label: "Open", uri: "javascript:alert(1)" }])],
      refused(["messages[0].template.actions[0].uri", "invalid uri"]),
    ],
    [
      "a flex button whose uri action has an ftp URI",
      [
        flex(
          bubble(
            box([{ type: "button", action: { type: "uri", label: "Get", uri: "ftp://x/y" } }]),
          ),
        ),
      ],
      refused(["messages[0].contents.body.contents[0].action.uri", "invalid uri"]),
    ],
    [
      "postback data over 300 characters",
      [buttons([{ type: "postback", label: "Buy", data: "x".repeat(301) }])],
      refused(["messages[0].template.actions[0].data", "Length must be between 0 and 300"]),
    ],
    [
      "a postback with both displayText and text",
      [buttons([{ type: "postback", label: "Buy", data: "a", displayText: "Buy", text: "Buy" }])],
      refused(["messages[0].template.actions[0].text", "invalid property"]),
    ],
    [
      "a datetime picker of an unknown mode",
      [buttons([{ type: "datetimepicker", label: "When", data: "d", mode: "week" }])],
      refused([
        "messages[0].template.actions[0].mode",
        "Must be one of the following values: [date, time, datetime]",
      ]),
    ],
    [
      "a datetime picker whose initial value does not fit its mode",
      [
        buttons([
          {
            type: "datetimepicker",
            label: "When",
            data: "d",
            mode: "date",
            initial: "2017-06-18T06:15",
          },
        ]),
      ],
      refused(["messages[0].template.actions[0].initial", "invalid property"]),
    ],
    [
      "a datetime picker whose max is before its min",
      [
        buttons([
          {
            type: "datetimepicker",
            label: "At",
            data: "d",
            mode: "time",
            min: "10:00",
            max: "09:00",
          },
        ]),
      ],
      refused(["messages[0].template.actions[0].max", "invalid property"]),
    ],
    [
      "a property LINE does not know, on a message",
      [{ type: "text", text: "hi", colour: "red" }],
      refused(["messages[0].colour", "invalid property"]),
    ],
    [
      "a property LINE does not know, on a flex component",
      [flex(bubble(box([{ type: "text", text: "hi", blink: true }])))],
      refused(["messages[0].contents.body.contents[0].blink", "invalid property"]),
    ],
    [
      "an imagemap without baseSize",
      [{ type: "imagemap", baseUrl: "https://example.com/map", altText: "map", actions: [] }],
      refused(["messages[0].baseSize", "May not be empty"]),
    ],
    [
      "an imagemap link with a javascript: URI and an area left of the image",
      [
        {
          type: "imagemap",
          baseUrl: "https://example.com/map",
          altText: "map",
          baseSize: { width: 1040, height: 1040 },
          actions: [
            { type: "uri", linkUri: "javascript:x", area: { x: -1, y: 0, width: 10, height: 10 } },
          ],
        },
      ],
      refused(
        ["messages[0].actions[0].linkUri", "invalid uri"],
        ["messages[0].actions[0].area.x", "must be greater than or equal to 0"],
      ),
    ],
    [
      "a quick reply of 14 items",
      [withQuickReply(Array(14).fill(quickReplyButton(action)))],
      refused(["messages[0].quickReply.items", "Size must be between 0 and 13"]),
    ],
    [
      "a quick reply button without its action",
      [withQuickReply([{ type: "action" }])],
      refused(["messages[0].quickReply.items[0].action", "must be specified"]),
    ],
    [
      "a text of 5001 characters",
      [{ type: "text", text: "x".repeat(5001) }],
      refused(["messages[0].text", "Length must be between 0 and 5000"]),
    ],
    [
      "a text one UTF-16 unit over the limit (an apple counts two)",
      [{ type: "text", text: `${"🍎".repeat(2500)}a` }],
      refused(["messages[0].text", "Length must be between 0 and 5000"]),
    ],
    [
      "an empty text",
      [{ type: "text", text: "" }],
      refused(["messages[0].text", "May not be empty"]),
    ],
    [
      "an altText over 1500 characters",
      [{ ...buttons([action]), altText: "x".repeat(1501) }],
      refused(["messages[0].altText", "Length must be between 0 and 1500"]),
    ],
    [
      "an image over plain HTTP",
      [
        {
          type: "image",
          originalContentUrl: "http://example.com/a.jpg",
          previewImageUrl: "https://example.com/a.jpg",
        },
      ],
      refused(["messages[0].originalContentUrl", "invalid uri"]),
    ],
    [
      "a text (v2) of 5001 characters",
      [{ type: "textV2", text: "x".repeat(5001) }],
      refused(["messages[0].text", "Length must be between 0 and 5000"]),
    ],
    [
      "a location title over 100 characters",
      [{ type: "location", title: "x".repeat(101), address: "a", latitude: 1, longitude: 2 }],
      refused(["messages[0].title", "Length must be between 0 and 100"]),
    ],
    [
      "a video tracking id over 100 characters",
      [
        {
          type: "video",
          originalContentUrl: "https://example.com/v.mp4",
          previewImageUrl: "https://example.com/v.png",
          trackingId: "x".repeat(101),
        },
      ],
      refused(["messages[0].trackingId", "Length must be between 0 and 100"]),
    ],
    [
      "an audio file over plain HTTP",
      [{ type: "audio", originalContentUrl: "http://example.com/a.m4a", duration: 1000 }],
      refused(["messages[0].originalContentUrl", "invalid uri"]),
    ],
    [
      "a flex altText over 1500 characters",
      [{ ...flex(bubble(box([]))), altText: "x".repeat(1501) }],
      refused(["messages[0].altText", "Length must be between 0 and 1500"]),
    ],
    [
      "an imagemap altText over 1500 characters",
      [
        {
          type: "imagemap",
          baseUrl: "https://example.com/map",
          altText: "x".repeat(1501),
          baseSize: { width: 1040, height: 1040 },
          actions: [],
        },
      ],
      refused(["messages[0].altText", "Length must be between 0 and 1500"]),
    ],
    [
      "a coupon delivery tag over 30 characters",
      [{ type: "coupon", couponId: "c", deliveryTag: "x".repeat(31) }],
      refused(["messages[0].deliveryTag", "Length must be between 0 and 30"]),
    ],
    [
      "a sender name over 20 characters",
      [{ type: "text", text: "hi", sender: { name: "x".repeat(21) } }],
      refused(["messages[0].sender.name", "Length must be between 0 and 20"]),
    ],
    [
      "six messages",
      Array(6).fill({ type: "text", text: "hi" }),
      refused(["messages", "Size must be between 1 and 5"]),
    ],
    ["no messages", [], refused(["messages", "Size must be between 1 and 5"])],
    [
      "two bad messages, both reported",
      [
        { type: "text", text: "" },
        { type: "sticker", packageId: "1" },
      ],
      refused(
        ["messages[1].stickerId", "May not be empty"],
        ["messages[0].text", "May not be empty"],
      ),
    ],
  ];

  it.each(table)("%s", async (_name, messages, expected) => {
    expect(await validate(...messages)).toEqual(expected);
  });

  const requiredFields: Array<[type: string, fields: string[]]> = [
    ["text", ["text"]],
    ["textV2", ["text"]],
    ["sticker", ["packageId", "stickerId"]],
    ["image", ["originalContentUrl", "previewImageUrl"]],
    ["video", ["originalContentUrl", "previewImageUrl"]],
    ["audio", ["originalContentUrl", "duration"]],
    ["location", ["title", "address", "latitude", "longitude"]],
    ["imagemap", ["baseUrl", "altText", "baseSize", "actions"]],
    ["template", ["altText", "template"]],
    ["flex", ["altText", "contents"]],
    ["coupon", ["couponId"]],
  ];

  it.each(requiredFields)("a %s message without %j", async (type, fields) => {
    const answer = await validate({ type });
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({
      message: `The request body has ${fields.length} error(s)`,
      details: expect.arrayContaining(
        fields.map((field) => ({ message: "May not be empty", property: `messages[0].${field}` })),
      ),
    });
    expect((answer.body as { details: unknown[] }).details).toHaveLength(fields.length);
  });

  it("answers a value of the wrong JSON type as LINE does: one message naming it", async () => {
    expect(
      await validate(flex(bubble({ type: "box", layout: "vertical", contents: { type: "text" } }))),
    ).toEqual({
      status: 400,
      body: {
        message:
          "The property, 'messages[0].contents.body.contents', in the request body is invalid (line: -, column: -)",
      },
    });
    expect(await call("/v2/bot/message/validate/push", ["not", "an", "object"])).toEqual({
      status: 400,
      body: { message: "The request body could not be parsed as JSON (line: 1, column: 1)" },
    });
    expect(await validate({ type: "text", text: 42 })).toEqual({
      status: 400,
      body: {
        message:
          "The property, 'messages[0].text', in the request body is invalid (line: -, column: -)",
      },
    });
  });

  it("names a missing reply token in a reply, and delivers nothing while a message is invalid", async () => {
    expect(
      await call("/v2/bot/message/reply", { messages: [{ type: "text", text: "hi" }] }),
    ).toEqual(refused(["replyToken", "May not be empty"]));
    const { emulator } = running;
    const alice = emulator.state().users[0];
    if (!alice) throw new Error("the emulator starts with one user");
    const before = emulator.messages(alice.userId).length;
    const { replyToken } = emulator.sendEvent({ type: "text", text: "hello" });
    expect(
      await call("/v2/bot/message/reply", {
        replyToken,
        messages: [
          { type: "text", text: "fine" },
          { type: "template", altText: "t", template: { type: "nope" } },
        ],
      }),
    ).toMatchObject({ status: 400 });
    expect(
      await call("/v2/bot/message/push", {
        to: alice.userId,
        messages: [{ type: "text", text: "" }],
      }),
    ).toEqual(refused(["messages[0].text", "May not be empty"]));
    // Nothing was sent, and the reply token was not used up by the refused reply.
    expect(emulator.messages(alice.userId).filter((m) => m.from === "bot")).toHaveLength(0);
    expect(
      await call("/v2/bot/message/reply", {
        replyToken,
        messages: [{ type: "text", text: "fine" }],
      }),
    ).toMatchObject({ status: 200 });
    expect(emulator.messages(alice.userId).length).toBeGreaterThan(before);
  });
  it("checks a rich menu's actions by the same rules, in the rich menu's words", async () => {
    const richMenu = {
      size: { width: 2500, height: 843 },
      selected: false,
      name: "Menu",
      chatBarText: "Menu",
      areas: [
        {
          bounds: { x: 0, y: 0, width: 2500, height: 843 },
          action: { type: "uri", uri: "javascript:alert(1)" },
        },
      ],
    };
    expect(await call("/v2/bot/richmenu/validate", richMenu)).toEqual(
      refused(["areas[0].action.uri", "invalid uri"]),
    );
    const { name: _name, ...nameless } = richMenu;
    expect(await call("/v2/bot/richmenu/validate", { ...nameless, areas: [] })).toEqual(
      refused(["name", "must be specified"]),
    );
    // The operation's own rules are answered in the same breath as the spec's.
    expect(
      await call("/v2/bot/richmenu/validate", {
        ...nameless,
        size: { width: 700, height: 400 },
        areas: [],
      }),
    ).toEqual(
      refused(["name", "must be specified"], ["size.width", "Must be between 800 and 2500"]),
    );
  });
});

describe("valid requests are accepted", () => {
  const image = "https://example.com/image.png";
  const valid: Array<[name: string, message: unknown]> = [
    [
      "a text with LINE emoji and a quote token",
      {
        type: "text",
        text: "$ hello $",
        emojis: [
          { index: 0, productId: "5ac1bfd5040ab15980c9b435", emojiId: "001" },
          { index: 8, productId: "5ac1bfd5040ab15980c9b435", emojiId: "002" },
        ],
        quoteToken: "q",
      },
    ],
    ["a text of exactly 5000 UTF-16 units", { type: "text", text: "🍎".repeat(2500) }],
    [
      "a text (v2) with a mention and an emoji",
      {
        type: "textV2",
        text: "Hi {user}! {smile}",
        substitution: {
          user: {
            type: "mention",
            mentionee: { type: "user", userId: "U0123456789abcdef0123456789abcdef" },
          },
          smile: { type: "emoji", productId: "5ac1bfd5040ab15980c9b435", emojiId: "001" },
        },
      },
    ],
    ["a sticker", { type: "sticker", packageId: "446", stickerId: "1988" }],
    ["an image", { type: "image", originalContentUrl: image, previewImageUrl: image }],
    [
      "a video with a tracking id",
      {
        type: "video",
        originalContentUrl: "https://example.com/v.mp4",
        previewImageUrl: image,
        trackingId: "track-1",
      },
    ],
    [
      "an audio",
      { type: "audio", originalContentUrl: "https://example.com/a.m4a", duration: 60000 },
    ],
    [
      "a location",
      { type: "location", title: "Here", address: "Somewhere", latitude: 35.6, longitude: 139.7 },
    ],
    [
      "a coupon",
      { type: "coupon", couponId: "01JYNW8JMQVFBNWF1APF8Z3FS7", deliveryTag: "winter_2025" },
    ],
    [
      "an imagemap with a video and every action type",
      {
        type: "imagemap",
        baseUrl: "https://example.com/map",
        altText: "map",
        baseSize: { width: 1040, height: 1040 },
        video: {
          originalContentUrl: "https://example.com/v.mp4",
          previewImageUrl: image,
          area: { x: 0, y: 0, width: 1040, height: 585 },
          externalLink: { linkUri: "https://example.com", label: "More" },
        },
        actions: [
          {
            type: "uri",
            linkUri: "tel:0312345678",
            area: { x: 0, y: 586, width: 520, height: 454 },
          },
          { type: "message", text: "hi", area: { x: 520, y: 586, width: 520, height: 454 } },
          { type: "clipboard", clipboardText: "copied", area: { x: 0, y: 0, width: 1, height: 1 } },
        ],
      },
    ],
    [
      "a buttons template with a default action and a date picker",
      buttons(
        [
          {
            type: "postback",
            label: "Buy",
            data: "buy=1",
            displayText: "Buy",
            inputOption: "openKeyboard",
            fillInText: "n",
          },
          {
            type: "uri",
            label: "Open",
            uri: "line://nv/profile",
            altUri: { desktop: "https://example.com" },
          },
          {
            type: "datetimepicker",
            label: "When",
            data: "d",
            mode: "datetime",
            initial: "2017-06-18t06:15",
            min: "1900-01-01T00:00",
            max: "2100-12-31T23:59",
          },
          { type: "clipboard", label: "Copy", clipboardText: "code" },
        ],
        {
          thumbnailImageUrl: image,
          imageAspectRatio: "square",
          title: "Menu",
          text: "Pick",
          defaultAction: { type: "uri", label: "View", uri: "https://example.com" },
        },
      ),
    ],
    [
      "a confirm template",
      {
        type: "template",
        altText: "t",
        template: { type: "confirm", text: "Sure?", actions: [action, action] },
      },
    ],
    [
      "a carousel template, a null title read as absent",
      carousel([column([action, action], { title: null }), column([action, action])]),
    ],
    [
      "an image carousel",
      {
        type: "template",
        altText: "t",
        template: {
          type: "image_carousel",
          columns: [
            { imageUrl: image, action: { type: "postback", label: "x".repeat(12), data: "a" } },
          ],
        },
      },
    ],
    [
      "a flex bubble with a hero video, styles, spans, icons and an action",
      flex({
        type: "bubble",
        size: "giga",
        hero: {
          type: "video",
          url: "https://example.com/v.mp4",
          previewUrl: image,
          altContent: { type: "image", url: image, size: "full", aspectRatio: "20:13" },
          aspectRatio: "20:13",
          action: { type: "uri", label: "More", uri: "https://example.com" },
        },
        body: box([
          box(
            [{ type: "icon", url: image }, { type: "text", text: "4.0" }, { type: "filler" }],
            "baseline",
          ),
          {
            type: "text",
            contents: [
              { type: "span", text: "Hello ", weight: "bold" },
              { type: "span", text: "world" },
            ],
          },
          { type: "separator", margin: "md" },
          { type: "image", url: image, animated: true, aspectRatio: "1:3" },
        ]),
        footer: box([
          {
            type: "button",
            style: "primary",
            action: { type: "postback", label: "Go", data: "go" },
          },
        ]),
        styles: { footer: { separator: true } },
        action: { type: "uri", label: "Open", uri: "https://example.com" },
      }),
    ],
    [
      "a flex carousel of 12 bubbles",
      flex({
        type: "carousel",
        contents: Array(12).fill(bubble(box([{ type: "text", text: "hi" }]))),
      }),
    ],
    [
      "a quick reply of 13 items of every kind",
      withQuickReply([
        ...Array(8).fill(quickReplyButton(action)),
        quickReplyButton({ type: "camera", label: "Camera" }),
        quickReplyButton({ type: "cameraRoll", label: "Roll" }),
        quickReplyButton({ type: "location", label: "Where" }),
        {
          type: "action",
          imageUrl: image,
          action: { type: "datetimepicker", label: "Day", data: "d", mode: "date" },
        },
        quickReplyButton({ type: "postback", label: "Yes", data: "yes", displayText: "Yes" }),
      ]),
    ],
    [
      "a message with a sender",
      { type: "text", text: "hi", sender: { name: "Cony", iconUrl: image } },
    ],
  ];

  it.each(valid)("%s", async (_name, message) => {
    expect(await validate(message)).toEqual({ status: 200, body: {} });
  });

  it("accepts five messages at once", async () => {
    expect(await validate(...valid.slice(0, 5).map(([, message]) => message))).toEqual({
      status: 200,
      body: {},
    });
  });
});
