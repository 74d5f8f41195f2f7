import { defineRule } from '../engine/rule';
import type { Instr, Stage } from '../model/model';
import { entrypointOf, type CommandLine } from '../model/entrypoint';
import { familyOf } from '../model/images';
import { basename } from '../model/paths';
import { commandName, type SimpleCommand } from '../model/shell';
import { expandWord } from '../model/variables';

/** Linux signal names the runtime accepts (without `SIG`; any case; RTMIN+n and RTMAX-n too). */
const KNOWN = new Set(
  (
    'ABRT ALRM BUS CHLD CLD CONT FPE HUP ILL INT IO IOT KILL PIPE POLL PROF PWR QUIT SEGV STKFLT STOP ' +
    'SYS TERM TRAP TSTP TTIN TTOU UNUSED URG USR1 USR2 VTALRM WINCH XCPU XFSZ RTMIN RTMAX'
  ).split(' '),
);
/** Signals whose default action is not to end the process, by name, and their numbers on Linux (x86, Arm). */
const NO_STOP: Record<string, { number: number; what: string }> = {
  CHLD: { number: 17, what: 'is ignored by default (it tells a parent that a child process changed state)' },
  CONT: { number: 18, what: 'is ignored by default (it resumes a stopped process)' },
  URG: { number: 23, what: 'is ignored by default (urgent socket data; the Go runtime uses it internally)' },
  STOP: { number: 19, what: 'suspends the process and cannot be handled, so the program never shuts down' },
};

/** The signal of a STOPSIGNAL: its canonical name (without SIG) or number, as the runtime reads it. */
function readSignal(value: string): { name?: string; number?: number; invalid?: boolean } {
  if (/^-?\d+$/.test(value)) {
    const n = Number(value);
    const name = Object.keys(NO_STOP).find((k) => NO_STOP[k].number === n);
    return n === 0 ? { invalid: true } : { number: n, name };
  }
  const name = value.toUpperCase().replace(/^SIG/, '');
  if (name === 'CLD') return { name: 'CHLD' };
  if (KNOWN.has(name) || /^RTMIN\+([1-9]|1[0-5])$/.test(name) || /^RTMAX-([1-9]|1[0-4])$/.test(name)) return { name };
  return { invalid: true };
}

/** The stage's STOPSIGNAL: the last of its chain. */
function stopSignalOf(stage: Stage): Instr | undefined {
  for (const s of stage.chain) {
    const found = s.instructions.filter((i) => i.keyword === 'STOPSIGNAL' && !i.onbuild);
    if (found.length) return found[found.length - 1];
  }
  return undefined;
}

/**
 * The shell script PID 1 runs and stays to wait for, where the tool knows it does: dash (/bin/sh on
 * Debian and Ubuntu, not relinked by a RUN) running several commands, none of them `exec`, no `trap`.
 * `shellForm`: the command is in shell form (shell-form-cmd reports that command already).
 */
function stayingShell(stage: Stage): { line: CommandLine; shellForm: boolean } | undefined {
  const entry = entrypointOf(stage);
  let line = entry.entrypoint;
  if (!line && (entry.image || entry.unknown)) return undefined;
  line ??= entry.cmd;
  if (!line?.script || line.command.invalidJson) return undefined;
  const shellForm = line.command.form === 'shell';
  if (shellForm && stage.shellInstr) return undefined;
  const shell = shellForm ? 'sh' : basename(line.words?.[0] ?? '');
  if ((shell !== 'sh' && shell !== 'dash') || familyOf(stage) !== 'debian') return undefined;
  const relinked = stage.chain.some((s) =>
    s.runs.some((r) => r.commands.some((c) => commandName(c.argv) === 'ln' && c.argv.some((w) => w.value === '/bin/sh'))),
  );
  if (relinked) return undefined;
  const commands: SimpleCommand[] = line.script.commands;
  if (commands.length < 2) return undefined;
  if (commands.some((c) => c.argv[0]?.value === 'exec' || c.argv[0]?.value === 'trap')) return undefined;
  return { line, shellForm };
}

export default defineRule({
  id: 'stopsignal-ignored',
  severity: 'warning',
  summary: 'The stop signal never reaches the program, or cannot stop it.',
  rationale: `\`docker stop\` (and Kubernetes) sends the image's stop signal (\`STOPSIGNAL\`, SIGTERM by default) to
PID 1, waits for the grace period (10 s by default) and then kills the container. The signal is
wasted when:

- PID 1 is a shell that runs several commands and stays to wait for them: \`CMD ["sh", "-c",
  "migrate && serve"]\`. The kernel gives PID 1 only the signals it has a handler for, dash has none
  without a \`trap\`, and it does not pass the signal on: the program is killed at the end of the grace
  period, without a clean shutdown. Reported where the tool knows the shell: \`/bin/sh\` on Debian and
  Ubuntu images (dash, which stays even for the last command of \`a && b\` or \`a; b\`). Not where the
  last step starts with \`exec\`, where the script sets a \`trap\`, where \`bash -c\` runs it (bash 5
  runs the last command of such a list in its place), on Alpine (BusyBox) or an image the tool does
  not know, or where an ENTRYPOINT the tool does not see may wrap the command. A shell-form CMD or
  ENTRYPOINT with several commands is already reported by \`shell-form-cmd\`: this rule then reports
  only an explicit STOPSIGNAL, the signal chosen for a program that will not get it.
- The signal does not end a process: SIGCHLD, SIGCONT and SIGURG are ignored by default, SIGSTOP
  suspends. (SIGWINCH is ignored by default too, but Apache httpd stops gracefully on it, and its
  official image sets it: not reported.)
- The name is not a signal (\`STOPSIGNAL SIGTRM\`, \`0\`): the builder rejects it and the stage does
  not build. The runtime reads names in any case and with or without \`SIG\`, so \`sigterm\` is fine.

Checked in the stage that ships (the signal and PID 1 only matter to the running container), and
for names, in every stage.`,
  equivalents: {},
  examples: {
    invalid: [
      `FROM python:3.12-slim
STOPSIGNAL SIGINT
#          ^^^^^^ stopsignal-ignored
CMD python manage.py migrate && gunicorn app:app
`,
      `FROM python:3.12-slim
CMD ["sh", "-c", "python manage.py migrate && gunicorn app:app"]
#   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ stopsignal-ignored
`,
      `FROM nginx:1.27
STOPSIGNAL SIGCONT
#          ^^^^^^^ stopsignal-ignored
`,
    ],
    valid: [
      `FROM python:3.12-slim
STOPSIGNAL SIGINT
CMD ["sh", "-c", "python manage.py migrate && exec gunicorn app:app"]
`,
      `FROM httpd:2.4
STOPSIGNAL SIGWINCH
`,
    ],
  },
  check({ model, report }) {
    // Names the builder rejects, in every stage.
    const values = new Map<Instr, string>();
    for (const instr of model.instructions) {
      if (instr.keyword !== 'STOPSIGNAL') continue;
      const args = model.argumentsOf(instr);
      const raw = args.text.trim();
      if (!raw) continue;
      const lead = args.text.length - args.text.trimStart().length;
      const span = { start: args.at(lead), end: args.at(lead) + raw.length };
      const value = raw.includes('$') ? expandWord(raw, instr.scope ?? new Map(), model.escapeChar) : raw;
      if (value === undefined || /\s/.test(value)) continue;
      values.set(instr, value);
      if (readSignal(value).invalid)
        report({
          span,
          message: `STOPSIGNAL ${value} is not a signal: the builder rejects it and the stage does not build. Write a signal name (SIGTERM, SIGINT, SIGQUIT…) or number.`,
        });
    }
    const stage = model.shipped;
    if (!stage || familyOf(stage) === 'windows') return;
    const instr = stopSignalOf(stage);
    const value = instr ? values.get(instr) : undefined;
    const sig = value !== undefined ? readSignal(value) : undefined;
    const args = instr ? model.argumentsOf(instr) : undefined;
    const lead = args ? args.text.length - args.text.trimStart().length : 0;
    const sigSpan = args ? { start: args.at(lead), end: args.at(lead) + args.text.trim().length } : undefined;
    if (sig?.name && NO_STOP[sig.name] && sigSpan) {
      report({
        span: sigSpan,
        message: `STOPSIGNAL ${value}: SIG${sig.name} ${NO_STOP[sig.name].what}, so unless the program treats it as a stop request, docker stop waits out the grace period and kills the container. Use the signal the program shuts down on (SIGTERM, SIGINT, SIGQUIT…).`,
      });
      return;
    }
    if (instr && (value === undefined || sig?.invalid || sig?.name === 'KILL' || sig?.number === 9)) return;
    const staying = stayingShell(stage);
    if (!staying) return;
    const kw = staying.line.instr.keyword;
    const line = model.lines.positionAt(staying.line.instr.span.start).line + 1;
    const what = `PID 1 is /bin/sh (dash) running several commands from ${kw} (line ${line}); it has no handler for the signal and does not pass it on, so the program never gets it and is killed after the grace period, without a clean shutdown`;
    const advice = `Start the last command with exec (… && exec <program>), or use an init such as tini.`;
    if (instr && sigSpan) report({ span: sigSpan, message: `STOPSIGNAL ${value} will not reach the program: ${what}. ${advice}` });
    else if (!staying.shellForm)
      report({
        span: staying.line.command.span,
        message: `docker stop's signal (SIGTERM unless the base image sets another) will not reach the program: ${what}. ${advice}`,
      });
  },
});
