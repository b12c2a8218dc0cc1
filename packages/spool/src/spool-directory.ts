import { constants, type FileHandle, lstat, mkdir, open } from "node:fs/promises";
import type { ErrorCode } from "@linefleet/errors";

/** The spool directory or a file in it is not safe to use: an operator's error, not a disk's. */
export class SpoolDirectoryError extends Error {
  readonly code = "LF_SPOOL_DIR_UNSAFE" satisfies ErrorCode;
  constructor(message: string) {
    super(message);
    this.name = "SpoolDirectoryError";
  }
}

/**
 * Creates the directory (0700) if missing and refuses one that others could write to: whoever
 * can write it can replace the journal, or plant a symlink the ingress would write through.
 */
export async function assertSafeDirectory(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const info = await lstat(dir);
  if (info.isSymbolicLink()) {
    throw new SpoolDirectoryError(`${dir} is a symbolic link; give the real directory`);
  }
  if (!info.isDirectory()) throw new SpoolDirectoryError(`${dir} is not a directory`);
  if ((info.mode & 0o022) !== 0) {
    const mode = (info.mode & 0o777).toString(8);
    throw new SpoolDirectoryError(
      `${dir} is writable by its group or by others (mode ${mode}); chmod 700 it`,
    );
  }
}

/**
 * Opens a file of the spool directory, never through a symlink (O_NOFOLLOW) and only if it is a
 * plain file with no other name (a hard link would make the journal write someone else's file).
 * Created 0600, and tightened to 0600 if an older run left it readable by others: the records
 * hold message texts, user IDs and reply tokens.
 */
export async function openPrivateFile(path: string, flags: number): Promise<FileHandle> {
  let handle: FileHandle;
  try {
    handle = await open(path, flags | constants.O_NOFOLLOW | constants.O_CREAT, 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ELOOP") {
      throw new SpoolDirectoryError(`${path} is a symbolic link; refusing to follow it`);
    }
    throw error;
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new SpoolDirectoryError(`${path} is not a regular file`);
    if (info.nlink > 1) throw new SpoolDirectoryError(`${path} has other hard links`);
    if ((info.mode & 0o077) !== 0) await handle.chmod(0o600);
    return handle;
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/** Writes all of `bytes` at the handle's position, or throws: a short write is a failure. */
export async function writeFully(handle: FileHandle, bytes: Buffer): Promise<void> {
  const { bytesWritten } = await handle.write(bytes);
  if (bytesWritten !== bytes.length) throw new ShortWriteError(bytesWritten, bytes.length);
}

/** The disk took only part of a write (typically: it is full). */
export class ShortWriteError extends Error {
  readonly code = "LF_SPOOL_SHORT_WRITE" satisfies ErrorCode;
  constructor(written: number, wanted: number) {
    super(`wrote ${written} of ${wanted} bytes (is the disk full?)`);
    this.name = "ShortWriteError";
  }
}
