import { defineRule } from '../engine/rule';
import { commandName, unwrap } from '../model/shell';
import { familyOf } from '../model/images';

export default defineRule({
  id: 'shell-symlink',
  severity: 'warning',
  summary: 'RUN replaces /bin/sh with a symlink to another shell: use SHELL.',
  rationale: `\`ln -sf /bin/bash /bin/sh\` changes the shell of everything in the image that runs \`/bin/sh\`:
system scripts, package maintainer scripts and the programs' own \`system()\` calls, which were
written for the distribution's shell. To run the Dockerfile's RUN steps with bash, say so with
\`SHELL ["/bin/bash", "-c"]\`, which changes nothing else.

Checked on the distributions the tool knows (Debian, Ubuntu, Alpine, Red Hat and their kin): an
image without a /bin/sh, such as distroless \`:debug\` with BusyBox in /busybox, gets a shell from
the link rather than losing one, and is not reported.`,
  equivalents: { hadolint: ['DL4005'] },
  examples: {
    invalid: [
      `FROM debian:12
RUN ln -sfv /bin/bash /bin/sh
#   ^^^^^^^^^^^^^^^^^^^^^^^^^ shell-symlink
`,
    ],
    valid: [
      `FROM debian:12
SHELL ["/bin/bash", "-c"]
RUN ln -sf /bin/true /sbin/initctl && ln -s foo bar && echo /bin/sh
`,
    ],
  },
  check({ model, report }) {
    for (const s of model.stages) {
      // Only where the image has a /bin/sh to replace: a distribution the tool knows. In distroless
      // :debug or scratch the link gives a shell where there was none (as with SHELL ["/busybox/sh"]).
      const family = familyOf(s);
      if (family !== 'debian' && family !== 'alpine' && family !== 'rhel') continue;
      for (const run of s.runs) {
        for (const c of run.commands) {
          const argv = unwrap(c).argv;
          if (commandName(argv) !== 'ln' || argv.length < 3) continue;
          const options = argv.slice(1).filter((w) => w.value.startsWith('-'));
          const symbolic = options.some((w) => w.value === '--symbolic' || /^-[a-zA-Z]*s/.test(w.value));
          const target = argv[argv.length - 1];
          if (!symbolic || target.value !== '/bin/sh') continue;
          report({
            span: { start: argv[0].start, end: target.end },
            message: 'ln replaces /bin/sh for every program in the image: to run RUN steps with another shell, use SHELL.',
          });
        }
      }
    }
  },
});
