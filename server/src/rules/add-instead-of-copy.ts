import { defineRule } from '../engine/rule';
import { EditBuilder } from '../engine/edits';

/** Local archives ADD unpacks (it detects them by content; these are the names they go by). */
export const ARCHIVE = /\.(tar|tgz|tbz2?|txz|tzst|gz|bz2|xz|zst|lz|lzma)$/i;
export const REMOTE = /^(https?|git|ssh):\/\/|^git@/i;

export default defineRule({
  id: 'add-instead-of-copy',
  severity: 'warning',
  summary: 'ADD copies local files that are not archives: use COPY.',
  rationale: `ADD does more than copy: it unpacks local tar archives and fetches URLs. Used for plain
files it hides intent, and a file that happens to be an archive gets unpacked. COPY does exactly
what it says. Keep ADD for local archives you mean to unpack (and for remote sources with
\`--checksum\`).`,
  equivalents: { hadolint: ['DL3020'] },
  examples: {
    invalid: [
      `FROM alpine:3.20
ADD app.py requirements.txt /app/
^^^ add-instead-of-copy
`,
    ],
    fixes: [
      {
        before: `FROM alpine:3.20\nADD --chown=app:app app.py requirements.txt /app/\n`,
        after: `FROM alpine:3.20\nCOPY --chown=app:app app.py requirements.txt /app/\n`,
      },
    ],
    valid: [
      `FROM alpine:3.20
COPY app.py /app/
ADD rootfs.tar.gz /
ADD --checksum=sha256:0a4eaa0eecf5f8c050e5bba433f58c052be7587ee8af3e8b3910ef9ab5fbe9f5 https://example.com/tool.tar.gz /tmp/
`,
    ],
  },
  check({ model, report }) {
    for (const s of model.stages) {
      for (const c of s.copies) {
        if (c.keyword !== 'ADD' || c.from) continue;
        // Only files: text written inline (`ADD <<EOF`) can be neither unpacked nor downloaded.
        if (!c.sources.length) continue;
        const plainLocal = c.sources.every((src) => src.value !== undefined && !REMOTE.test(src.value) && !ARCHIVE.test(src.value));
        if (!plainLocal) continue;
        const written = model.text.slice(c.instr.keywordSpan.start, c.instr.keywordSpan.end);
        report({
          span: c.instr.keywordSpan,
          message: `ADD of local files that are not archives: use COPY, which only copies.`,
          fixes: [
            {
              title: 'Use COPY',
              kind: 'safe',
              preferred: true,
              edits: () => new EditBuilder(model).replace(c.instr.keywordSpan, written === written.toLowerCase() ? 'copy' : 'COPY').build(),
            },
          ],
        });
      }
    }
  },
});
