import { defineRule, type Fix } from '../engine/rule';
import { EditBuilder, keyword } from '../engine/edits';
import type { DockerfileModel, Stage, UserInfo } from '../model/model';
import type { Span } from '../model/text';
import { builderOf, stageRef } from '../model/images';
import { baseGroup, baseUser, creatorOf } from '../model/users';

const NUMERIC = /^\d+$/;

/** The stages a stage copies files from, and the stages those build on. */
function linkedStages(stage: Stage): Set<Stage> {
  const out = new Set<Stage>();
  for (const s of stage.chain)
    for (const c of s.copies) if (c.from?.source.kind === 'stage') for (const t of c.from.source.stage.chain) out.add(t);
  return out;
}

/**
 * The stage that has the user (or group), among those the scratch stage copies from: one that
 * creates it, else the builder whose base has it. Only those: a stage nothing copies from is not one
 * the author meant as the image's files, and the finding may depend only on the stages it is linked
 * to (linter/incremental.ts re-lints a stage with those, not the others).
 */
function sourceOf(
  model: DockerfileModel,
  stage: Stage,
  name: string,
  group: boolean,
): { stage: Stage; uid?: number; gid?: number } | undefined {
  const builder = builderOf(stage);
  const creator = creatorOf(model, name, builder, group);
  if (creator && linkedStages(stage).has(creator.stage))
    return { stage: creator.stage, uid: creator.kind === 'user' ? creator.uid : undefined, gid: creator.gid };
  if (!builder || builder.isScratch) return undefined;
  if (group) {
    const g = baseGroup(builder, name);
    return g ? { stage: builder, gid: g.gid } : undefined;
  }
  const b = baseUser(builder, name);
  return b ? { stage: builder, uid: b.uid, gid: b.gid } : undefined;
}

/** The numeric USER that names the same user and group, where the text tells both numbers. */
function numericFor(model: DockerfileModel, stage: Stage, u: UserInfo): string | undefined {
  const user: { uid?: number; gid?: number } | undefined = NUMERIC.test(u.user!)
    ? { uid: Number(u.user) }
    : sourceOf(model, stage, u.user!, false);
  if (user?.uid === undefined) return undefined;
  // Without a group, USER runs with the user's primary group from /etc/passwd: written out, or gid 0 it would be.
  if (u.group === undefined) return user.gid === undefined ? String(user.uid) : `${user.uid}:${user.gid}`;
  const group = NUMERIC.test(u.group)
    ? { gid: Number(u.group) }
    : u.group === u.user
      ? { gid: user.gid }
      : sourceOf(model, stage, u.group, true);
  return group?.gid === undefined ? undefined : `${user.uid}:${group.gid}`;
}

/**
 * Fixes for a USER a scratch stage cannot resolve: copy /etc/passwd and /etc/group from the stage
 * that has the user, created there or in its base (safe: the container cannot start without them,
 * and the author's user is kept), or use the numeric uid (a suggestion: tools see no name).
 */
function fixes(model: DockerfileModel, stage: Stage, u: UserInfo, group: boolean): Fix[] {
  const out: Fix[] = [];
  const instr = u.instr!;
  const source = sourceOf(model, stage, group ? u.group! : u.user!, group);
  if (source) {
    const from = stageRef(source.stage);
    const files = ['/etc/passwd', '/etc/group'].filter((f) => stage.presence(f) !== 'yes');
    out.push({
      title: `Copy ${files.join(' and ')} from stage ${from}`,
      kind: 'safe',
      preferred: true,
      edits: () =>
        new EditBuilder(model)
          .insertLinesBefore(
            instr.span.start,
            files.map((f) => `${keyword(model, 'COPY')} --from=${from} ${f} ${f}`),
          )
          .build(),
    });
  }
  const numeric = numericFor(model, stage, u);
  if (numeric && u.userSpan) {
    const span =
      u.group !== undefined && u.groupSpan && u.groupSpan !== u.userSpan ? { start: u.userSpan.start, end: u.groupSpan.end } : u.userSpan;
    out.push({
      title: `Use the numeric USER ${numeric}`,
      kind: 'suggestion',
      preferred: !source,
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
        const source = sourceOf(model, s, name, what === 'group');
        const numeric = numericFor(model, s, u);
        const copy = source
          ? `Copy ${file} from stage ${stageRef(source.stage)}, which has ${name}`
          : `Copy ${file} from a stage that has ${name}`;
        report({
          span: span ?? u.instr!.span,
          message: `USER ${u.text} in a scratch image: ${file} is not copied in, so the container fails to start ("unable to find ${what} ${name}"). ${copy}, or use ${numeric ? `the numeric USER ${numeric}` : 'a numeric USER'}.`,
          fixes: fixes(model, s, u, what === 'group'),
        });
      };
      if (u.user !== '' && !NUMERIC.test(u.user)) missing(u.userSpan, u.user, '/etc/passwd', 'user');
      if (u.group !== undefined && u.group !== '' && !NUMERIC.test(u.group)) missing(u.groupSpan, u.group, '/etc/group', 'group');
    }
  },
});
