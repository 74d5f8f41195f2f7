/**
 * Writes a file atomically: the new content goes to a temporary file in the same directory, with the
 * original's mode, and is renamed over it. A reader sees the old file or the new one, never half of
 * one; when anything fails, the original is untouched and the temporary file removed.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';

export async function writeFileAtomic(path_: string, content: string): Promise<void> {
  // Through a symlink, replace the file it points to (renaming over the link would replace the link).
  const file = await fs.realpath(path_);
  const st = await fs.stat(file);
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(tmp, 'wx', st.mode & 0o7777);
    await handle.writeFile(content, 'utf8');
    await handle.sync();
    await handle.close();
    handle = undefined;
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
