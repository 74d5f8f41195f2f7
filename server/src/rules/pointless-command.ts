import { defineRule } from '../engine/rule';
import { commandName, unwrap } from '../model/shell';

/** Commands for a running machine or a person at a terminal, with what they do in a build step. */
const POINTLESS: Record<string, string> = {
  ssh: 'opens a remote session, which a build step cannot answer',
  vim: 'is an interactive editor: a build step has no one to type',
  vi: 'is an interactive editor: a build step has no one to type',
  nano: 'is an interactive editor: a build step has no one to type',
  top: 'shows processes to a person watching',
  htop: 'shows processes to a person watching',
  free: 'shows the build machine’s memory, not the container’s',
  shutdown: 'cannot shut a build step down',
  reboot: 'cannot reboot a build step',
  ifconfig: 'shows or sets the build step’s network, which is gone when the step ends',
  mount: 'needs privileges a build step does not have, and its mounts end with the step',
};

export default defineRule({
  id: 'pointless-command',
  severity: 'info',
  summary: 'A RUN runs a command meant for a live machine or a person (vim, top, ssh, shutdown…).',
  rationale: `Each RUN is one build step in a throw-away container without a terminal: an editor waits for
keys that never come, \`top\` and \`free\` show the build machine, \`shutdown\` and \`mount\` need a
machine and privileges the step does not have, and whatever they change is gone when the step ends.
Such a command is left over from an interactive session; remove it, or do what it was for with
instructions (\`COPY\` a prepared file instead of editing it, a \`--mount\` flag instead of mount).

\`service\`, \`ps\` and \`kill\` are not reported: a script may start a database for one step to load
data, then stop it.`,
  equivalents: { hadolint: ['DL3001'] },
  differences: 'hadolint (DL3001) also reports `service`, `ps` and `kill`, which a build step may use to run a server for the step.',
  examples: {
    invalid: [
      `FROM debian:12
RUN apt-get update && apt-get install -y vim && vim /etc/app.conf
#                                               ^^^ pointless-command
`,
    ],
    valid: [
      `FROM debian:12
COPY app.conf /etc/app.conf
RUN apt-get update && apt-get install -y --no-install-recommends openssh-client && rm -rf /var/lib/apt/lists/*
`,
    ],
  },
  check({ model, report }) {
    for (const s of model.stages) {
      for (const run of s.runs) {
        for (const c of run.commands) {
          const argv = unwrap(c).argv;
          const name = commandName(argv);
          if (!name || !(name in POINTLESS) || (name === 'ssh' && argv.length > 2)) continue;
          const word = argv.find((w) => commandName([w]) === name)!;
          report({ span: { start: word.start, end: word.end }, message: `${name} ${POINTLESS[name]}: remove it from the build.` });
        }
      }
    }
  },
});
