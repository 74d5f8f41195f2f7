import { defineRule, type Fix } from '../engine/rule';
import { EditBuilder } from '../engine/edits';
import type { CopyInfo, DockerfileModel, Instr, RunInfo, Stage, UserInfo } from '../model/model';
import { userAt } from '../fixes/userEdits';
import { familyOf } from '../model/images';
import { copyProvides } from '../model/files';
import { dirname, isWithin, resolvePath } from '../model/paths';
import { runtimeOf } from '../model/runtime';
import { commandName, unwrap, type Word } from '../model/shell';

/** Directories a base image may already have (then not made by the COPY, and owned by whoever made them). */
const SYSTEM_DIRS = /^\/(etc|usr|bin|sbin|lib|lib32|lib64|libx32|var|opt|home|root|tmp|srv|run|boot|mnt|media|proc|sys|dev)(\/|$)/;

/** The line of an instruction (1-based), for messages. */
const lineOf = (model: DockerfileModel, i: Instr) => model.lines.positionAt(i.span.start).line + 1;

/** A word's path, resolved against the RUN's working directory (undefined when not known). */
function pathOf(w: Word | undefined, cwd: string | undefined): string | undefined {
  if (!w || w.dynamic || w.value.startsWith('-')) return undefined;
  return resolvePath(w.value, cwd);
}

/** Whether a RUN or COPY after `c` changes the owner or mode of anything at or under, or above, its destination. */
function fixedLater(stage: Stage, c: CopyInfo): boolean {
  const dest = c.destPath!;
  const touches = (p: string) => p === dest || isWithin(p, dest) || isWithin(dest, p);
  for (const s of stage.chain)
    for (const r of s.runs) {
      if (r.instr.span.start < c.instr.span.start) continue;
      for (const cmd of r.commands) {
        const name = commandName(unwrap(cmd).argv);
        if (name !== 'chown' && name !== 'chmod' && name !== 'chgrp' && name !== 'setfacl') continue;
        // Run as root, it fixes the files; run as the user, it is the evidence (writes below).
        if (userAt(stage, r.instr.span.start).root === false) continue;
        const paths = unwrap(cmd)
          .argv.slice(1)
          .map((w) => (w.dynamic ? '/' : pathOf(w, r.instr.workdir)));
        if (paths.some((p) => p && touches(p))) return true;
      }
    }
  return false;
}

/**
 * The directory the COPY makes itself (so root owns it): its destination directory, where nothing
 * before it in the chain can have made it (no WORKDIR, RUN or COPY names it, not a system directory,
 * a base the tool knows).
 */
function madeByCopy(model: DockerfileModel, stage: Stage, c: CopyInfo): string | undefined {
  const dir = c.destIsDir ? c.destPath! : undefined;
  if (!dir || dir === '/' || SYSTEM_DIRS.test(dir) || familyOf(stage) === 'unknown') return undefined;
  for (const s of stage.chain)
    for (const i of s.instructions) {
      if (i.span.start >= c.instr.span.start) continue;
      if (i.keyword === 'WORKDIR' && i.workdir && (i.workdir === dir || isWithin(i.workdir, dir))) return undefined;
      if ((i.keyword === 'RUN' || i.keyword === 'ONBUILD') && model.text.slice(i.span.start, i.span.end).includes(dir)) return undefined;
    }
  const earlier = stage.chain.flatMap((s) => s.copies).filter((o) => o.instr.span.start < c.instr.span.start);
  if (earlier.some((o) => !o.destPath || o.destPath === dir || isWithin(o.destPath, dir))) return undefined;
  return dir;
}

/** What a RUN run as the user writes that the COPY made root's: the first such write, described. */
function writeInto(model: DockerfileModel, c: CopyInfo, made: string | undefined, run: RunInfo): string | undefined {
  let cwd = run.instr.workdir;
  const provided = (p: string | undefined) => !!p && copyProvides(model, c, p) === 'yes';
  const inMade = (p: string | undefined) => !!p && !!made && dirname(p) === made;
  for (const cmd of run.commands) {
    const argv = unwrap(cmd).argv;
    const name = commandName(argv);
    if (name === 'cd') cwd = undefined;
    for (const r of cmd.redirects) {
      if (r.op !== '>' && r.op !== '>>' && r.op !== '>|') continue;
      const p = pathOf(r.target, cwd);
      if (provided(p) || inMade(p)) return `writes ${r.target!.value}`;
    }
    const args = argv.slice(1).filter((w) => !w.value.startsWith('-'));
    if (name === 'chmod' || name === 'chgrp') {
      const p = args
        .slice(1)
        .map((w) => pathOf(w, cwd))
        .find(provided);
      if (p) return `runs ${name} on ${p}, which only its owner (root) may do`;
    }
    if (name === 'touch' || name === 'mkdir' || name === 'tee') {
      const p = args.map((w) => pathOf(w, cwd)).find((x) => (name === 'mkdir' ? inMade(x) : provided(x) || inMade(x)));
      if (p) return `runs ${name} ${p}`;
    }
    if (name === 'sed' && argv.some((w) => /^-[a-zA-Z]*i/.test(w.value) || w.value.startsWith('--in-place'))) {
      const p = args.map((w) => pathOf(w, cwd)).find(inMade);
      if (p) return `edits ${p} in place (sed -i writes a new file in ${made})`;
    }
    const sub = argv[1]?.value;
    const installs =
      (name === 'npm' && (sub === 'install' || sub === 'ci' || sub === 'i')) || (name === 'yarn' && (!sub || sub === 'install'));
    if (installs && made && cwd === made) return `runs ${name} ${sub ?? ''}`.trim() + ` in ${made}, which writes node_modules there`;
  }
  return undefined;
}

/** `--chown=<user>` as the USER instruction names the user (variables included: COPY expands them). */
function chownFix(model: DockerfileModel, c: CopyInfo, u: UserInfo): Fix[] {
  const owner = u.instr ? model.argumentsOf(u.instr).text.trim() : u.text;
  if (!owner || /\s/.test(owner)) return [];
  return [
    {
      title: `Copy the files as the user: ${c.keyword} --chown=${owner}`,
      kind: 'suggestion',
      preferred: false,
      edits: () => new EditBuilder(model).insert(c.instr.keywordSpan.end, ` --chown=${owner}`).build(),
    },
  ];
}

/** Whether `--chmod` gives others write permission (then the user can write without owning them). */
function othersWrite(c: CopyInfo): boolean {
  const v = c.instr.flags.find((f) => f.name.toLowerCase() === 'chmod')?.value;
  if (!v) return false;
  return /^[0-7]*[2367]$/.test(v) || /[ao]?\+[rx]*w/.test(v) || v.includes('$');
}

/** Why the user in effect must write what the COPY makes: a VOLUME, or a later RUN as the user. */
function evidenceFor(model: DockerfileModel, stage: Stage, c: CopyInfo, u: UserInfo): string | undefined {
  const dest = c.destPath!;
  const vol = runtimeOf(stage).volumes.find((v) => dest === v.path || isWithin(dest, v.path));
  if (vol)
    return `it is in VOLUME ${vol.path} (line ${lineOf(model, vol.instr)}), where the container keeps the data it writes, and the container runs as ${u.text}`;
  const made = madeByCopy(model, stage, c);
  for (const s of [...stage.chain].reverse())
    for (const r of s.runs) {
      if (r.instr.span.start < c.instr.span.start) continue;
      const ru = userAt(stage, r.instr.span.start);
      if (ru.root !== false || ru.user !== u.user) continue;
      const w = writeInto(model, c, made, r);
      if (w) return `the RUN at line ${lineOf(model, r.instr)}, run as ${u.text}, ${w}: that fails with Permission denied`;
    }
  return undefined;
}

export default defineRule({
  id: 'copy-without-chown',
  severity: 'info',
  summary: 'COPY after a non-root USER, without --chown, of files the user must write.',
  rationale: `COPY and ADD make their files and directories owned by root (0:0) unless \`--chown\` says
otherwise: \`USER\` does not change that. A program running as a non-root user can read them but not
change them, and cannot add files to a directory the COPY made. That is often what you want (code the
program cannot overwrite), so the rule reports only where the Dockerfile shows that the user must
write there:

- the destination is, or is inside, a \`VOLUME\` of the stage (the directory the container keeps
  its data in), and the container runs as that user;
- a later RUN, run as that user, writes there: a redirection (\`>\`) or \`tee\`/\`touch\` onto a
  copied file, \`chmod\` of a copied file (only its owner may), or, in a directory the COPY itself
  made (nothing before it makes it), \`mkdir\`, \`touch\`, \`sed -i\` or \`npm install\`. Such a step
  fails the build with \`Permission denied\`.

A directory's name (\`data\`, \`logs\`, \`cache\`, \`tmp\`) is not taken as evidence: in the realworld corpus,
104 COPY/ADD after a non-root USER have no \`--chown\`, and they copy programs, configuration and
static files the program only reads. Not reported where a later RUN as root changes the owner or mode
(\`chown\`, \`chmod\`), where \`--chmod\` lets others write, in Windows images, and only in the stage that
ships.

The fix adds \`--chown\` with the user as the USER instruction names it; it is a suggestion, since it
changes who owns the files.`,
  equivalents: {},
  examples: {
    invalid: [
      `FROM debian:12-slim
RUN useradd --uid 10001 app
USER app
COPY seed/ /data/
#          ^^^^^^ copy-without-chown
VOLUME /data
CMD ["/usr/local/bin/app"]
`,
    ],
    fixes: [
      {
        before: `FROM debian:12-slim\nRUN useradd --uid 10001 app\nUSER app\nCOPY seed/ /data/\nVOLUME /data\n`,
        after: `FROM debian:12-slim\nRUN useradd --uid 10001 app\nUSER app\nCOPY --chown=app seed/ /data/\nVOLUME /data\n`,
      },
    ],
    valid: [
      `FROM debian:12-slim
RUN useradd --uid 10001 app
USER app
COPY app /usr/local/bin/app
COPY --chown=app seed/ /data/
VOLUME /data
`,
    ],
  },
  check({ model, report }) {
    const stage = model.shipped;
    if (!stage || familyOf(stage) === 'windows') return;
    const runsAs = stage.user;
    if (runsAs.root !== false || !runsAs.user) return;
    for (const s of [...stage.chain].reverse())
      for (const c of s.copies) {
        if (c.instr.onbuild || !c.destPath || c.instr.flags.some((f) => f.name.toLowerCase() === 'chown') || othersWrite(c)) continue;
        const u = userAt(stage, c.instr.span.start);
        if (u.root !== false || u.user !== runsAs.user || fixedLater(stage, c)) continue;
        const why = evidenceFor(model, stage, c, u);
        if (!why) continue;
        report({
          span: c.dest?.span ?? c.instr.keywordSpan,
          message: `${c.keyword} without --chown makes ${c.destPath} owned by root, whatever USER says, and ${u.text} must write there: ${why}. Add --chown=${u.text}.`,
          fixes: chownFix(model, c, u),
        });
      }
  },
});
