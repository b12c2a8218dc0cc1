import { writeFile } from "node:fs/promises";
import { gzipSync } from "node:zlib";
import { pack } from "tar-stream";

/**
 * Writes an npm-style package tarball (`package/package.json` and `package/index.js`) with
 * tar-stream, an implementation of the format independent of the one under test.
 */
export async function writeFakeTarball(
  file: string,
  manifest: Record<string, unknown>,
  root = "package",
): Promise<void> {
  const archive = pack();
  archive.entry({ name: `${root}/index.js` }, "export {};\n");
  archive.entry({ name: `${root}/package.json` }, JSON.stringify(manifest));
  archive.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of archive) chunks.push(chunk as Buffer);
  await writeFile(file, gzipSync(Buffer.concat(chunks)));
}
