// The demo bot's rich menus: `pnpm dev` syncs them to its emulator, being beside the bot
// (`pnpm richmenu sync examples/demo-bot/src/rich-menus.ts` does it by hand; docs/rich-menus.md).
import { defineRichMenus } from "@linefleet/rich-menus";

const size = { width: 1200, height: 405 };
/** The three panels of each image, left to right. */
const panel = (column: number) => ({ x: column * 400, y: 0, width: 400, height: 405 });

export default defineRichMenus([
  {
    alias: "main",
    name: "Demo: main menu",
    size,
    chatBarText: "Menu",
    selected: true,
    default: true,
    image: "../rich-menus/main.png",
    areas: [
      { bounds: panel(0), action: { type: "message", label: "Help", text: "help" } },
      {
        bounds: panel(1),
        action: {
          type: "postback",
          label: "Pro plan",
          data: "plan=pro",
          displayText: "The Pro plan, please",
        },
      },
      {
        bounds: panel(2),
        action: {
          type: "richmenuswitch",
          label: "More",
          richMenuAliasId: "more",
          data: "menu=more",
        },
      },
    ],
  },
  {
    alias: "more",
    name: "Demo: more",
    size,
    chatBarText: "More",
    selected: true,
    image: "../rich-menus/more.png",
    areas: [
      {
        bounds: panel(0),
        action: {
          type: "richmenuswitch",
          label: "Back",
          richMenuAliasId: "main",
          data: "menu=main",
        },
      },
      {
        bounds: panel(1),
        action: { type: "datetimepicker", label: "Start date", data: "action=start", mode: "date" },
      },
      {
        bounds: panel(2),
        action: {
          type: "uri",
          label: "Rich menus",
          uri: "https://developers.line.biz/en/docs/messaging-api/using-rich-menus/",
        },
      },
    ],
  },
]);
