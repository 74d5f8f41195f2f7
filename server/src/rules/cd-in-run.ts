import { defineRule } from '../engine/rule';
import { commandName, unwrap } from '../model/shell';

export default defineRule({
  id: 'cd-in-run',
  severity: 'info',
  enabled: false,
  summary: 'A RUN that starts with cd: WORKDIR says where steps run.',
  rationale: `\`RUN cd /src && make\` hides the directory inside a command, and the next RUN starts back where it
was. \`WORKDIR /src\` sets it for the steps that follow, creates it if needed, and shows where the
build happens.

Only a RUN that starts with \`cd\` is reported: a \`cd\` later in a script (into an unpacked archive,
say) is part of what the script does. There is no automatic fix, since WORKDIR also changes where
later COPY, RUN and the container's command run.

**Off by default**: a matter of style that real Dockerfiles follow both ways.`,
  equivalents: { hadolint: ['DL3003'] },
  differences: 'hadolint (DL3003) reports every `cd`; this rule only one that starts a RUN.',
  examples: {
    invalid: [
      `FROM node:22
COPY . /src
RUN cd /src && npm ci
#   ^^ cd-in-run
`,
    ],
    valid: [
      `FROM node:22
WORKDIR /src
COPY . .
RUN npm ci && cd dist && ls
`,
    ],
  },
  check({ model, report }) {
    for (const s of model.stages) {
      for (const run of s.runs) {
        const first = run.commands[0];
        if (!first || first.depth > 0) continue;
        const argv = unwrap(first).argv;
        if (commandName(argv) !== 'cd' || argv.length < 2) continue;
        report({
          span: { start: argv[0].start, end: argv[0].end },
          message: `RUN starts with cd ${argv[1].value}: WORKDIR ${argv[1].value} would say where it runs (and where every later instruction and the container run).`,
        });
      }
    }
  },
});
