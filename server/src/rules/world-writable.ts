import { defineRule } from '../engine/rule';
import { commandName, unwrap } from '../model/shell';
import type { Span } from '../model/text';

/** Whether a chmod mode makes files writable by everyone (sticky directories such as 1777 excepted). */
export function isWorldWritable(mode: string): boolean {
  if (/^[0-7]{3,4}$/.test(mode)) {
    const digits = mode.padStart(4, '0');
    const sticky = (Number(digits[0]) & 1) === 1;
    return !sticky && (Number(digits[3]) & 2) === 2;
  }
  // Symbolic: clauses like o+w, a+rwx, ugo=rw (comma-separated).
  return mode.split(',').some((clause) => {
    const m = /^([ugoa]*)([-+=])([rwxXst]*)$/.exec(clause);
    if (!m) return false;
    const [, who, op, perms] = m;
    return op !== '-' && perms.includes('w') && (who.includes('o') || who.includes('a'));
  });
}

export default defineRule({
  id: 'world-writable',
  severity: 'warning',
  summary: 'Files are made writable by every user (chmod 777, o+w, --chmod=777).',
  rationale: `A world-writable file or directory in an image lets any process in the container,
whatever its user, replace programs, configuration or data: it undoes the point of running as a
non-root user. Give ownership to the user that needs to write (\`COPY --chown=app:app\`,
\`chown\`) and keep modes like 755/644.

Sticky directories such as \`chmod 1777 /tmp\` are the standard shared-temp pattern and are not
reported.`,
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
    const flag = (span: Span, mode: string) =>
      report({ span, message: `Mode ${mode} makes files writable by every user in the container. Give ownership to the user that writes instead.` });
    for (const s of model.stages) {
      for (const run of s.runs) {
        for (const c of run.commands) {
          const e = unwrap(c);
          if (commandName(e.argv) !== 'chmod') continue;
          // chmod [-R -v -c -f -h --long-options] MODE FILE…
          const mode = e.argv.slice(1).find((w) => !/^-[Rvcfh]+$/.test(w.value) && !w.value.startsWith('--'));
          if (mode && !mode.dynamic && isWorldWritable(mode.value)) flag({ start: mode.start, end: mode.end }, mode.value);
        }
      }
      for (const c of s.copies) {
        const f = c.instr.flags.find((x) => x.name.toLowerCase() === 'chmod');
        if (f?.value && isWorldWritable(f.value)) flag(f.span, f.value);
      }
    }
  },
});
