import { spawn } from "node:child_process";

/** Runs `npm install` in `dir`, its output going to this terminal; resolves with its exit code. */
export function npmInstall(dir: string): Promise<number | null> {
  const child = spawn("npm", ["install", "--no-fund", "--no-audit"], {
    cwd: dir,
    stdio: "inherit",
    // npm is a .cmd script on Windows, which only a shell runs.
    shell: process.platform === "win32",
  });
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code) => resolve(code));
  });
}
