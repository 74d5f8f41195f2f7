import { defineRule } from '../engine/rule';
import { commandName, unwrap } from '../model/shell';
import { shipsToUsers } from '../model/runtime';
import type { CopyInfo, RunInfo } from '../model/model';

/** Archives ADD unpacks itself: tar, uncompressed or gzip, bzip2 or xz compressed. */
const ARCHIVE = /\.(tar|tar\.gz|tgz|tar\.bz2|tbz2?|tar\.xz|txz)$/i;

const basename = (p: string) =>
  p
    .replace(/^["']|["']$/g, '')
    .split(/[\\/]/)
    .pop() ?? '';

/** The archive names a COPY brings in: its local sources', and the destination's when it names a file. */
function archivesOf(copy: CopyInfo): string[] {
  // As written and as read: a Windows path's backslashes are separators to the user, escapes to the parser.
  const both = (p: { raw: string; value?: string }) => [basename(p.raw), basename(p.value ?? p.raw)];
  const names = copy.sources.flatMap(both).filter((n) => ARCHIVE.test(n));
  if (!names.length) return [];
  if (copy.dest) names.push(...both(copy.dest).filter((n) => ARCHIVE.test(n)));
  return names;
}

/** The first `tar -x…` of the run that names one of the archives. */
function extraction(run: RunInfo, names: string[]) {
  for (const c of run.commands) {
    const argv = unwrap(c).argv;
    if (commandName(argv) !== 'tar') continue;
    // -x, -xzf, --extract, --get, or an old-style first word such as `xzf`.
    const short = (v: string) => /^-[A-Za-z]+$/.test(v) && v.includes('x');
    const extracts =
      argv.slice(1).some((w) => w.value === '--extract' || w.value === '--get' || short(w.value)) ||
      (argv.length > 1 && /^[A-Za-z]+$/.test(argv[1].value) && argv[1].value.includes('x'));
    if (extracts && argv.some((w) => names.includes(basename(w.value)))) return argv[0];
  }
  return undefined;
}

export default defineRule({
  id: 'copy-archive-then-extract',
  severity: 'info',
  summary: 'COPY of a tar archive that a later RUN unpacks: the archive stays in the image.',
  rationale: `An archive copied in and unpacked by a later RUN is in the image twice: packed, in the COPY's layer
(deleting it later does not shrink that layer), and unpacked. \`ADD archive.tar.gz /dest/\` unpacks a
local tar archive (plain, gzip, bzip2 or xz) in one step, and only the files are kept. Where the
RUN does more than unpack (\`--strip-components\`, a subset of files), a bind mount keeps the
archive out of the layers: \`RUN --mount=type=bind,source=app.tar.gz,target=/tmp/app.tar.gz tar -xzf …\`.

Checked in the stages whose files ship; a builder's layers are not shipped.`,
  equivalents: { hadolint: ['DL3010'] },
  differences: 'hadolint (DL3010) checks every stage; this rule the stages whose files ship.',
  examples: {
    invalid: [
      `FROM debian:12
COPY dist/app.tar.gz /opt/
#    ^^^^^^^^^^^^^^^ copy-archive-then-extract
RUN tar -xzf /opt/app.tar.gz -C /opt && rm /opt/app.tar.gz
`,
    ],
    valid: [
      `FROM debian:12
ADD dist/app.tar.gz /opt/
`,
    ],
  },
  check({ model, report }) {
    if (!shipsToUsers(model)) return;
    for (const s of model.shipped?.chain ?? []) {
      for (const copy of s.copies) {
        if (copy.keyword !== 'COPY' || copy.from) continue;
        const names = archivesOf(copy);
        if (!names.length) continue;
        const later = s.runs.filter((r) => r.instr.span.start > copy.instr.span.start && !r.instr.onbuild);
        const tar = later.map((r) => extraction(r, names)).find((w) => w);
        if (!tar) continue;
        const src = copy.sources.find((x) => ARCHIVE.test(basename(x.raw)) || ARCHIVE.test(basename(x.value ?? x.raw)))!;
        const line = model.lines.positionAt(tar.start).line + 1;
        report({
          span: src.span,
          message: `${basename(src.raw)} is copied in and unpacked by the RUN on line ${line}: the packed archive stays in a layer. ADD unpacks a local tar archive in one step.`,
        });
      }
    }
  },
});
