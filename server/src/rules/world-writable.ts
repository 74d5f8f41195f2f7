import { defineRule } from '../engine/rule';
import { commandName, unwrap, type SimpleCommand } from '../model/shell';
import type { Span } from '../model/text';
import { runtimeOf } from '../model/runtime';

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
 * Why a world-writable chmod of this RUN harms nothing, where the RUN itself shows it: a recursive
 * sticky mode on directories the RUN just made (empty, so no file inside becomes writable), a mode
 * made sticky by a later \`chmod +t\` of the same paths, or paths the RUN removes again.
 */
function harmless(commands: SimpleCommand[], at: number, targets: string[], sticky: boolean, recursive: boolean): boolean {
  if (!targets.length) return false;
  const name = (c: SimpleCommand) => commandName(unwrap(c).argv);
  const made = commands
    .slice(0, at)
    .filter((c) => name(c) === 'mkdir')
    .flatMap((c) => operands(c, 0));
  if (sticky && recursive && targets.every((t) => made.some((m) => m === t || m.startsWith(`${t}/`)))) return true;
  const later = commands.slice(at + 1);
  const stickyLater = later.filter((c) => name(c) === 'chmod' && isSticky(operands(c, 0)[0] ?? '')).flatMap((c) => operands(c, 1));
  if (!recursive && targets.every((t) => stickyLater.includes(t))) return true;
  const removed = later.filter((c) => name(c) === 'rm').flatMap((c) => operands(c, 0));
  return targets.every((t) => removed.some((r) => r === t || t.startsWith(`${r}/`)));
}

export default defineRule({
  id: 'world-writable',
  severity: 'warning',
  summary: 'Files are made writable by every user (chmod 777, o+w, --chmod=777).',
  rationale: `A world-writable file or directory in an image lets any process in the container,
whatever its user, replace programs, configuration or data: it undoes the point of running as a
non-root user. Give ownership to the user that needs to write (\`COPY --chown=app:app\`,
\`chown\`) and keep modes like 755/644.

Reported for \`chmod\`, \`mkdir -m\`, \`install -m\` and \`COPY/ADD --chmod\`, octal or symbolic modes.
Sticky directories such as \`chmod 1777 /tmp\` (or \`ugo+rwx,o+t\`) are the standard shared-temp
pattern and are not reported, unless applied recursively (\`chmod -R 1777 dir\` makes every file
inside writable by all) to anything but directories the same RUN has just made (empty, so nothing
inside becomes writable: \`mkdir -p "$GOPATH/src" && chmod -R 1777 "$GOPATH"\`). Not reported either
when the same RUN makes the path sticky right after (\`chmod a+rwx $TMPDIR && chmod o+t $TMPDIR\`) or
removes it again (a temporary directory). Only a service is judged: a toolchain image made writable
on purpose so that any \`docker run --user\` can use it (the official rust image's $CARGO_HOME), a
builder, development or CI image, is used as its author meant.`,
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
    ],
    valid: [
      `FROM alpine:3.20
RUN chmod 755 /app && chmod 1777 /scratch-space
COPY --chown=app:app --chmod=644 config.yaml /etc/app/
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
    for (const s of model.shipped!.chain) {
      for (const run of s.runs) {
        for (const [at, c] of run.commands.entries()) {
          const e = unwrap(c);
          const name = commandName(e.argv);
          if (name === 'mkdir' || name === 'install') {
            // mkdir -m 777 DIR, mkdir -pm 777, install -Dm0777 …, --mode=777, --mode 777
            for (let k = 1; k < e.argv.length; k++) {
              const w = e.argv[k];
              if (w.dynamic) continue;
              const short = /^-[A-Za-z]*m(.*)$/.exec(w.value);
              const long = /^--mode(?:=(.*))?$/.exec(w.value);
              const joined = short ? short[1] : long?.[1];
              if (joined) {
                if (isWorldWritable(joined)) flag({ start: w.start, end: w.end }, joined);
              } else if (short || long) {
                const next = e.argv[k + 1];
                if (next && !next.dynamic && isWorldWritable(next.value)) flag({ start: next.start, end: next.end }, next.value);
              }
            }
            continue;
          }
          if (name !== 'chmod') continue;
          // chmod [-R -v -c -f -h --long-options] MODE FILE…
          const mode = e.argv.slice(1).find((w) => !/^-[Rvcfh]+$/.test(w.value) && !w.value.startsWith('--'));
          const recursive = e.argv.some((w) => /^-[vcfh]*R[Rvcfh]*$/.test(w.value) || w.value === '--recursive');
          if (!mode || mode.dynamic || !isWorldWritable(mode.value, recursive)) continue;
          if (harmless(run.commands, at, operands(c, 1), isSticky(mode.value), recursive)) continue;
          flag({ start: mode.start, end: mode.end }, mode.value);
        }
      }
      for (const c of s.copies) {
        const f = c.instr.flags.find((x) => x.name.toLowerCase() === 'chmod');
        if (f?.value && isWorldWritable(f.value)) flag(f.span, f.value);
      }
    }
  },
});
