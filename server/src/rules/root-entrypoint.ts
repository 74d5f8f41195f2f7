import { defineRule } from '../engine/rule';
import { runtimeOf } from '../model/runtime';
import { visibleUser } from '../model/users';

export default defineRule({
  id: 'root-entrypoint',
  severity: 'info',
  summary: 'The container starts as root and its entrypoint steps down to another user.',
  rationale: `Many images start as root on purpose: the entrypoint fixes the ownership of a mounted data
directory, then steps down to a service user with \`gosu\`, \`su-exec\`, \`setpriv\`, \`s6-setuidgid\`,
\`chpst\`, \`runuser\`, \`su\` or \`sudo -u\` (the official postgres, redis, mysql and mongo images do).
The program then does not run as root, so [root-user](root-user.md) does not report it; but PID 1
does, until it steps down, and \`runAsNonRoot\` still refuses the image. Where the entrypoint does
not need root (the volume's ownership is set in the image, or by the orchestrator's \`fsGroup\`),
\`USER <that user>\` avoids root altogether, and the step-down becomes a no-op.

The rule reads the step-down in ENTRYPOINT or CMD (exec form, or \`sh -c\`), and in the entrypoint
script when the Dockerfile copies it from the build context or writes it in a heredoc. It names the
user (or says it comes from a variable). No edit is offered: whether the entrypoint's root steps can
go is for the author to decide.

Not reported when the step-down is in the base image's own entrypoint (the official postgres,
rabbitmq or redis images, linuxserver.io's): there the root steps (the ownership of mounted volumes,
PUID/PGID) are the publisher's design, which the Dockerfile does not change; judged on real files,
every such finding was true and of no use.`,
  equivalents: {},
  examples: {
    invalid: [
      `FROM debian:12-slim
RUN apt-get update && apt-get install -y --no-install-recommends gosu && rm -rf /var/lib/apt/lists/*
RUN useradd --system app
ENTRYPOINT ["gosu", "app", "/usr/local/bin/server"]
#          ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ root-entrypoint
`,
      `FROM alpine:3.20
RUN apk add --no-cache su-exec && adduser -D -u 10001 app
COPY --chmod=755 <<EOF /entrypoint.sh
#!/bin/sh
chown -R app /data
exec su-exec app "$@"
EOF
ENTRYPOINT ["/entrypoint.sh"]
#          ^^^^^^^^^^^^^^^^^^ root-entrypoint
CMD ["server"]
`,
    ],
    valid: [
      `FROM postgres:16
COPY init.sql /docker-entrypoint-initdb.d/
`,
      `FROM postgres:16
USER postgres
`,
      `FROM debian:12-slim
RUN useradd --system app
USER app
ENTRYPOINT ["/usr/local/bin/server"]
`,
    ],
  },
  check({ model, report }) {
    const s = model.shipped;
    if (!s || !s.isRunnable) return;
    const rt = runtimeOf(s);
    const down = rt.entry.stepDown;
    // The base image's own entrypoint steps down by its publisher's design: nothing here to change.
    if (!down || down.inImage || rt.user.root !== true || rt.role.kind !== 'service') return;
    const who = down.user === undefined ? 'a user it takes from a variable' : down.user.split(':')[0];
    const instr = rt.entry.programInstr;
    const command = instr ? s.chain.flatMap((st) => st.commands).find((c) => c.instr === instr)?.command : undefined;
    const span = command?.span ?? instr?.span ?? s.imageSpan ?? s.from.span;
    // Numeric where the uid is known: runAsNonRoot can only check a number.
    const known = down.user === undefined ? undefined : visibleUser(model, s, who);
    const spec = known?.uid !== undefined ? `${known.uid}:${known.gid ?? known.uid} (${who})` : who;
    const then = down.user === undefined ? '' : ` If the entrypoint does not need root, USER ${spec} avoids it altogether.`;
    report({
      span,
      message: `The container starts as root and ${down.where} steps down to ${who} with ${down.tool}: the program runs as ${who}, but PID 1 starts as root (runAsNonRoot refuses the image).${then}`,
    });
  },
});
