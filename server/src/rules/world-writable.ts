import { defineRule } from '../engine/rule';
import { commandName, unwrap } from '../model/shell';
import type { Span } from '../model/text';
import { shipsToUsers } from '../model/runtime';

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
inside writable by all).`,
  equivalents: {},
  examples: {
    invalid: [
      `FROM alpine:3.20
RUN chmod -R 777 /app
#            ^^^ world-writable
COPY --chmod=666 config.yaml /etc/app/
#    ^^^^^^^^^^^ world-writable
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
    if (!shipsToUsers(model)) return;
    const flag = (span: Span, mode: string) =>
      report({ span, message: `Mode ${mode} makes files writable by every user in the container. Give ownership to the user that writes instead.` });
    for (const s of model.shipped!.chain) {
      for (const run of s.runs) {
        for (const c of run.commands) {
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
          if (mode && !mode.dynamic && isWorldWritable(mode.value, recursive)) flag({ start: mode.start, end: mode.end }, mode.value);
        }
      }
      for (const c of s.copies) {
        const f = c.instr.flags.find((x) => x.name.toLowerCase() === 'chmod');
        if (f?.value && isWorldWritable(f.value)) flag(f.span, f.value);
      }
    }
  },
});
