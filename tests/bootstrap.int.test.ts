import { execFile, execFileSync } from "node:child_process";
import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { repoRoot } from "@linefleet/test-support";
import { afterAll, describe, expect, it } from "vitest";

// scripts/bootstrap on a machine whose Node is too old and that has no pnpm, in a copy of the
// repository's root (the script works where it lies). npm is replaced by a stand-in that
// "installs" this machine's Node, and a pnpm that only knows its version, where the real one would
// put them, so nothing is downloaded; everything else the script does is real.
const root = mkdtempSync(join(tmpdir(), "bootstrap-"));
const fakeBin = join(root, "machine-bin");
const pnpmVersion = (
  JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")) as { packageManager: string }
).packageManager.split("@")[1];

function script(name: string, body: string) {
  writeFileSync(join(fakeBin, name), `#!/bin/sh\n${body}\n`);
  chmodSync(join(fakeBin, name), 0o755);
}

mkdirSync(join(root, "scripts"));
copyFileSync(join(repoRoot, "scripts/bootstrap"), join(root, "scripts/bootstrap"));
copyFileSync(join(repoRoot, "package.json"), join(root, "package.json"));
// Dependencies count as installed: the lockfile is older than pnpm's record of the install.
writeFileSync(join(root, "pnpm-lock.yaml"), "");
mkdirSync(join(root, "node_modules"));
writeFileSync(join(root, "node_modules/.modules.yaml"), "");
mkdirSync(fakeBin);
script("node", 'case "$1" in --version) echo v18.0.0 ;; *) exit 1 ;; esac');
script("pnpm", "echo 0.0.0");
script("redis-server", "exit 0");
script(
  "npm",
  `while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) prefix="$2"; shift 2 ;;
    install | -*) shift ;;
    *) package="$1"; shift ;;
  esac
done
case "$package" in
  node@*) mkdir -p "$prefix/node_modules/node/bin" && ln -sf "${process.execPath}" "$prefix/node_modules/node/bin/node" ;;
  pnpm@*) mkdir -p "$prefix/node_modules/.bin" && printf '#!/bin/sh\\necho %s\\n' "\${package#pnpm@}" > "$prefix/node_modules/.bin/pnpm" && chmod +x "$prefix/node_modules/.bin/pnpm" ;;
  *) exit 1 ;;
esac`,
);

afterAll(() => rmSync(root, { recursive: true, force: true }));

function bootstrap(): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      "bash",
      [join(root, "scripts/bootstrap"), "node", "--version"],
      { env: { PATH: `${fakeBin}:/usr/bin:/bin`, HOME: root }, timeout: 30_000 },
      (_error, _stdout, stderr) => resolve({ code: child.exitCode, stderr }),
    );
  });
}

describe("scripts/bootstrap", () => {
  it("says where it put Node and pnpm and how to use them, only when it installed them", async () => {
    const tools = join(root, ".tools/bin");
    const first = await bootstrap();
    expect(first).toMatchObject({ code: 0 });
    expect(first.stderr).toContain(
      `bootstrap: installed Node ${process.version} and pnpm ${pnpmVersion} into ${tools}.`,
    );
    expect(first.stderr).toContain(`  export PATH="${tools}:$PATH"`);
    // With that line, the shell finds them.
    const found = execFileSync("sh", ["-c", "command -v node; command -v pnpm"], {
      env: { PATH: `${tools}:${fakeBin}:/usr/bin:/bin` },
      encoding: "utf8",
    });
    expect(found.split("\n").filter(Boolean)).toEqual([join(tools, "node"), join(tools, "pnpm")]);

    // Run again, with them on the PATH: nothing is installed, so nothing is said about it.
    const second = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = execFile(
        "bash",
        [join(root, "scripts/bootstrap"), "node", "--version"],
        { env: { PATH: `${tools}:${fakeBin}:/usr/bin:/bin`, HOME: root }, timeout: 30_000 },
        (_error, _stdout, stderr) => resolve({ code: child.exitCode, stderr }),
      );
    });
    expect(second).toMatchObject({ code: 0 });
    expect(second.stderr).not.toContain("bootstrap: installed");
    expect(second.stderr).not.toContain("export PATH");
  });
});
