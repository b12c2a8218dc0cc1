import { readFile } from "node:fs/promises";
import { gunzipSync } from "node:zlib";

const BLOCK = 512;

/**
 * The `package.json` inside an npm package tarball (`package/package.json`, as `npm pack` and
 * `pnpm pack` write it). Read by hand, a few lines of the tar format, so that the scaffolder has
 * no dependencies and `npm create linefleet` fetches a single package.
 */
export async function readTarballManifest(file: string): Promise<Record<string, unknown>> {
  const tar = gunzipSync(await readFile(file));
  for (let offset = 0; offset + BLOCK <= tar.length; ) {
    const header = tar.subarray(offset, offset + BLOCK);
    if (header.every((byte) => byte === 0)) break; // the end-of-archive blocks
    const size = Number.parseInt(field(header, 124, 12) || "0", 8);
    const prefix = field(header, 345, 155);
    const name = prefix ? `${prefix}/${field(header, 0, 100)}` : field(header, 0, 100);
    const body = offset + BLOCK;
    // The package's root folder is named `package` by npm and pnpm, anything by other packers.
    if (/^[^/]+\/package\.json$/.test(name)) {
      return JSON.parse(tar.subarray(body, body + size).toString("utf8"));
    }
    offset = body + Math.ceil(size / BLOCK) * BLOCK;
  }
  throw new Error(`${file} is not an npm package: it has no package.json`);
}

/** A NUL-terminated ASCII field of a tar header. */
function field(header: Buffer, start: number, length: number): string {
  const raw = header.subarray(start, start + length).toString("latin1");
  const end = raw.indexOf("\0");
  return (end === -1 ? raw : raw.slice(0, end)).trim();
}
