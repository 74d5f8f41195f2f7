import { defineRule, type Fix } from '../engine/rule';
import { EditBuilder } from '../engine/edits';
import { commandName, unwrap } from '../model/shell';
import type { DockerfileModel, RunInfo } from '../model/model';

/** Commands that change the shell's state for the commands after them: joined, they would change what the next one does. */
const STATEFUL = new Set([
  'cd',
  'pushd',
  'popd',
  'export',
  'unset',
  'set',
  'shopt',
  'source',
  '.',
  'umask',
  'ulimit',
  'alias',
  'trap',
  'exec',
  'eval',
  'readonly',
  'declare',
  'typeset',
  'local',
]);

export default defineRule({
  id: 'consecutive-run',
  severity: 'info',
  enabled: false,
  summary: 'Consecutive RUN instructions of one command each: one RUN would make one layer.',
  rationale: `Every RUN makes a layer. Two RUNs in a row that each run one command can be one RUN, joined
with \`&&\`: one layer, one cache entry, and files deleted in the same step never reach the image.
RUNs that already chain several commands, or that mount different things (\`--mount\`, \`--network\`),
are left as they are: they are likely split on purpose, to cache a slow step apart.

The fix joins the second RUN to the first with \` && \\\` (a failure still stops the build, as it did
between two RUNs). It is a suggestion: the layers, and what the build cache reuses, change. It is not
offered where the first command changes the shell's state (\`cd\`, \`export\`, \`set\`…), which would then
carry over into the second.

**Off by default:** splitting RUNs to cache steps apart is often deliberate.`,
  equivalents: { hadolint: ['DL3059'] },
  examples: {
    invalid: [
      `FROM debian:12
RUN apt-get update
RUN apt-get install -y --no-install-recommends curl
^^^ consecutive-run
`,
    ],
    fixes: [
      {
        before: `FROM debian:12\nRUN apt-get update\nRUN apt-get install -y --no-install-recommends curl\n`,
        after: `FROM debian:12\nRUN apt-get update && \\\n    apt-get install -y --no-install-recommends curl\n`,
      },
    ],
    valid: [
      `FROM debian:12
RUN apt-get update && apt-get install -y --no-install-recommends curl
RUN --mount=type=cache,target=/root/.cache pip install -r requirements.txt
WORKDIR /app
RUN ./configure
`,
    ],
  },
  check({ model, report }) {
    for (const s of model.stages) {
      const runs = new Map(s.runs.filter((r) => !r.instr.onbuild).map((r) => [r.instr, r]));
      let prev: RunInfo | undefined;
      for (const instr of s.instructions) {
        const run = runs.get(instr);
        const simple = run && singleCommand(run) ? run : undefined;
        if (simple && prev && sameFlags(model, prev, simple)) {
          report({
            span: instr.keywordSpan,
            message: 'This RUN and the one before each run one command: join them into one RUN (one layer) with &&.',
            fixes: joinFix(model, prev, simple),
          });
        }
        prev = simple;
      }
    }
  },
});

/** A RUN of a single command: one shell-form command with no heredoc, or an exec-form command. */
function singleCommand(run: RunInfo): boolean {
  if (run.command.form === 'exec') return !run.script || run.commands.length === 1;
  return run.commands.length === 1 && !run.commands[0].redirects.some((r) => r.heredoc);
}

/** The flags as written, in order of name (`--mount=type=secret,id=a` differs from `id=b`). */
function flagKey(model: DockerfileModel, run: RunInfo): string {
  return run.instr.flags
    .map((f) => model.text.slice(f.span.start, f.span.end))
    .sort()
    .join(' ');
}

function sameFlags(model: DockerfileModel, a: RunInfo, b: RunInfo): boolean {
  return flagKey(model, a) === flagKey(model, b);
}

/** `RUN a` + `RUN b` → `RUN a && \` + `    b`, when both are shell form, next to each other, and `a` leaves no state behind. */
function joinFix(model: DockerfileModel, a: RunInfo, b: RunInfo): Fix[] {
  if (a.command.form !== 'shell' || b.command.form !== 'shell') return [];
  const first = a.commands[0];
  const name = commandName(unwrap(first).argv);
  if (!name || STATEFUL.has(name) || (first.assignments.length && !first.argv.length)) return [];
  const between = model.text.slice(a.instr.span.end, b.instr.span.start);
  // Only blank lines between (a comment there may be an ignore for the second RUN), and nothing in
  // the first RUN that would swallow the second: a `#` comment, a trailing `&` or `;`.
  if (!/^[ \t]*(\r?\n[ \t]*)+$/.test(between)) return [];
  const aText = model.text.slice(a.command.span.start, a.command.span.end);
  if (/#|[&;|\\`]\s*$/.test(aText)) return [];
  const esc = model.escapeChar;
  return [
    {
      title: 'Join with the RUN before (one layer)',
      kind: 'suggestion',
      preferred: false,
      edits: () => {
        const eol = new EditBuilder(model).eol;
        return new EditBuilder(model).replace({ start: a.command.span.end, end: b.command.span.start }, ` && ${esc}${eol}    `).build();
      },
    },
  ];
}
