/**
 * Writes a fixed file, or a report, without ever leaving half of one. Usually atomically: the new
 * content goes to a temporary file in the same directory, with the original's mode and owner (a new
 * file: the usual mode less the umask, and yours), and is renamed over it;
 * a reader sees the old file or the new one, and when anything fails the original is untouched and
 * the temporary file removed. A symlink is followed (the file it points to is replaced, the link
 * stays). A file with hard links is rewritten in place instead, since a rename would give this name a
 * new file and leave the other names on the old one: the new content is first written in full to a
 * temporary file (so a full disk fails before the original is touched), then over the original, and
 * if that write fails the original content is written back.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';

export async function writeFileAtomic(path_: string, content: string): Promise<void> {
  const file = await fs.realpath(path_).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return undefined;
    throw e;
  });
  if (file === undefined) return writeNewFile(path.resolve(path_), content);
  const st = await fs.stat(file);
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(tmp, 'wx', st.mode & 0o7777);
    await handle.writeFile(content, 'utf8');
    await handle.sync();
    await handle.close();
    handle = undefined;
    if (st.nlink > 1) {
      await rewriteInPlace(file, content);
      await fs.rm(tmp, { force: true });
      return;
    }
    await fs.chmod(tmp, st.mode & 0o7777);
    try {
      await fs.chown(tmp, st.uid, st.gid);
    } catch {
      // Not permitted (not root): the new file belongs to whoever runs the fix.
    }
    await fs.rename(tmp, file);
  } catch (e) {
    await handle?.close().catch(() => undefined);
    await fs.rm(tmp, { force: true }).catch(() => undefined);
    throw e;
  }
}

/** A file that does not exist yet (a report the CLI writes): made whole under a temporary name, then renamed. */
async function writeNewFile(file: string, content: string): Promise<void> {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    // The usual mode of a new file, less the umask.
    await fs.writeFile(tmp, content, { encoding: 'utf8', flag: 'wx', mode: 0o666 });
    const handle = await fs.open(tmp, 'r');
    await handle.sync().finally(() => handle.close());
    await fs.rename(tmp, file);
  } catch (e) {
    await fs.rm(tmp, { force: true }).catch(() => undefined);
    throw e;
  }
}

/** Overwrites a file's content in its own inode (its mode, owner and other links stay). */
async function rewriteInPlace(file: string, content: string): Promise<void> {
  const original = await fs.readFile(file);
  const handle = await fs.open(file, 'r+');
  try {
    try {
      const bytes = Buffer.from(content, 'utf8');
      await handle.write(bytes, 0, bytes.length, 0);
      await handle.truncate(bytes.length);
      await handle.sync();
    } catch (e) {
      await handle.write(original, 0, original.length, 0).catch(() => undefined);
      await handle.truncate(original.length).catch(() => undefined);
      throw e;
    }
  } finally {
    await handle.close();
  }
}
