import { defineRule, type Fix } from '../engine/rule';
import { EditBuilder, keyword } from '../engine/edits';
import type { DockerfileModel, Stage, UserInfo } from '../model/model';
import type { Span } from '../model/text';
import { builderOf, stageRef } from '../fixes/images';
import { creatorOf } from '../fixes/users';

const NUMERIC = /^\d+$/;

/**
 * Fixes for a USER a scratch stage cannot resolve: copy /etc/passwd and /etc/group from the stage
 * that creates the user (safe: the container cannot start without them), or use the numeric uid
 * (a suggestion: it changes the user's name in the image).
 */
function fixes(model: DockerfileModel, stage: Stage, u: UserInfo, group: boolean): Fix[] {
  const out: Fix[] = [];
  const instr = u.instr!;
  const name = group ? u.group! : u.user!;
  const creator = creatorOf(model, name, builderOf(stage), group);
  if (creator) {
    const from = stageRef(creator.stage);
    const files = ['/etc/passwd', '/etc/group'].filter((f) => stage.presence(f) === 'no');
    out.push({
      title: `Copy ${files.join(' and ')} from stage ${from}`,
      kind: 'safe',
      preferred: true,
      edits: () => new EditBuilder(model).insertLinesBefore(instr.span.start, files.map((f) => `${keyword(model, 'COPY')} --from=${from} ${f} ${f}`)).build(),
    });
  }
  const user = creatorOf(model, u.user!, builderOf(stage));
  const uid = user?.uid;
  const numeric = uid !== undefined ? (u.group !== undefined || user?.ownGroup ? `${uid}:${uid}` : String(uid)) : creator ? undefined : '65532:65532';
  if (numeric && u.userSpan) {
    const span = u.group !== undefined && u.groupSpan && u.groupSpan !== u.userSpan ? { start: u.userSpan.start, end: u.groupSpan.end } : u.userSpan;
    out.push({
      title: `Use the numeric USER ${numeric}`,
      kind: 'suggestion',
      preferred: !creator,
      edits: () => new EditBuilder(model).replace(span, numeric).build(),
    });
  }
  return out;
}

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
    fixes: [
      {
        before: `FROM golang:1.22 AS build\nRUN useradd --uid 10001 --user-group appuser\n\nFROM scratch\nCOPY --from=build /out/app /app\nUSER appuser\nENTRYPOINT ["/app"]\n`,
        after: `FROM golang:1.22 AS build\nRUN useradd --uid 10001 --user-group appuser\n\nFROM scratch\nCOPY --from=build /out/app /app\nCOPY --from=build /etc/passwd /etc/passwd\nCOPY --from=build /etc/group /etc/group\nUSER appuser\nENTRYPOINT ["/app"]\n`,
      },
      {
        fix: 'Use the numeric USER',
        before: `FROM golang:1.22 AS build\nRUN useradd --uid 10001 --user-group appuser\n\nFROM scratch\nCOPY --from=build /out/app /app\nUSER appuser\nENTRYPOINT ["/app"]\n`,
        after: `FROM golang:1.22 AS build\nRUN useradd --uid 10001 --user-group appuser\n\nFROM scratch\nCOPY --from=build /out/app /app\nUSER 10001:10001\nENTRYPOINT ["/app"]\n`,
      },
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
          fixes: fixes(model, s, u, what === 'group'),
        });
      };
      if (u.user !== '' && !NUMERIC.test(u.user)) missing(u.userSpan, u.user, '/etc/passwd', 'user');
      if (u.group !== undefined && u.group !== '' && !NUMERIC.test(u.group)) missing(u.groupSpan, u.group, '/etc/group', 'group');
    }
  },
});
