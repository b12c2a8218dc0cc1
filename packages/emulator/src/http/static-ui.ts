import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize, sep } from "node:path";
import type { FastifyInstance } from "fastify";

const contentTypes: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
};

const placeholder = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>LINE emulator</title></head>
<body><h1>LINE emulator</h1>
<p>The chat UI is not installed. The Messaging API is served at this address and the control API under <code>/emulator/</code>.</p>
</body></html>`;

async function readInside(root: string, relative: string): Promise<Buffer | undefined> {
  const path = normalize(join(root, relative));
  // Refuse anything that climbs out of the UI folder (`/ui/../../etc/passwd`).
  if (!path.startsWith(normalize(root + sep))) return undefined;
  try {
    if (!(await stat(path)).isFile()) return undefined;
    return await readFile(path);
  } catch {
    return undefined;
  }
}

/** The chat UI's static files: `/` is `index.html`, `/ui/*` the rest; a placeholder if absent. */
export function registerStaticUi(app: FastifyInstance, uiDir: string) {
  app.get("/", async (_request, reply) => {
    const html = await readInside(uiDir, "index.html");
    return reply.type("text/html; charset=utf-8").send(html ?? placeholder);
  });
  app.get("/ui/*", async (request, reply) => {
    const relative = (request.params as { "*": string })["*"];
    const file = await readInside(uiDir, relative);
    if (!file) return reply.code(404).type("text/plain").send("not found");
    return reply.type(contentTypes[extname(relative)] ?? "application/octet-stream").send(file);
  });
}
