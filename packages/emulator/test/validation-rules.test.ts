import { describe, expect, it } from "vitest";
import { placeholders } from "../src/validation/rules/message-rules.ts";
import { documentedRuleFindings } from "../src/validation/rules/request-rules.ts";

/** LINE's documented rules alone, on bodies the schema accepts. */
const push = (...messages: unknown[]) =>
  documentedRuleFindings("pushMessage", { to: "U", messages });
const picker = (fields: Record<string, unknown>) =>
  push({
    type: "template",
    altText: "t",
    template: {
      type: "buttons",
      text: "When?",
      actions: [{ type: "datetimepicker", label: "Pick", data: "d", ...fields }],
    },
  });
const at = (property: string) => `messages[0].template.actions[0].${property}`;

describe("datetime picker", () => {
  it.each([
    ["date", "2017-06-18"],
    ["time", "00:00"],
    ["time", "23:59"],
    ["datetime", "2017-06-18T06:15"],
    ["datetime", "2017-06-18t06:15"],
    ["date", "2100-12-31"],
  ])("accepts %s %s", (mode, initial) => {
    expect(picker({ mode, initial })).toEqual([]);
  });

  it.each([
    ["date", "2017-02-30"],
    ["date", "1899-12-31"],
    ["date", "2101-01-01"],
    ["time", "24:00"],
    ["time", "6:15"],
    ["datetime", "2017-06-18 06:15"],
    ["date", "2017-06-18T06:15"],
  ])("refuses %s %s", (mode, initial) => {
    expect(picker({ mode, initial })).toEqual([
      { message: "invalid property", property: at("initial") },
    ]);
  });

  it("needs data and a mode", () => {
    expect(picker({ data: undefined, mode: undefined })).toEqual([
      { message: "must be specified", property: at("data") },
      { message: "must be specified", property: at("mode") },
    ]);
  });
});

/** A rich menu with every key LINE requires, and these areas. */
const richMenu = (areas: unknown[]) => ({
  size: { width: 2500, height: 843 },
  selected: false,
  name: "Menu",
  chatBarText: "Open",
  areas,
});

describe("where an action may sit", () => {
  const switchAction = { type: "richmenuswitch", richMenuAliasId: "a", data: "d" };

  it("takes a rich menu switch in a rich menu and refuses it in a template", () => {
    const area = { bounds: { x: 0, y: 0, width: 1, height: 1 }, action: switchAction };
    expect(documentedRuleFindings("createRichMenu", richMenu([area]))).toEqual([]);
    expect(
      push({
        type: "template",
        altText: "t",
        template: { type: "buttons", text: "x", actions: [{ ...switchAction, label: "Go" }] },
      }),
    ).toEqual([{ message: "invalid property", property: at("type") }]);
  });

  it("refuses a rich menu URI action with an unusable scheme, as LINE's example shows", () => {
    const area = { bounds: {}, action: { type: "uri", uri: "javascript:alert(1)" } };
    expect(documentedRuleFindings("createRichMenu", richMenu([area]))).toEqual([
      { message: "invalid uri", property: "areas[0].action.uri" },
    ]);
  });

  it("allows a 12-character label in an image carousel and not a 13-character one", () => {
    const imageCarousel = (label: string) =>
      push({
        type: "template",
        altText: "t",
        template: {
          type: "image_carousel",
          columns: [
            { imageUrl: "https://e.com/i.png", action: { type: "message", label, text: "x" } },
          ],
        },
      });
    expect(imageCarousel("x".repeat(12))).toEqual([]);
    expect(imageCarousel("x".repeat(13))).toEqual([
      {
        message: "Length must be between 0 and 12",
        property: "messages[0].template.columns[0].action.label",
      },
    ]);
  });
});

describe("rich menus", () => {
  it("requires the five keys of a rich menu object", () => {
    expect(documentedRuleFindings("validateRichMenuObject", { selected: true, areas: [] })).toEqual(
      [
        { message: "must be specified", property: "size" },
        { message: "must be specified", property: "name" },
        { message: "must be specified", property: "chatBarText" },
      ],
    );
  });
});

describe("templates, imagemaps and flex", () => {
  it("asks every carousel column to match the first in image and title", () => {
    const column = (extra: Record<string, unknown>) => ({
      text: "x",
      actions: [{ type: "message", label: "a", text: "a" }],
      ...extra,
    });
    expect(
      push({
        type: "template",
        altText: "t",
        template: { type: "carousel", columns: [column({ title: "One" }), column({})] },
      }),
    ).toEqual([{ message: "invalid property", property: "messages[0].template.columns[1].title" }]);
  });

  it("sets an imagemap's base width to 1040", () => {
    expect(
      push({
        type: "imagemap",
        baseUrl: "https://e.com/m",
        altText: "m",
        baseSize: { width: 700, height: 700 },
        actions: [],
      }),
    ).toEqual([
      { message: "Must be between 1040 and 1040", property: "messages[0].baseSize.width" },
    ]);
  });

  it("allows ten animated images in a message, not eleven", () => {
    const bubbleOf = (count: number) => ({
      type: "flex",
      altText: "f",
      contents: {
        type: "bubble",
        body: {
          type: "box",
          layout: "vertical",
          contents: Array(count).fill({
            type: "image",
            url: "https://e.com/a.png",
            animated: true,
          }),
        },
      },
    });
    expect(push(bubbleOf(10))).toEqual([]);
    expect(push(bubbleOf(11))).toEqual([
      { message: "invalid property", property: "messages[0].contents" },
    ]);
  });

  it("refuses an aspect ratio taller than three times its width", () => {
    const image = (aspectRatio: string) => ({
      type: "flex",
      altText: "f",
      contents: {
        type: "bubble",
        hero: { type: "image", url: "https://e.com/a.png", aspectRatio },
      },
    });
    expect(push(image("1:3"))).toEqual([]);
    expect(push(image("1:4"))).toEqual([
      { message: "invalid property", property: "messages[0].contents.hero.aspectRatio" },
    ]);
  });
});

describe("loading animation", () => {
  it("asks for a multiple of five and a user id, in LINE's words", () => {
    expect(
      documentedRuleFindings("showLoadingAnimation", { chatId: "C0123", loadingSeconds: 7 }),
    ).toEqual([
      { message: "must be a multiple of five", property: "loadingSeconds" },
      {
        message:
          "Only user id is acceptable, please confirm if there are any group/room ids or illegal ids.",
        property: "chatId",
      },
    ]);
  });
});

describe("text messages", () => {
  it("finds a text (v2)'s placeholders, {{ and }} being literal braces", () => {
    expect(placeholders("Hi {user}, {{not}} a {smile}")).toEqual(["user", "smile"]);
    expect(placeholders("{open")).toBeUndefined();
    expect(placeholders("close}")).toBeUndefined();
  });

  it("asks every placeholder of a text (v2) to be substituted", () => {
    const emoji = { type: "emoji", productId: "p", emojiId: "001" };
    expect(push({ type: "textV2", text: "{a} {b}", substitution: { a: emoji, b: emoji } })).toEqual(
      [],
    );
    expect(push({ type: "textV2", text: "{a} {b}", substitution: { a: emoji } })).toEqual([
      { message: "invalid property", property: "messages[0].text" },
    ]);
  });

  it("asks each LINE emoji's index to point at a $", () => {
    const emojis = [
      { index: 0, productId: "p", emojiId: "001" },
      { index: 3, productId: "p", emojiId: "002" },
    ];
    expect(push({ type: "text", text: "$ a$", emojis })).toEqual([]);
    expect(push({ type: "text", text: "$ ab", emojis })).toEqual([
      { message: "invalid property", property: "messages[0].emojis[1].index" },
    ]);
  });
});
