import { defineRule } from '../engine/rule';
import { EditBuilder } from '../engine/edits';

export default defineRule({
  id: 'copy-to-file-many-sources',
  severity: 'warning',
  summary: 'COPY or ADD of several sources to a destination that does not end with /.',
  rationale: `With more than one source, the destination of COPY or ADD is meant to be a directory, written
with a trailing \`/\`. Docker's classic builder refuses anything else ("When using COPY with more than
one source file, the destination must be a directory and end with a /"); other builders accept it
and decide for themselves what the destination is (buildah makes it a directory, as the image
safety suite shows). The slash makes the file mean the same everywhere.`,
  differences: `A destination of \`.\` is not reported: BuildKit, Docker's builder since 23.0, reads it as
the working directory.`,
  equivalents: { hadolint: ['DL3021'] },
  examples: {
    invalid: [
      `FROM node:22
COPY package.json package-lock.json /app
#                                   ^^^^ copy-to-file-many-sources
`,
    ],
    fixes: [
      {
        before: `FROM node:22\nCOPY package.json package-lock.json /app\n`,
        after: `FROM node:22\nCOPY package.json package-lock.json /app/\n`,
      },
    ],
    valid: [
      `FROM node:22
COPY package.json package-lock.json /app/
COPY server.js /app/server.js
COPY a b ./
`,
    ],
  },
  check({ model, report }) {
    for (const s of model.stages) {
      for (const c of s.copies) {
        const dest = c.dest;
        if (!dest || c.sources.length + c.heredocs.length < 2) continue;
        const path = (dest.value ?? dest.raw).replace(/^["']|["']$/g, '');
        // A trailing backslash is Windows' directory separator (`C:\app\`).
        const raw = dest.raw.replace(/^["']|["']$/g, '');
        if (/[/\\]$/.test(path) || /[/\\]$/.test(raw) || path === '.' || dest.raw.includes('$')) continue;
        const written = model.text.slice(dest.span.start, dest.span.end);
        // Inside JSON or quotes, the slash goes before the closing quote.
        const at = /["']$/.test(written) ? dest.span.end - 1 : dest.span.end;
        report({
          span: dest.span,
          message: `${c.keyword} of ${c.sources.length + c.heredocs.length} sources to ${path}: Docker's classic builder refuses several sources to a destination without a trailing /, and other builders guess. Write ${path}/.`,
          fixes: [
            {
              title: `Write the destination as ${path}/`,
              kind: 'safe',
              preferred: true,
              edits: () => new EditBuilder(model).insert(at, '/').build(),
            },
          ],
        });
      }
    }
  },
});
