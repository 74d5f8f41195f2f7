import { defineRule } from '../engine/rule';
import { commandName, unwrap, type SimpleCommand, type Word } from '../model/shell';
import type { Span } from '../model/text';
import type { RunInfo } from '../model/types';
import { runtimeOf } from '../model/runtime';
import { basename, normalizePath } from '../model/paths';
import { expandWord } from '../model/variables';

/**
 * Whether a chmod mode makes files writable by everyone. Sticky directories such as 1777 are
 * excepted, unless the mode is applied recursively: the files inside are then simply writable.
 */
export function isWorldWritable(mode: string, recursive = false): boolean {
  if (/^[0-7]{1,5}$/.test(mode)) {
    const bits = parseInt(mode, 8);
    return (recursive || (bits & 0o1000) === 0) && (bits & 0o002) !== 0;
  }
  // Symbolic: comma-separated clauses like o+w, a+rwx, ugo=rw, a+rw-x, applied in order. A clause
  // without u/g/o/a follows the umask (022 in builds), which keeps others from writing.
  const clauses = mode.split(',').map((clause) => /^([ugoa]*)((?:[-+=][rwxXst]*)+)$/.exec(clause));
  let writable = false;
  let sticky = false;
  for (const m of clauses) {
    if (!m) return false; // not a mode (a file name, say)
    const others = m[1].includes('o') || m[1].includes('a');
    for (const [, op, perms] of m[2].matchAll(/([-+=])([rwxXst]*)/g)) {
      // `+t` (ugo+rwx,o+t) is the sticky bit, as in 1777.
      if (perms.includes('t')) sticky = op !== '-';
      if (others && (perms.includes('w') || op === '=')) writable = op !== '-' && perms.includes('w');
    }
  }
  return writable && (recursive || !sticky);
}

/** A mode that leaves a directory writable by every user only through the sticky exception: 1777, ugo+rwx,o+t. */
export function isStickyWorldWritable(mode: string): boolean {
  return isWorldWritable(mode, true) && !isWorldWritable(mode, false);
}

/** Shared temporary and runtime directories, where a sticky world-writable mode is what is meant. */
const TEMP_DIRS = ['/tmp', '/var/tmp', '/dev/shm', '/run/shm', '/run/lock', '/var/lock', '/var/run/lock', '/run/user'];

/**
 * Whether a directory is a temporary one: under /tmp, /var/tmp, /dev/shm, /run/lock…, one named tmp
 * or temp (an application's own temp directory, `logs temp work`), or, where its value is not known,
 * a variable named for one (`$TMPDIR`, `${APP_TEMP_DIR}/x`, `$tempDir`).
 */
export function isTempDir(written: string, value?: string): boolean {
  const p = value ?? written;
  const norm = p.startsWith('/') ? normalizePath(p) : p;
  if (TEMP_DIRS.some((t) => norm === t || norm.startsWith(`${t}/`))) return true;
  if (/^\.?(tmp|temp)$/i.test(basename(norm))) return true;
  return value === undefined && /^\$\{?(\w*_)?(tmp|temp)(_?dir)?(\}|\/|$)/i.test(written);
}

/** A path as written, without quotes or a trailing slash (`"$GOPATH"/` → `$GOPATH`). */
const pathWord = (v: string) => v.replace(/["']/g, '').replace(/\/+$/, '');
const isSticky = (mode: string) => (/^[0-7]{4,5}$/.test(mode) && (parseInt(mode, 8) & 0o1000) !== 0) || /^[ugoa]*[+=][rwxXs]*t/.test(mode);

/** The path operands of a command: its words after the options (and, for chmod, the mode). */
function operands(c: SimpleCommand, skip: number): string[] {
  return unwrap(c)
    .argv.slice(1)
    .filter((w) => !w.value.startsWith('-'))
    .slice(skip)
    .map((w) => pathWord(w.value));
}

/**
 * What a world-writable chmod of this RUN leaves, where the RUN itself shows it: nothing, for paths
 * the RUN removes again (a temporary directory); sticky directories, for a recursive sticky mode on
 * directories the RUN just made (empty, so no file inside becomes writable) or a mode made sticky by
 * a later `chmod +t` of the same paths. Undefined: the paths stay writable by all.
 */
function settled(
  commands: SimpleCommand[],
  at: number,
  targets: string[],
  sticky: boolean,
  recursive: boolean,
): 'removed' | 'sticky' | undefined {
  if (!targets.length) return undefined;
  const name = (c: SimpleCommand) => commandName(unwrap(c).argv);
  const later = commands.slice(at + 1);
  const removed = later.filter((c) => name(c) === 'rm').flatMap((c) => operands(c, 0));
  if (targets.every((t) => removed.some((r) => r === t || t.startsWith(`${r}/`)))) return 'removed';
  const made = commands
    .slice(0, at)
    .filter((c) => name(c) === 'mkdir')
    .flatMap((c) => operands(c, 0));
  if (sticky && recursive && targets.every((t) => made.some((m) => m === t || m.startsWith(`${t}/`)))) return 'sticky';
  const stickyLater = later.filter((c) => name(c) === 'chmod' && isSticky(operands(c, 0)[0] ?? '')).flatMap((c) => operands(c, 1));
  if (!recursive && targets.every((t) => stickyLater.includes(t))) return 'sticky';
  return undefined;
}

/** The directories of a command that are not temporary ones, as written (variables expanded where known). */
function sharedDirs(words: Word[], run: RunInfo, escapeChar: string): string[] {
  return words
    .filter((w) => !/^(\{\}|\+|\\?;)$/.test(w.value)) // find -exec chmod 1777 {} +
    .filter((w) => !isTempDir(pathWord(w.value), w.dynamic ? expandWord(w.value, run.scope, escapeChar) : undefined))
    .map((w) => pathWord(w.value));
}

/** The mode of mkdir -m / install -m: `-m 777`, `-m777`, `-pm 777`, `--mode=777`, `--mode 777`. */
function modeOption(argv: Word[]): { span: Span; value: string } | undefined {
  for (let k = 1; k < argv.length; k++) {
    const w = argv[k];
    if (w.dynamic) continue;
    const short = /^-[A-Za-z]*m(.*)$/.exec(w.value);
    const long = /^--mode(?:=(.*))?$/.exec(w.value);
    const joined = short ? short[1] : long?.[1];
    if (joined) return { span: { start: w.start, end: w.end }, value: joined };
    const next = argv[k + 1];
    if ((short || long) && next && !next.dynamic) return { span: { start: next.start, end: next.end }, value: next.value };
  }
  return undefined;
}

/** The directories mkdir makes, or install -d: its words that are neither options nor their values. */
function dirWords(argv: Word[]): Word[] {
  const out: Word[] = [];
  for (let k = 1; k < argv.length; k++) {
    const v = argv[k].value;
    if (/^-[A-Za-z]*[mogtS]$/.test(v) || /^--(mode|owner|group|target-directory|suffix|context)$/.test(v)) k++;
    else if (!v.startsWith('-')) out.push(argv[k]);
  }
  return out;
}

/** `install -d` (`-dm1777`, `--directory`): it makes directories rather than installing files. */
const installsDirs = (argv: Word[]) => argv.some((w) => w.value === '--directory' || /^-[A-Za-ce-z]*d/.test(w.value));

export default defineRule({
  id: 'world-writable',
  severity: 'warning',
  summary: 'Files are made writable by every user (chmod 777, o+w, --chmod=777).',
  rationale: `A world-writable file or directory in an image lets any process in the container,
whatever its user, replace programs, configuration or data: it undoes the point of running as a
non-root user. Give ownership to the user that needs to write (\`COPY --chown=app:app\`,
\`chown\`) and keep modes like 755/644.

Reported for \`chmod\`, \`mkdir -m\`, \`install -m\` and \`COPY/ADD --chmod\`, octal or symbolic modes.
A sticky mode applied recursively (\`chmod -R 1777 dir\`) makes every file inside writable by all and
is reported as such, unless the directories are ones the same RUN has just made (empty, so nothing
inside becomes writable: \`mkdir -p "$GOPATH/src" && chmod -R 1777 "$GOPATH"\`). A mode made sticky
by the same RUN right after (\`chmod a+rwx $TMPDIR && chmod o+t $TMPDIR\`) counts as sticky, and a
path the RUN removes again (a temporary directory) is not reported.

Sticky world-writable directories (\`chmod 1777\`, \`ugo+rwx,o+t\`, \`mkdir -m 1777\`) are the
standard shared-temp pattern: not reported on temporary directories (/tmp, /var/tmp, /dev/shm,
/run/lock, /var/lock, /run/user and anything under them, a directory named \`tmp\` or \`temp\`, a
variable named for one such as \`$TMPDIR\`). On any other directory (\`/var/lib/app\`, \`/data\`,
\`/var/run/app\`, \`/opt/app/logs\`) they are reported at info: every user in the container can
create files there (the sticky bit only stops them deleting or renaming each other's), so a
compromised process of any user can plant files the program reads. Images that accept an arbitrary
\`docker run --user\` do this on purpose; giving the directory to a known uid, or a group the user
is in (\`chgrp 0\` and \`chmod g+rwX\` for OpenShift's arbitrary uids), keeps that working.

Only a service is judged: a toolchain image made writable on purpose so that any
\`docker run --user\` can use it (the official rust image's $CARGO_HOME), a builder, development or
CI image, is used as its author meant.`,
  equivalents: {},
  examples: {
    invalid: [
      `FROM alpine:3.20
RUN chmod -R 777 /app
#            ^^^ world-writable
COPY --chmod=666 config.yaml /etc/app/
#    ^^^^^^^^^^^ world-writable
CMD ["/app/server"]
`,
      `FROM alpine:3.20
# info: any user can create files in /data (sticky only stops deleting others')
RUN mkdir -p /data /tmp/cache && chmod 1777 /data /tmp/cache
#                                      ^^^^ world-writable
CMD ["/app/server"]
`,
    ],
    valid: [
      `FROM alpine:3.20
RUN chmod 755 /app && mkdir -p /tmp/cache && chmod 1777 /tmp/cache
COPY --chown=app:app --chmod=644 config.yaml /etc/app/
RUN chown app:app /data
CMD ["/app/server"]
`,
    ],
  },
  check({ model, report }) {
    // Only a service: a toolchain image (the official rust image makes its toolchain writable so that
    // any `docker run --user` can use it), a builder, development or CI image is used as its author meant.
    if (!model.shipped || runtimeOf(model.shipped).role.kind !== 'service') return;
    const flag = (span: Span, mode: string) =>
      report({
        span,
        message: `Mode ${mode} makes files writable by every user in the container. Give ownership to the user that writes instead.`,
      });
    // A sticky mode on directories that are not temporary ones: any user can create files there.
    const flagSticky = (span: Span, mode: string, dirs: string[]) => {
      if (!dirs.length) return;
      const list = dirs.length > 3 ? `${dirs.slice(0, 3).join(', ')} and ${dirs.length - 3} more` : dirs.join(', ');
      report({
        span,
        severity: 'info',
        message: `Mode ${mode} lets every user in the container create files in ${list}: the sticky bit only stops them deleting each other's. Give ownership to the user that writes instead.`,
      });
    };
    for (const s of model.shipped!.chain) {
      for (const run of s.runs) {
        for (const [at, c] of run.commands.entries()) {
          const e = unwrap(c);
          const name = commandName(e.argv);
          if (name === 'mkdir' || name === 'install') {
            const m = modeOption(e.argv);
            if (m && isWorldWritable(m.value)) flag(m.span, m.value);
            else if (m && isStickyWorldWritable(m.value) && (name === 'mkdir' || installsDirs(e.argv)))
              flagSticky(m.span, m.value, sharedDirs(dirWords(e.argv), run, model.escapeChar));
            continue;
          }
          if (name !== 'chmod') continue;
          // chmod [-R -v -c -f -h --long-options] MODE FILE…
          const mode = e.argv.slice(1).find((w) => !/^-[Rvcfh]+$/.test(w.value) && !w.value.startsWith('--'));
          const recursive = e.argv.some((w) => /^-[vcfh]*R[Rvcfh]*$/.test(w.value) || w.value === '--recursive');
          if (!mode || mode.dynamic) continue;
          const writable = isWorldWritable(mode.value, recursive);
          const sticky = isStickyWorldWritable(mode.value);
          if (!writable && !sticky) continue;
          const outcome = settled(run.commands, at, operands(c, 1), sticky || isSticky(mode.value), recursive);
          if (outcome === 'removed') continue;
          const span = { start: mode.start, end: mode.end };
          if (writable && outcome !== 'sticky') flag(span, mode.value);
          else {
            const paths = e.argv.slice(e.argv.indexOf(mode) + 1).filter((w) => !w.value.startsWith('-'));
            flagSticky(span, mode.value, sharedDirs(paths, run, model.escapeChar));
          }
        }
      }
      for (const c of s.copies) {
        const f = c.instr.flags.find((x) => x.name.toLowerCase() === 'chmod');
        if (f?.value && isWorldWritable(f.value)) flag(f.span, f.value);
      }
    }
  },
});
