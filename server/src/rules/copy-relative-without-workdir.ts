import { defineRule, type Fix, type Report } from '../engine/rule';
import { EditBuilder } from '../engine/edits';
import type { CopyInfo, DockerfileModel, Stage } from '../model/model';

/** Absolute on Linux, or on Windows (`C:\\`, `C:/`, `\\dir`). */
const ABSOLUTE = /^(\/|[A-Za-z]:[\\/]|\\)/;

export default defineRule({
  id: 'copy-relative-without-workdir',
  severity: 'warning',
  summary: 'COPY or ADD to a relative destination in a stage where no WORKDIR was set.',
  rationale: `A relative destination is resolved against the working directory. Where no WORKDIR was set in
the stage or the stages it is built on, that is the base image's working directory, which the
Dockerfile does not show: \`/\` for most images, but \`/go\` for golang, and whatever another base
chose (or changes to in its next release). Set WORKDIR before copying, or write the absolute path.

In a stage built on \`scratch\` the working directory is \`/\`, so the destination is known: that is
reported as info, and the fix writes it as an absolute path.`,
  differences: `hadolint (DL3045) reports a stage \`FROM\` a variable (\`FROM base-\${TARGETARCH}\`) as if it had no WORKDIR;
this rule stays silent when the variable may name an earlier stage that sets one. In a scratch stage, where
the destination is known, it reports info rather than a warning.`,
  equivalents: { hadolint: ['DL3045'] },
  examples: {
    invalid: [
      `FROM node:22
COPY package.json .
#                 ^ copy-relative-without-workdir
`,
    ],
    fixes: [
      {
        before: `FROM scratch\nCOPY app ./bin/\n`,
        after: `FROM scratch\nCOPY app /bin/\n`,
      },
    ],
    valid: [
      `FROM node:22 AS base
WORKDIR /app
FROM base
COPY package.json .
COPY --from=base /app/package.json /srv/
`,
    ],
  },
  check({ model, report }) {
    for (const s of model.stages) {
      // A WORKDIR of a stage this one is built on; then one of its own, as they come.
      let workdirSet = s.chain.some((t) => t !== s && t.instructions.some((i) => i.keyword === 'WORKDIR'));
      // `FROM base-${TARGETARCH}`: a stage the tool cannot name, which may set WORKDIR.
      if (mayInheritWorkdir(model, s)) continue;
      const copies = new Map(s.copies.map((c) => [c.instr, c]));
      for (const instr of s.instructions) {
        if (instr.keyword === 'WORKDIR') workdirSet = true;
        const copy = copies.get(instr);
        if (workdirSet || !copy?.dest) continue;
        const raw = copy.dest.raw;
        // A variable may hold an absolute path (`COPY app $APP_HOME`).
        if (/^["']?\$/.test(raw) || ABSOLUTE.test(raw.replace(/^["']/, ''))) continue;
        if (copy.dest.value !== undefined && ABSOLUTE.test(copy.dest.value)) continue;
        reportCopy(model, s, copy, report);
      }
    }
  },
});

/** The bottom of the chain is `FROM <variable>` that may name an earlier stage with a WORKDIR in its chain. */
function mayInheritWorkdir(model: DockerfileModel, s: Stage): boolean {
  const bottom = s.chain[s.chain.length - 1];
  if (bottom.base.kind !== 'unknown' || !bottom.base.raw.includes('$')) return false;
  const pattern = bottom.base.raw
    .split(/\$\{[^}]*\}|\$[A-Za-z_][A-Za-z0-9_]*/)
    .map((part) => part.replace(/[.*+?^()|[\]\\{}]/g, '\\$&'))
    .join('.*');
  const re = new RegExp(`^${pattern}$`, 'i');
  return model.stages.some(
    (t) =>
      t.index < bottom.index &&
      t.name !== undefined &&
      re.test(t.name) &&
      t.chain.some((u) => u.instructions.some((i) => i.keyword === 'WORKDIR')),
  );
}

function reportCopy(model: DockerfileModel, s: Stage, copy: CopyInfo, report: (r: Report) => void): void {
  const dest = copy.dest!;
  const root = s.implicit ? undefined : s.root;
  let where: string;
  if (root?.kind === 'scratch') where = `it lands in ${copy.destPath ?? '/'} (a scratch stage's working directory is /)`;
  else if (root?.kind === 'image' && root.ref.repository === 'library/golang')
    where = `it lands in ${copy.destPath ?? 'a path under /go'} (the golang image's working directory is /go)`;
  else where = "it resolves against the base image's working directory, which the Dockerfile does not show";
  report({
    span: dest.span,
    // In scratch the destination is known: a matter of style, not of the base image.
    severity: root?.kind === 'scratch' ? 'info' : undefined,
    message: `${copy.keyword} to the relative destination ${dest.raw} with no WORKDIR set in this Dockerfile: ${where}. Set WORKDIR first, or write the absolute path.`,
    fixes: scratchFix(model, copy, root?.kind === 'scratch'),
  });
}

/** In a scratch stage without WORKDIR the working directory is `/`: the same destination, written absolute. */
function scratchFix(model: DockerfileModel, copy: CopyInfo, scratch: boolean): Fix[] {
  const dest = copy.dest!;
  // Only a plain word, read as written (no quotes, variables or escapes), in shell form.
  if (!scratch || !/^[A-Za-z0-9._\-/+@%,=~]+$/.test(dest.raw) || model.text.slice(dest.span.start, dest.span.end) !== dest.raw) return [];
  const absolute = absoluteFromRoot(dest.raw);
  return [
    {
      title: `Write the destination as ${absolute}`,
      kind: 'safe',
      preferred: true,
      edits: () => new EditBuilder(model).replace(dest.span, absolute).build(),
    },
  ];
}

/** `.` → `/`, `./bin/` → `/bin/`, `a/./b` → `/a/b` (a trailing slash, which marks a directory, is kept). */
function absoluteFromRoot(raw: string): string {
  const parts: string[] = [];
  for (const p of raw.split('/')) {
    if (p === '' || p === '.') continue;
    if (p === '..') parts.pop();
    else parts.push(p);
  }
  const dir = raw.endsWith('/') || /(^|\/)\.\.?$/.test(raw);
  const path = '/' + parts.join('/');
  return dir && path !== '/' ? `${path}/` : path;
}
