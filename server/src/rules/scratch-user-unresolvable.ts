import { defineRule } from '../engine/rule';
import type { Span } from '../model/text';

const NUMERIC = /^\d+$/;

export default defineRule({
  id: 'scratch-user-unresolvable',
  severity: 'error',
  summary: 'USER names a user that a scratch image cannot resolve.',
  rationale: `\`scratch\` has no /etc/passwd and no /etc/group. The runtime resolves a user *name* by
reading them when the container starts, so \`USER appuser\` in a scratch image fails at start with
\`unable to find user appuser: no matching entries in passwd file\`. Either copy /etc/passwd (and
/etc/group for a group name) from the stage that created the user, or use a numeric
\`USER 10001:10001\`, which needs no lookup.

A stage counts as scratch when it is built \`FROM scratch\` or from a stage that is.`,
  equivalents: {},
  examples: {
    invalid: [
      `FROM golang:1.22 AS build
RUN useradd --uid 10001 appuser

FROM scratch
COPY --from=build /out/app /app
USER appuser
#    ^^^^^^^ scratch-user-unresolvable
ENTRYPOINT ["/app"]
`,
      `FROM scratch
COPY --from=build /etc/passwd /etc/passwd
USER appuser:appgroup
#            ^^^^^^^^ scratch-user-unresolvable
ENTRYPOINT ["/app"]
`,
    ],
    valid: [
      `FROM scratch
COPY --from=build /etc/passwd /etc/group /etc/
USER appuser:appuser
`,
      `FROM scratch
USER 10001:10001
`,
      `FROM alpine:3.20
USER nobody
`,
    ],
  },
  check({ model, report }) {
    for (const s of model.stages) {
      if (!s.isScratch || (s.children.length && s !== model.shipped)) continue;
      const u = s.user;
      if (!u.instr || u.user === undefined) continue;
      const missing = (span: Span | undefined, name: string, file: string, what: string) => {
        if (s.presence(file) !== 'no') return;
        report({
          span: span ?? u.instr!.span,
          message: `USER ${u.text} in a scratch image: ${file} is not copied in, so the container fails to start ("unable to find ${what} ${name}"). Copy ${file} from the stage that created it, or use a numeric USER 10001:10001.`,
        });
      };
      if (u.user !== '' && !NUMERIC.test(u.user)) missing(u.userSpan, u.user, '/etc/passwd', 'user');
      if (u.group !== undefined && u.group !== '' && !NUMERIC.test(u.group)) missing(u.groupSpan, u.group, '/etc/group', 'group');
    }
  },
});
