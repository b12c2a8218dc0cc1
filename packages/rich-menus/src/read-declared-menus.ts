import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { isAbsolute, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { imageSize } from "image-size";
import { stringify } from "safe-stable-stringify";
import type { z } from "zod";
import { type CheckedRichMenu, richMenusModuleSchema } from "./declaration.ts";
import { RichMenusInvalidError } from "./errors.ts";
import { MAX_NAME_LENGTH, markedName } from "./menu-name.ts";

/** LINE's limit on a rich menu image. */
const MAX_IMAGE_BYTES = 1024 * 1024;

/** The rich menu object LINE's create and validate operations take. */
interface RichMenuObject {
  size: { width: number; height: number };
  selected: boolean;
  name: string;
  chatBarText: string;
  areas: CheckedRichMenu["areas"];
}

/** A declared menu, checked, with its image read and the hash that tells whether it changed. */
export interface DeclaredMenu {
  alias: string;
  isDefault: boolean;
  object: RichMenuObject;
  image: { bytes: Buffer; contentType: "image/png" | "image/jpeg"; path: string };
  /** 16 hex digits of a SHA-256 over the menu object (keys sorted) and the image's bytes. */
  hash: string;
}

const problemsOf = (error: z.ZodError) =>
  error.issues.map((issue) => {
    const [index, ...rest] = issue.path;
    const where =
      typeof index === "number"
        ? `menus[${index}]${rest.map((key) => (typeof key === "number" ? `[${key}]` : `.${String(key)}`)).join("")}`
        : "the default export";
    return `${where}: ${issue.message}`;
  });

/**
 * Checks a rich-menus module's default export and reads each menu's image (a relative path is
 * taken from `baseDir`, the module's directory). Every problem is reported at once, as a
 * `RichMenusInvalidError` naming `module`.
 */
export async function readDeclaredMenus(
  exported: unknown,
  { baseDir, module }: { baseDir: string; module: string },
): Promise<DeclaredMenu[]> {
  const parsed = richMenusModuleSchema.safeParse(exported);
  if (!parsed.success) throw new RichMenusInvalidError(module, problemsOf(parsed.error));
  const problems: string[] = [];
  const menus: DeclaredMenu[] = [];
  for (const [i, menu] of parsed.data.entries()) {
    const path =
      menu.image instanceof URL
        ? fileURLToPath(menu.image)
        : isAbsolute(menu.image)
          ? menu.image
          : resolve(baseDir, menu.image);
    const image = await readImage(path, menu.size).catch((error: Error) => error);
    if (image instanceof Error) {
      problems.push(`menus[${i}].image: ${image.message}`);
      continue;
    }
    const object: RichMenuObject = {
      size: menu.size,
      selected: menu.selected,
      name: menu.name,
      chatBarText: menu.chatBarText,
      areas: menu.areas,
    };
    const hash = createHash("sha256")
      .update(stringify(object) ?? "")
      .update(image.bytes)
      .digest("hex")
      .slice(0, 16);
    if (markedName(menu.name, menu.alias, hash).length > MAX_NAME_LENGTH) {
      problems.push(
        `menus[${i}].name: too long; with the sync's marker it must fit LINE's ${MAX_NAME_LENGTH} characters`,
      );
    }
    menus.push({
      alias: menu.alias,
      isDefault: menu.default,
      object,
      image: { ...image, path: shortPath(path) },
      hash,
    });
  }
  if (problems.length > 0) throw new RichMenusInvalidError(module, problems);
  return menus;
}

/** A path as the sync prints it: relative to where it runs when under it, else absolute. */
function shortPath(path: string): string {
  const under = relative(process.cwd(), path);
  return under.startsWith("..") || isAbsolute(under) ? path : under;
}

async function readImage(
  path: string,
  size: { width: number; height: number },
): Promise<{ bytes: Buffer; contentType: "image/png" | "image/jpeg" }> {
  const bytes = await readFile(path).catch((error: NodeJS.ErrnoException) => {
    throw new Error(`cannot read ${path} (${error.code ?? error.message})`);
  });
  if (bytes.length > MAX_IMAGE_BYTES) {
    throw new Error(`${path} has ${bytes.length} bytes; LINE takes at most 1 MB`);
  }
  let found: ReturnType<typeof imageSize>;
  try {
    found = imageSize(bytes);
  } catch {
    throw new Error(`${path} is not a PNG or JPEG image`);
  }
  const contentType =
    found.type === "png" ? "image/png" : found.type === "jpg" ? "image/jpeg" : undefined;
  if (!contentType)
    throw new Error(`${path} is ${found.type ?? "unknown"}; LINE takes PNG or JPEG`);
  if (found.width !== size.width || found.height !== size.height) {
    throw new Error(
      `${path} is ${found.width}x${found.height}; the menu's size is ${size.width}x${size.height}`,
    );
  }
  return { bytes, contentType };
}
