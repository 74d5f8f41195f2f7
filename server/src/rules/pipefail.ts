import { defineRule, type Fix } from '../engine/rule';
import { EditBuilder, keyword } from '../engine/edits';
import { familyOf } from '../model/images';
import { commandName, unwrap, type SimpleCommand, type Word } from '../model/shell';
import type { DockerfileModel, Instr, RunInfo, Stage } from '../model/model';

/** Shells that know `-o pipefail` wherever they are installed. */
const PIPEFAIL_SHELLS = new Set(['bash', 'zsh', 'ash', 'ksh', 'mksh', 'ksh93']);
/**
 * Commands whose failure in front of a pipe means nothing: echo and printf of a checksum into
 * `sha256sum -c` cannot fail, and `yes` always dies of SIGPIPE (pipefail would fail the pipeline).
 */
const HARMLESS_FEEDERS = new Set(['echo', 'printf', 'yes', 'true', ':']);
/**
 * Commands whose failure before a pipe leaves a build that looks fine: a download (the next command
 * reads a partial file or an error page) or an integrity check. Pipes from them are warnings; other
 * pipes (listing files, reading text) are reported as info.
 */
const CRITICAL_FEEDERS = new Set(['curl', 'wget', 'sha1sum', 'sha256sum', 'sha512sum', 'md5sum', 'gpg', 'gpgv', 'cosign']);
/** Shells whose pipelines do not work this way: PowerShell, cmd. */
const NON_POSIX = new Set(['pwsh', 'pwsh-preview', 'powershell', 'cmd']);

type ShellKind = 'pipefail' | 'plain' | 'sh-pipefail' | 'other';

export default defineRule({
  id: 'pipefail',
  severity: 'warning',
  summary: 'RUN with a pipe, without pipefail: a failing command before the pipe does not fail the build.',
  rationale: `A pipeline's exit status is that of its last command: in \`curl -fsSL $URL | tar -xz\` a failed
download gives tar an empty input, and when tar is satisfied the step succeeds and the build goes on
with what is missing. With \`pipefail\` the pipeline fails when any of its commands fails.

Set it for every RUN with \`SHELL ["/bin/bash", "-o", "pipefail", "-c"]\` (where the image has bash;
zsh, ash and ksh know the option too), or in the RUN with \`set -o pipefail\` before the pipe.
\`/bin/sh -o pipefail\` counts on Alpine and Red Hat-family images, whose /bin/sh knows the option;
Debian's dash did not (it rejects the option).

A pipe from a download (curl, wget) or an integrity check (sha256sum, gpg…) is a warning: its
failure leaves a build that looks fine. Other pipes (listing files, filtering text) are reported as
info.

The fix is a suggestion, offered on Debian, Ubuntu and Red Hat-family images, which have bash: SHELL
changes the shell of every later RUN of the stage (and the stages built on it).`,
  differences: `hadolint (DL4006) forgets the SHELL at each FROM; this rule, like the builder, keeps the SHELL
of the stage a stage is built on. It also counts \`set -o pipefail\` in the RUN, \`/bin/sh -o pipefail\` on
Alpine and Red Hat-family images (whose /bin/sh knows it), and skips Windows images, whose default
shell is cmd.`,
  equivalents: { hadolint: ['DL4006'] },
  examples: {
    invalid: [
      `FROM debian:12
RUN curl -fsSL https://example.com/app.tar.gz | tar -xz -C /opt
#   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ pipefail
`,
    ],
    fixes: [
      {
        before: `FROM debian:12\nRUN curl -fsSL https://example.com/app.tar.gz | tar -xz -C /opt\n`,
        after: `FROM debian:12\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\nRUN curl -fsSL https://example.com/app.tar.gz | tar -xz -C /opt\n`,
      },
    ],
    valid: [
      `FROM debian:12
SHELL ["/bin/bash", "-eo", "pipefail", "-c"]
RUN curl -fsSL https://example.com/app.tar.gz | tar -xz -C /opt
`,
      `FROM alpine:3.20
RUN set -euo pipefail && wget -qO- https://example.com/app.tar.gz | tar -xz -C /opt
`,
    ],
  },
  check({ model, report }) {
    for (const s of model.stages) {
      // Windows images run RUN with cmd unless a SHELL says otherwise.
      let shell: Instr | undefined = s.parent?.shellInstr;
      const runs = new Map(s.runs.filter((r) => !r.instr.onbuild).map((r) => [r.instr, r]));
      for (const instr of s.instructions) {
        if (instr.keyword === 'SHELL') shell = instr;
        const run = runs.get(instr);
        if (!run) continue;
        const kind = run.command.form === 'exec' ? execKind(s, run) : shellKind(model, s, shell);
        if (kind === 'pipefail' || kind === 'other') continue;
        const pipe = unguardedPipe(model, run.commands);
        if (!pipe) continue;
        const fixable = kind === 'plain' && !shell && run.command.form === 'shell' && bashFamily(s);
        report({
          span: { start: pipe.first.start, end: pipe.last.end },
          severity: pipe.critical ? undefined : 'info',
          message: `A pipe without pipefail${pipe.more ? ` (and ${pipe.more} more in this RUN)` : ''}: if a command before the last fails, the RUN still succeeds. ${
            kind === 'sh-pipefail'
              ? 'SHELL sets -o pipefail for /bin/sh, which is not known to support it on this base: use bash.'
              : familyOf(s) === 'alpine'
                ? 'Use SHELL ["/bin/sh", "-o", "pipefail", "-c"] (BusyBox ash knows it), or set -o pipefail in the RUN.'
                : familyOf(s) === 'debian'
                  ? 'Use SHELL ["/bin/bash", "-o", "pipefail", "-c"] (its /bin/sh, dash, does not know the option).'
                  : 'Use SHELL ["/bin/bash", "-o", "pipefail", "-c"] where the image has bash, or set -o pipefail in the RUN where its /bin/sh knows the option.'
          }`,
          fixes: fixable ? [shellFix(model, instr)] : [],
        });
      }
    }
  },
});

function shellName(word: string): string {
  const name = word.replace(/\\/g, '/').split('/').pop() ?? '';
  return name.toLowerCase().replace(/\.exe$/, '');
}

/** Whether a shell's options (before `-c`) set pipefail: `-o pipefail`, `-eo pipefail`, `-o errexit -o pipefail`. */
function setsPipefail(options: string[]): boolean {
  return options.some((o, k) => /^-[a-zA-Z]*o$/.test(o) && options[k + 1] === 'pipefail');
}

function classify(s: Stage, argv: string[]): ShellKind {
  if (!argv.length) return 'other';
  const name = shellName(argv[0]);
  if (NON_POSIX.has(name)) return 'other';
  if (!setsPipefail(argv.slice(1))) return 'plain';
  if (PIPEFAIL_SHELLS.has(name)) return 'pipefail';
  if (name === 'sh') {
    // Alpine's /bin/sh is BusyBox ash and Red Hat's is bash: both know pipefail. Debian's dash did not.
    const family = familyOf(s);
    return family === 'alpine' || family === 'rhel' ? 'pipefail' : 'sh-pipefail';
  }
  return 'plain';
}

/** The shell a shell-form RUN runs in: the SHELL in effect, else /bin/sh (cmd on Windows). */
function shellKind(model: DockerfileModel, s: Stage, shell: Instr | undefined): ShellKind {
  if (!shell) return familyOf(s) === 'windows' ? 'other' : 'plain';
  const args = model.commandArgs(shell);
  if (args.form !== 'exec' || !args.exec) return 'other';
  return classify(
    s,
    args.exec.map((j) => j.value),
  );
}

/** An exec-form RUN that runs a shell (`["bash", "-o", "pipefail", "-c", "a | b"]`). */
function execKind(s: Stage, run: RunInfo): ShellKind {
  if (!run.script || !run.command.exec) return 'other';
  const words = run.command.exec.map((j) => j.value);
  const c = words.findIndex((w) => /^-[a-zA-Z]*c$/.test(w));
  return classify(s, c > 0 ? words.slice(0, c) : words);
}

/** Whether `set` turns pipefail on (true), off (false), or does not touch it (undefined). */
function setPipefail(argv: Word[]): boolean | undefined {
  let result: boolean | undefined;
  for (let k = 1; k + 1 < argv.length; k++) {
    if (argv[k + 1].value !== 'pipefail') continue;
    if (/^-[a-zA-Z]*o$/.test(argv[k].value)) result = true;
    else if (/^\+[a-zA-Z]*o$/.test(argv[k].value)) result = false;
  }
  return result;
}

/** The first pipeline that runs without `set -o pipefail` before it, and how many more follow. */
function unguardedPipe(
  model: DockerfileModel,
  commands: SimpleCommand[],
): { first: SimpleCommand; last: SimpleCommand; more: number; critical: boolean } | undefined {
  // Where `set` turns pipefail on or off, in the order the commands run.
  const state: boolean[] = [];
  let on = false;
  for (const c of commands) {
    if (c.after !== '|' && commandName(unwrap(c).argv) === 'set') on = setPipefail(unwrap(c).argv) ?? on;
    state.push(on);
  }
  const unguarded = pipelines(commands).filter((p) => !state[p.first] && !tested(model, commands, p));
  if (!unguarded.length) return undefined;
  const isCritical = (p: { first: number; last: number }) =>
    commands.slice(p.first, p.last).some((c) => CRITICAL_FEEDERS.has(commandName(unwrap(c).argv) ?? ''));
  const shown = unguarded.find(isCritical) ?? unguarded[0];
  return { first: commands[shown.first], last: commands[shown.last], more: unguarded.length - 1, critical: isCritical(shown) };
}

/**
 * A pipeline whose status is a test (`if a | grep -q x`, `! { ldd … | grep 'not found'; }`) or is
 * ignored (`a | b || true`): pipefail would change what the test means, and a failure is not missed.
 */
function tested(model: DockerfileModel, commands: SimpleCommand[], p: { first: number; last: number }): boolean {
  const first = commands[p.first];
  if (['if', 'elif', 'while', 'until'].includes(first.after)) return true;
  const before = model.text.slice(Math.max(0, first.start - 16), first.start);
  if (/(^|[\s;&|({])!\s*(\{\s*)?$/.test(before)) return true;
  const next = commands[p.last + 1];
  return !!next && next.after === '||' && /^(true|:)$/.test(commandName(unwrap(next).argv) ?? '');
}

/** Pipelines (first and last command) in which some command before the last can fail. */
function pipelines(commands: SimpleCommand[]): { first: number; last: number }[] {
  const out: { first: number; last: number }[] = [];
  const pattern = casePatterns(commands);
  for (let k = 1; k < commands.length; k++) {
    if (commands[k].after !== '|' || pattern[k]) continue;
    if (commands[k - 1].after === '|') out[out.length - 1].last = k;
    else out.push({ first: k - 1, last: k });
  }
  return out.filter((p) => commands.slice(p.first, p.last).some((c) => !HARMLESS_FEEDERS.has(commandName(unwrap(c).argv) ?? '')));
}

/** Debian, Ubuntu and the Red Hat family ship bash in every image. */
function bashFamily(s: Stage): boolean {
  const family = familyOf(s);
  return family === 'debian' || family === 'rhel';
}

function shellFix(model: DockerfileModel, run: Instr): Fix {
  return {
    title: 'Run RUN steps with bash -o pipefail (SHELL; check the later RUNs of the stage under bash)',
    kind: 'suggestion',
    preferred: false,
    edits: () => {
      // Above the comments that belong to the RUN (a `# hadolint ignore=` among them stays on the RUN).
      const lines = model.lines;
      let line = lines.positionAt(run.span.start).line;
      while (line > 0 && /^\s*#/.test(lines.lineText(line - 1))) line--;
      const at = lines.lineStarts[line];
      return new EditBuilder(model).insertLinesBefore(at, [`${keyword(model, 'SHELL')} ["/bin/bash", "-o", "pipefail", "-c"]`]).build();
    },
  };
}

/**
 * The commands that are `case` patterns, as the shell reader reads them: in `case $a in x86_64|arm64) …`
 * the `|` between alternatives comes back as a pipe. A pattern starts after `in` or `;;`.
 */
function casePatterns(commands: SimpleCommand[]): boolean[] {
  const out: boolean[] = [];
  commands.forEach((c, k) => {
    const header = !!c.argv.length && c.argv[0].value === 'case' && !c.argv[0].quoted;
    if (header || c.after === ';;' || c.after === ';&' || c.after === ';;&') out.push(true);
    else if (c.after === '|' || c.after === '(') out.push(k > 0 && out[k - 1]);
    else out.push(false);
  });
  return out;
}
