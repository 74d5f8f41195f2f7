import { defineRule, type Fix } from '../engine/rule';
import { EditBuilder } from '../engine/edits';
import type { CommandArgs, DockerfileModel } from '../model/model';
import { execFormOf } from '../fixes/execForm';
import { parseShell } from '../model/shell';
import { familyOf } from '../model/images';
import type { Stage } from '../model/model';

/** Releases whose /bin/sh is dash before 0.5.11 (it keeps a single command as its child). */
const OLD_DASH = /(^|[^a-z])(focal|bionic|xenial|trusty|buster|stretch|jessie|20\.04|18\.04|16\.04)([^a-z0-9]|$)/;

/**
 * What the stage's /bin/sh does with a single command: runs it in its place ('exec': BusyBox on
 * Alpine, dash 0.5.11+ on Debian 11+ and Ubuntu 22.04+), keeps it as a child ('child': older dash),
 * or unknown (an image the tool does not know).
 */
function singleCommand(stage: Stage): 'exec' | 'child' | 'unknown' {
  const family = familyOf(stage);
  const tag = `${stage.rootImage?.repository ?? ''}:${stage.rootImage?.tag ?? ''}`;
  if (family === 'debian') return OLD_DASH.test(tag) || /^library\/(debian:(9|10)|ubuntu:(1[0-9]|20)\.)/.test(tag) ? 'child' : 'exec';
  if (family === 'alpine') return 'exec';
  return 'unknown';
}

/** The exec-form fix for a shell-form command, when it needs no shell. */
function execFormFix(model: DockerfileModel, command: CommandArgs): Fix[] {
  const exec = execFormOf(model, command);
  if (!exec) return [];
  return [
    {
      title: `Use the exec form: ${exec}`,
      kind: 'safe',
      preferred: true,
      edits: () => new EditBuilder(model).replace(command.span, exec).build(),
    },
  ];
}

export default defineRule({
  id: 'shell-form-cmd',
  severity: 'info',
  summary: 'CMD or ENTRYPOINT in shell form.',
  rationale: `Shell form (\`CMD node server.js\`) runs \`/bin/sh -c "node server.js"\`. Whether the
program then gets \`docker stop\`'s SIGTERM depends on the image's shell: bash, dash 0.5.11 and later
(Debian 11+, Ubuntu 22.04+) and BusyBox (Alpine) run a single command in place of themselves, but an
older shell, or dash running several commands (bash runs the last of them in its place), stays PID 1
and does not forward the signal: the
program is killed after the 10 s grace period, without a clean shutdown. The exec form,
\`CMD ["node", "server.js"]\`, does not depend on the shell; a JSON array with single quotes is not
exec form. A shell-form ENTRYPOINT also ignores CMD and \`docker run\` arguments, whatever the shell.

Where the tool knows the image's shell, it says what happens: a single command on Alpine, Debian 11+
or Ubuntu 22.04+ (and the official images built on them) gets the signal, and a CMD of one command
there is not reported; on Debian 10, Ubuntu 20.04 and older it does not. hadolint (DL3025) and
Docker's build checks (JSONArgsRecommended) report every shell-form command; this rule only those
where the signal is lost, or may be.

A command that needs the shell (it expands \`\${VARIABLES}\`) cannot simply become exec form: the
message then says to start the program with \`exec\`, which makes it replace the shell. A CMD that
already does (\`CMD exec node server.js\`, \`CMD exec sh -c '…'\`) is not reported.

Not reported in stages that set SHELL (the shell is then chosen on purpose), or in scratch stages
without a shell, where \`scratch-shell-form\` reports the error.`,
  equivalents: { hadolint: ['DL3025'], buildkit: ['JSONArgsRecommended'] },
  examples: {
    invalid: [
      `FROM node:18-buster
CMD node server.js
#   ^^^^^^^^^^^^^^ shell-form-cmd
`,
      `FROM python:3.8-slim-buster
ENTRYPOINT ['python', 'app.py']
#          ^^^^^^^^^^^^^^^^^^^^ shell-form-cmd
`,
    ],
    fixes: [
      {
        before: `FROM node:18-buster\nCMD node server.js --port 8080\n`,
        after: `FROM node:18-buster\nCMD ["node", "server.js", "--port", "8080"]\n`,
      },
      {
        before: `FROM python:3.8-slim-buster\nENTRYPOINT ['python', 'app.py']\n`,
        after: `FROM python:3.8-slim-buster\nENTRYPOINT ["python", "app.py"]\n`,
      },
      {
        before: `FROM node:18-buster\nENTRYPOINT exec node "my server.js"\n`,
        after: `FROM node:18-buster\nENTRYPOINT ["node", "my server.js"]\n`,
      },
    ],
    valid: [
      `FROM node:22-alpine
CMD ["node", "server.js"]
`,
      `FROM mcr.microsoft.com/windows/servercore:ltsc2022
SHELL ["powershell", "-Command"]
CMD Start-Service w3svc
`,
    ],
  },
  check({ model, report }) {
    for (const s of model.stages) {
      if (s.shellInstr || s.lacksShell) continue;
      // A template's placeholder (`FROM BASEIMAGE`, replaced by the build): nothing is known of its shell,
      // not even whether it has one.
      if (s.root.kind === 'unknown' && s.base.kind === 'unknown') continue;
      for (const c of s.commands) {
        if (c.instr.keyword === 'HEALTHCHECK' || !c.command || c.command.form !== 'shell') continue;
        if (c.command.span.end <= c.command.span.start) continue;
        const kw = c.instr.keyword;
        const exec = execFormOf(model, c.command);
        const script = c.command.shell ? parseShell(c.command.shell).commands : [];
        const single = script.length === 1;
        const startsWithExec = script[0]?.argv[0]?.value === 'exec';
        // `CMD exec …`: the program replaces the shell and gets the signals.
        if (startsWithExec && kw === 'CMD') continue;
        // A single command under a shell that runs it in its place gets the signals too.
        const shell = single && !c.command.invalidJson ? singleCommand(s) : 'unknown';
        if (shell === 'exec' && (kw === 'CMD' || !exec)) continue;
        const signals =
          startsWithExec || shell === 'exec'
            ? ''
            : shell === 'child'
              ? `: the image's shell (dash before 0.5.11) keeps the program as its child, so it does not get SIGTERM on docker stop`
              : single
                ? ": whether the program gets SIGTERM on docker stop depends on the image's shell (bash, dash 0.5.11+ and BusyBox run a single command in its place; older shells keep it as a child that never sees the signal)"
                : ': the shell runs several commands, and unless it runs the last one in its place (bash does, dash does not) it stays PID 1, so the program does not get SIGTERM on docker stop';
        const args = kw === 'ENTRYPOINT' ? `${signals ? ', and' : ':'} CMD and docker run arguments are ignored` : '';
        const advice = exec
          ? `Use the exec form, ${kw} ["executable", "arg"].`
          : startsWithExec
            ? `Use the exec form if the program needs no shell.`
            : single
              ? `It needs the shell (variables or shell syntax), so start the program with exec: ${kw} exec …`
              : `It needs the shell (several commands), so start the last one with exec: … && exec <program>`;
        if (c.command.invalidJson) {
          // `CMD ['app']`: the shell is asked to run a command named `[app]`, which does not exist.
          report({
            span: c.command.span,
            message: `${kw} is not valid JSON (strings need double quotes), so it runs in shell form: /bin/sh -c is given the text as a command, which is not a program, and the container does not start. Use the exec form with double quotes, ${kw} ["executable", "arg"].`,
            fixes: execFormFix(model, c.command),
          });
          continue;
        }
        report({
          span: c.command.span,
          message: `${kw} runs in shell form, under /bin/sh -c${signals}${args}. ${advice}`,
          fixes: execFormFix(model, c.command),
        });
      }
    }
  },
});
