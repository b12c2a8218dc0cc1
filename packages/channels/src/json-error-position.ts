/**
 * Where JSON.parse failed on `text`, as a line and column (1-based), without quoting the text.
 *
 * V8's messages quote a snippet of the text ("Unexpected token 'x', "…" is not valid JSON"), and a
 * channels file holds secrets, so its message may not be shown. Some messages give the position
 * ("in JSON at position 12"); the others do not, so it is found by parsing prefixes: a prefix that
 * ends before the error fails only for running out of input, one that includes it fails before
 * its end. That is monotonic, so a binary search finds it in about log2(length) parses. Hand-
 * written because no JSON parser we depend on reports positions without quoting the input.
 */
export function jsonErrorPosition(text: string): { line: number; column: number } | undefined {
  const offset = errorOffset(text);
  if (offset === undefined) return undefined;
  const before = text.slice(0, offset);
  const line = before.split("\n").length;
  const column = offset - (before.lastIndexOf("\n") + 1) + 1;
  return { line, column };
}

function errorOffset(text: string): number | undefined {
  const failure = failureOf(text);
  if (failure === undefined) return undefined;
  if (failure.at !== undefined) return failure.at;
  if (failure.atEnd) return text.length;
  // The smallest prefix length whose parse fails before its end; the error is its last character.
  let low = 1;
  let high = text.length;
  while (low < high) {
    const middle = Math.floor((low + high) / 2);
    if (failsInside(text.slice(0, middle))) high = middle;
    else low = middle + 1;
  }
  return low - 1;
}

/** How JSON.parse fails on `text`: at a position it names, at the end, or somewhere unnamed. */
function failureOf(text: string): { at?: number; atEnd: boolean } | undefined {
  try {
    JSON.parse(text);
    return undefined;
  } catch (error) {
    const message = error instanceof Error ? error.message : "";
    const at = /at position (\d+)/.exec(message)?.[1];
    if (at !== undefined) return { at: Number(at), atEnd: Number(at) >= text.length };
    return { atEnd: /Unexpected end of JSON input/.test(message) };
  }
}

function failsInside(prefix: string): boolean {
  const failure = failureOf(prefix);
  if (failure === undefined) return false;
  return failure.at !== undefined ? failure.at < prefix.length : !failure.atEnd;
}
