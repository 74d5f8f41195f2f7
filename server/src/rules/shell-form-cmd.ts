import { defineRule, type Fix } from '../engine/rule';
import { EditBuilder } from '../engine/edits';
import type { CommandArgs, DockerfileModel } from '../model/model';
import { execFormOf } from '../fixes/execForm';

/** The exec-form fix for a shell-form command, when it needs no shell. */
function execFormFix(model: DockerfileModel, command: CommandArgs): Fix[] {
  const exec = execFormOf(model, command);
  if (!exec) return [];
  return [{ title: `Use the exec form: ${exec}`, kind: 'safe', preferred: true, edits: () => new EditBuilder(model).replace(command.span, exec).build() }];
}


export default defineRule({
  id: 'shell-form-cmd',
  severity: 'info',
  summary: 'CMD or ENTRYPOINT in shell form.',
  rationale: `Shell form (\`CMD node server.js\`) runs the program as a child of \`/bin/sh -c\`. The
shell is PID 1 and does not forward signals: \`docker stop\` sends SIGTERM to the shell, the program
never sees it, and it is killed after the 10 s grace period, without a clean shutdown. A shell-form
ENTRYPOINT also ignores CMD and \`docker run\` arguments. Use the exec form,
\`CMD ["node", "server.js"]\`; a JSON array with single quotes is not exec form.

Not reported in stages that set SHELL (the shell is then chosen on purpose), or in scratch stages
without a shell, where \`scratch-shell-form\` reports the error.`,
  equivalents: { hadolint: ['DL3025'], buildkit: ['JSONArgsRecommended'] },
  examples: {
    invalid: [
      `FROM node:22-alpine
CMD node server.js
#   ^^^^^^^^^^^^^^ shell-form-cmd
`,
      `FROM python:3.12-slim
ENTRYPOINT ['python', 'app.py']
#          ^^^^^^^^^^^^^^^^^^^^ shell-form-cmd
`,
    ],
    fixes: [
      { before: `FROM node:22-alpine\nCMD node server.js --port 8080\n`, after: `FROM node:22-alpine\nCMD ["node", "server.js", "--port", "8080"]\n` },
      { before: `FROM python:3.12-slim\nENTRYPOINT ['python', 'app.py']\n`, after: `FROM python:3.12-slim\nENTRYPOINT ["python", "app.py"]\n` },
      { before: `FROM node:22-alpine\nCMD exec node "my server.js"\n`, after: `FROM node:22-alpine\nCMD ["node", "my server.js"]\n` },
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
      for (const c of s.commands) {
        if (c.instr.keyword === 'HEALTHCHECK' || !c.command || c.command.form !== 'shell') continue;
        if (c.command.span.end <= c.command.span.start) continue;
        const kw = c.instr.keyword;
        const json = c.command.invalidJson ? ' is not valid JSON (strings need double quotes), so it' : '';
        const extra = kw === 'ENTRYPOINT' ? ', and CMD and docker run arguments are ignored' : '';
        report({
          span: c.command.span,
          message: `${kw}${json} runs in shell form, under /bin/sh -c: the program does not get SIGTERM on docker stop${extra}. Use the exec form, ${kw} ["executable", "arg"].`,
          fixes: execFormFix(model, c.command),
        });
      }
    }
  },
});
