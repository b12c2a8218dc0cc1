import { watch } from "node:fs";
import { dirname, join, resolve } from "node:path";

/** Edits come in bursts (an editor writes, renames, touches): one restart per burst. */
const quietMs = 300;

/**
 * Calls `onChange` when a file in the bot module's directory (or below it) changes, once per burst
 * of changes, with the path of the last file changed. Returns a function that stops watching.
 */
export function watchBot(botModule: string, onChange: (file: string) => void): () => void {
  const directory = dirname(resolve(botModule));
  let timer: NodeJS.Timeout | undefined;
  const watcher = watch(directory, { recursive: true }, (_event, file) => {
    if (file && /(^|[\\/])node_modules([\\/]|$)/.test(file)) return;
    clearTimeout(timer);
    timer = setTimeout(() => onChange(file ? join(directory, file) : directory), quietMs);
  });
  return () => {
    clearTimeout(timer);
    watcher.close();
  };
}
