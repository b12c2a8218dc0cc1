/**
 * LINE names a property the way a JavaScript expression reaches it from the request body:
 * `messages[0].contents.body.contents[1].type`. These helpers build that path as the validators
 * walk the body, and from ajv's JSON pointers.
 */
export const child = (path: string, key: string) => (path === "" ? key : `${path}.${key}`);

export const item = (path: string, index: number) => `${path}[${index}]`;

/** The LINE path of a JSON pointer into `data`; an index is written `[n]` only under an array. */
export function pointerToPath(pointer: string, data: unknown): string {
  if (pointer === "") return "";
  let path = "";
  let at: unknown = data;
  for (const raw of pointer.slice(1).split("/")) {
    const key = raw.replaceAll("~1", "/").replaceAll("~0", "~");
    if (Array.isArray(at)) {
      path = item(path, Number(key));
      at = at[Number(key)];
    } else {
      path = child(path, key);
      at = typeof at === "object" && at !== null ? (at as Record<string, unknown>)[key] : undefined;
    }
  }
  return path;
}
