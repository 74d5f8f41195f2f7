import { defineRule } from '../engine/rule';
import type { BuildContext } from '../model/context';
import { cleanPath, exceptionBelow, excludedBy, parseDockerignore, type IgnoreFile } from '../model/dockerignore';

/** The examples' build context: only its ignore file is read. */
const EXAMPLE_CONTEXT: BuildContext = {
  readFile: () => undefined,
  exists: () => undefined,
  ignoreFile: () => ({ name: '.dockerignore', text: '# docs and local secrets stay out of the context\n*.md\nsecrets/\n' }),
};

/** Patterns that leave nothing of the context's root: copying `.` copies nothing. */
const WHOLE_ROOT = new Set(['*', '**', '**/*']);

function ignoreFileOf(context: BuildContext, dockerfilePath: string | undefined): { name: string; file: IgnoreFile } | undefined {
  let found = context.ignoreFile?.();
  if (found === undefined) {
    const own = dockerfilePath ? `${dockerfilePath.replace(/^.*\//, '')}.dockerignore` : undefined;
    for (const name of [own, '.dockerignore']) {
      const text = name === undefined ? undefined : context.readFile(name);
      if (text !== undefined && name) {
        found = { name, text };
        break;
      }
    }
  }
  const file = found ? parseDockerignore(found.text) : undefined;
  return found && file ? { name: found.name, file } : undefined;
}

export default defineRule({
  id: 'copy-ignored-file',
  severity: 'warning',
  summary: 'COPY or ADD takes a file from the build context that .dockerignore leaves out of it.',
  rationale: `The builder sends the build context without what \`.dockerignore\` excludes (or the
Dockerfile's own \`<name>.dockerignore\` beside it, which wins), so a COPY or ADD of an excluded path
finds nothing there: the build fails with "not found", or, for a directory partly excluded, copies less
than it seems. Take the path out of the ignore file, add an exception (\`!path\`), or stop copying it.`,
  differences: `BuildKit checks nothing when the ignore file has any exception (\`!…\`); this rule still
reports a path excluded as a whole where no exception can bring back anything at or below it. Sources
with a variable it cannot resolve, URLs and \`--from\` copies are not checked. Without a build context
on disk (standard input, an unsaved editor) the rule is silent.`,
  equivalents: { buildkit: ['CopyIgnoredFile'] },
  examples: {
    // With a .dockerignore of `*.md` and `secrets/`.
    options: { buildContext: EXAMPLE_CONTEXT },
    invalid: [
      `# .dockerignore: *.md secrets/
FROM alpine:3.20
COPY README.md secrets/ /app/
#    ^^^^^^^^^ copy-ignored-file
#              ^^^^^^^^ copy-ignored-file
`,
    ],
    valid: [
      `# .dockerignore: *.md secrets/
FROM alpine:3.20
COPY src/ /app/src/
`,
    ],
  },
  check({ model, report }) {
    if (!model.context) return;
    const ignore = ignoreFileOf(model.context, model.path);
    if (!ignore || !ignore.file.patterns.length) return;
    const { name, file } = ignore;
    for (const s of model.stages) {
      for (const c of s.copies) {
        if (c.from) continue;
        for (const src of c.sources) {
          if (src.value === undefined) continue;
          if (c.keyword === 'ADD' && /^(https?:\/\/|git@|[a-z0-9+.-]+:\/\/)/i.test(src.value)) continue;
          let path = cleanPath(src.value);
          if (path.startsWith('/')) path = path.slice(1) || '.';
          let pattern: string | undefined;
          if (path === '.' || path === '') {
            // The root itself is never excluded: only patterns that take every entry in it leave nothing.
            const last = file.patterns.reduce((k, p, i) => (!p.exception && WHOLE_ROOT.has(p.text) ? i : k), -1);
            if (last < 0 || file.patterns.slice(last).some((p) => p.exception)) continue;
            pattern = file.patterns[last].text;
          } else {
            const by = excludedBy(file, path);
            if (!by) continue;
            // A glob source, or an excluded directory with exceptions after: what is copied is not known.
            if (file.hasExceptions && (/[*?[]/.test(path) || exceptionBelow(file, path))) continue;
            pattern = by.text;
          }
          report({
            span: src.span,
            message: `${c.keyword} source "${src.value}" is excluded from the build context by ${name} (pattern "${pattern}"): the builder does not send it, so ${c.keyword} cannot take it.`,
          });
        }
      }
    }
  },
});
