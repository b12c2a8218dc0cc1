import { z } from "zod";

/** LINE's rule for a rich menu alias id. */
const ALIAS_PATTERN = /^[a-z0-9_-]{1,32}$/;

const label = z.string().min(1).max(20).optional();
const data = z.string().min(1).max(300);

/**
 * The actions a rich menu area takes, as LINE defines them. Each is a loose object: a field LINE
 * adds later passes through to LINE, which checks it (`linefleet richmenu sync` validates every
 * menu with LINE before it changes anything).
 */
const areaAction = z.discriminatedUnion("type", [
  z.looseObject({
    type: z.literal("postback"),
    label,
    data,
    displayText: z.string().min(1).max(300).optional(),
    inputOption: z.enum(["closeRichMenu", "openRichMenu", "openKeyboard", "openVoice"]).optional(),
    fillInText: z.string().max(300).optional(),
  }),
  z.looseObject({ type: z.literal("message"), label, text: z.string().min(1).max(300) }),
  z.looseObject({
    type: z.literal("uri"),
    label,
    uri: z.string().min(1).max(1000),
    altUri: z.looseObject({ desktop: z.string().min(1).max(1000) }).optional(),
  }),
  z.looseObject({
    type: z.literal("datetimepicker"),
    label,
    data,
    mode: z.enum(["date", "time", "datetime"]),
    initial: z.string().optional(),
    max: z.string().optional(),
    min: z.string().optional(),
  }),
  z.looseObject({
    type: z.literal("richmenuswitch"),
    label,
    richMenuAliasId: z.string().regex(ALIAS_PATTERN),
    data,
  }),
]);

const integer = z.number().int();

const area = z.strictObject({
  bounds: z.strictObject({
    x: integer.min(0),
    y: integer.min(0),
    width: integer.min(1),
    height: integer.min(1),
  }),
  action: areaAction,
});

/**
 * One declared rich menu: LINE's rich menu object (`size`, `selected`, `name`, `chatBarText`,
 * `areas`) plus the alias it is known by, its image file and whether it is the default menu.
 */
const richMenuDeclarationSchema = z
  .strictObject({
    /** LINE's alias id: how bots and `richmenuswitch` actions name the menu. */
    alias: z.string().regex(ALIAS_PATTERN, "must match ^[a-z0-9_-]{1,32}$ (LINE's alias rule)"),
    /** Shown only to the account's managers. */
    name: z.string().min(1),
    size: z.strictObject({
      width: integer.min(800).max(2500),
      height: integer.min(250),
    }),
    chatBarText: z.string().min(1).max(14),
    /** Whether the menu opens by itself when the chat is opened. */
    selected: z.boolean().default(false),
    areas: z.array(area).max(20),
    /** A PNG or JPEG of exactly `size`, at most 1 MB: a path relative to the module, or a file URL. */
    image: z.union([z.string().min(1), z.instanceof(URL)]),
    /** The menu every user sees unless a bot linked another to them; on at most one menu. */
    default: z.boolean().default(false),
  })
  .superRefine((menu, context) => {
    const { width, height } = menu.size;
    if (width / height < 1.45) {
      context.addIssue({
        code: "custom",
        path: ["size"],
        message: "width/height must be at least 1.45 (LINE's rule)",
      });
    }
    menu.areas.forEach(({ bounds }, i) => {
      if (bounds.x + bounds.width > width || bounds.y + bounds.height > height) {
        context.addIssue({
          code: "custom",
          path: ["areas", i, "bounds"],
          message: `must lie within the menu (${width}x${height})`,
        });
      }
    });
  });

export const richMenusModuleSchema = z
  .array(richMenuDeclarationSchema)
  .superRefine((menus, context) => {
    const seen = new Set<string>();
    menus.forEach((menu, i) => {
      if (seen.has(menu.alias)) {
        context.addIssue({
          code: "custom",
          path: [i, "alias"],
          message: `${menu.alias} is declared twice`,
        });
      }
      seen.add(menu.alias);
    });
    const defaults = menus.filter((menu) => menu.default).map((menu) => menu.alias);
    if (defaults.length > 1) {
      context.addIssue({
        code: "custom",
        path: [],
        message: `at most one menu may be the default; ${defaults.join(", ")} are`,
      });
    }
    menus.forEach((menu, i) => {
      menu.areas.forEach(({ action }, j) => {
        if (action.type === "richmenuswitch" && !seen.has(action.richMenuAliasId)) {
          context.addIssue({
            code: "custom",
            path: [i, "areas", j, "action", "richMenuAliasId"],
            message: `no declared menu has the alias ${action.richMenuAliasId}`,
          });
        }
      });
    });
  });

/** A rich menu as written in a module (defaults still optional). */
export type RichMenuDeclaration = z.input<typeof richMenuDeclarationSchema>;
/** A rich menu once checked, with its defaults filled in. */
export type CheckedRichMenu = z.output<typeof richMenuDeclarationSchema>;
export type RichMenuArea = CheckedRichMenu["areas"][number];

/**
 * Types a rich-menus module's default export, so an editor checks it as it is written:
 * `export default defineRichMenus([{ alias: "main", … }])`.
 */
export function defineRichMenus(menus: RichMenuDeclaration[]): RichMenuDeclaration[] {
  return menus;
}
