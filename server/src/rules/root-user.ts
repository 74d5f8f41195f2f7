import { defineRule, type Fix } from '../engine/rule';
import { EditBuilder, keyword } from '../engine/edits';
import type { DockerfileModel, Instr, Stage, UserInfo } from '../model/model';
import { builderOf, createUserCommand, familyOf, stageRef } from '../fixes/images';
import { creatorOf } from '../fixes/users';

const NAME = 'appuser';
const UID = 10001;

/** USER may go after the last RUN of the stage (they need root), else before its CMD/ENTRYPOINT. */
function placeLines(b: EditBuilder, s: Stage, lines: string[]): void {
  const own = s.instructions;
  const lastRun = [...own].reverse().find((i) => i.keyword === 'RUN');
  if (lastRun) {
    b.insertLinesAfter(lastRun, lines);
    return;
  }
  const tail = own.find((i) => i.keyword === 'CMD' || i.keyword === 'ENTRYPOINT' || i.keyword === 'HEALTHCHECK');
  if (tail) b.insertLinesBefore(tail.span.start, lines);
  else b.insertLinesAfter(own[own.length - 1] ?? s.from, lines);
}

/** The effective user just before a USER instruction (from the USERs before it in its stage chain). */
function userBefore(s: Stage, instr: Instr): UserInfo | undefined {
  let found: UserInfo | undefined;
  for (const st of [...s.chain].reverse()) for (const u of st.users) if (u.instr && u.instr.span.start < instr.span.start) found = u;
  return found;
}

/**
 * Puts `lines` where the image's user is set: in place of a `USER root` that no RUN follows, else
 * after the stage's last RUN (so that everything that needs root still runs as root).
 */
function setUser(model: DockerfileModel, s: Stage, u: UserInfo, lines: string[]): EditBuilder {
  const b = new EditBuilder(model);
  const rootInstr = u.instr && s.instructions.includes(u.instr) ? u.instr : undefined;
  const runAfter = rootInstr && s.instructions.some((i) => i.keyword === 'RUN' && i.span.start > rootInstr.span.start);
  if (rootInstr && !runAfter) {
    b.insertLinesBefore(rootInstr.span.start, lines);
    b.deleteInstruction(rootInstr);
  } else placeLines(b, s, lines);
  return b;
}

/**
 * @param numericNames write the created user as its uid:gid (when user-not-numeric is enabled, a USER
 * by name would only trade one finding for another).
 */
function fixes(model: DockerfileModel, s: Stage, u: UserInfo, numericNames: boolean): Fix[] {
  const out: Fix[] = [];
  const named = (name: string, group: boolean) => (numericNames ? `${UID}:${UID}` : group ? `${name}:${name}` : name);
  const USER = keyword(model, 'USER');
  const RUN = keyword(model, 'RUN');
  const COPY = keyword(model, 'COPY');
  const family = familyOf(s);
  const numeric = (id: string, preferred: boolean): Fix => ({
    title: `Run as USER ${id}`,
    kind: 'suggestion',
    preferred,
    edits: () => setUser(model, s, u, [`${USER} ${id}`]).build(),
  });

  // A USER root that undoes an earlier non-root USER: go back to that user.
  const prev = u.instr ? userBefore(s, u.instr) : undefined;
  if (prev && prev.root === false && prev.text && !(numericNames && !/^\d+(:\d+)?$/.test(prev.text))) {
    const back = prev.text;
    out.push({ title: `Go back to USER ${back} after the steps that need root`, kind: 'suggestion', preferred: true, edits: () => setUser(model, s, u, [`${USER} ${back}`]).build() });
    out.push(numeric(`${UID}:${UID}`, false));
    return out;
  }

  if (family === 'distroless') {
    // The :nonroot variant of the same image (uid 65532).
    const rootStage = s.chain[s.chain.length - 1];
    const ref = rootStage.rootImage;
    if (ref && !ref.digest && !ref.substituted && !u.instr) {
      const tag = ref.tag === undefined || ref.tag === 'latest' ? 'nonroot' : ref.tag.endsWith('nonroot') ? undefined : `${ref.tag}-nonroot`;
      if (tag) {
        out.push({
          title: `Use the :${tag} variant of ${ref.name}`,
          kind: 'suggestion',
          preferred: true,
          edits: () => {
            const b = new EditBuilder(model);
            if (ref.tagSpan) b.replace(ref.tagSpan, tag);
            else b.insert(ref.nameSpan.end, `:${tag}`);
            return b.build();
          },
        });
      }
    }
    out.push(numeric('65532:65532', !out.length));
    return out;
  }

  if (family === 'scratch') {
    const builder = builderOf(s);
    const create = builder && !builder.isScratch ? createUserCommand(familyOf(builder), NAME, UID) : undefined;
    if (builder && create && !u.instr) {
      const existing = creatorOf(model, NAME, builder);
      const from = stageRef(builder);
      out.push({
        title: `Create ${NAME} in stage ${from}, copy /etc/passwd and /etc/group, and run as ${NAME}`,
        kind: 'suggestion',
        preferred: true,
        edits: () => {
          const b = new EditBuilder(model);
          if (!existing || existing.stage !== builder) b.insertLinesAfter(builder.instructions[builder.instructions.length - 1] ?? builder.from, [`${RUN} ${create}`]);
          const files = ['/etc/passwd', '/etc/group'].filter((f) => s.presence(f) === 'no');
          placeLines(b, s, [...files.map((f) => `${COPY} --from=${from} ${f} ${f}`), `${USER} ${named(NAME, true)}`]);
          return b.build();
        },
      });
      out.push(numeric(`${UID}:${UID}`, false));
    } else {
      // No stage to create a user in: a numeric user needs no /etc/passwd (65532 is distroless' nonroot).
      out.push(numeric('65532:65532', true));
    }
    return out;
  }

  const create = createUserCommand(family, NAME, UID);
  if (create) {
    const exists = creatorOf(model, NAME, s)?.stage;
    const lines = exists && s.chain.includes(exists) ? [`${USER} ${named(NAME, false)}`] : [`${RUN} ${create}`, `${USER} ${named(NAME, false)}`];
    out.push({ title: `Create ${NAME} (uid ${UID}) and run as it`, kind: 'suggestion', preferred: true, edits: () => setUser(model, s, u, lines).build() });
  }
  out.push(numeric(`${UID}:${UID}`, !create));
  return out;
}

export default defineRule({
  id: 'root-user',
  severity: 'warning',
  summary: 'The shipped image runs as root.',
  rationale: `A process running as root in a container is root on the host's kernel: one escape or
one writable host mount away from owning the node. Kubernetes \`runAsNonRoot\` refuses such images.
The shipped stage (the last one, or the target stage) should end with a \`USER\` that is not root.

The rule follows inheritance: a stage \`FROM base\` runs as \`base\`'s user. Base images known to run
as a non-root user (distroless \`:nonroot\` tags, Chainguard static, nginx-unprivileged) count as
non-root. Builder stages are not checked: they never run in production. A scratch stage without
\`CMD\`, \`ENTRYPOINT\`, \`USER\` or other runtime settings is an export stage (build artifacts), not an
image that runs, and is skipped.`,
  differences: `hadolint DL3002 flags \`USER root\` as the last USER of *any* stage and says nothing when
no USER is set; this rule checks only the shipped stage, but also flags a missing USER on a base that
runs as root.`,
  equivalents: { hadolint: ['DL3002'] },
  examples: {
    fixes: [
      {
        before: `FROM alpine:3.20\nRUN apk add --no-cache curl\nCOPY app /app\nCMD ["/app"]\n`,
        after: `FROM alpine:3.20\nRUN apk add --no-cache curl\nRUN adduser -D -H -u 10001 appuser\nUSER appuser\nCOPY app /app\nCMD ["/app"]\n`,
      },
      {
        before: `FROM debian:12-slim\nCOPY app /app\nUSER root\nCMD ["/app"]\n`,
        after: `FROM debian:12-slim\nCOPY app /app\nRUN useradd --uid 10001 --user-group --no-create-home --shell /usr/sbin/nologin appuser\nUSER appuser\nCMD ["/app"]\n`,
      },
      {
        fix: 'Run as USER',
        before: `FROM debian:12-slim\nUSER root\nRUN apt-get update\nCMD ["/app"]\n`,
        after: `FROM debian:12-slim\nUSER root\nRUN apt-get update\nUSER 10001:10001\nCMD ["/app"]\n`,
      },
      {
        before: `FROM node:22-alpine\nUSER node\nRUN npm ci\nUSER root\nRUN apk add --no-cache tini\nCMD ["node", "server.js"]\n`,
        after: `FROM node:22-alpine\nUSER node\nRUN npm ci\nUSER root\nRUN apk add --no-cache tini\nUSER node\nCMD ["node", "server.js"]\n`,
      },
      {
        before: `FROM gcr.io/distroless/static-debian12\nCOPY app /app\nCMD ["/app"]\n`,
        after: `FROM gcr.io/distroless/static-debian12:nonroot\nCOPY app /app\nCMD ["/app"]\n`,
      },
      {
        before: `FROM golang:1.22-alpine AS build\nRUN CGO_ENABLED=0 go build -o /out/app .\n\nFROM scratch\nCOPY --from=build /out/app /app\nENTRYPOINT ["/app"]\n`,
        after: `FROM golang:1.22-alpine AS build\nRUN CGO_ENABLED=0 go build -o /out/app .\nRUN adduser -D -H -u 10001 appuser\n\nFROM scratch\nCOPY --from=build /out/app /app\nCOPY --from=build /etc/passwd /etc/passwd\nCOPY --from=build /etc/group /etc/group\nUSER appuser:appuser\nENTRYPOINT ["/app"]\n`,
      },
      {
        before: `FROM scratch\nCOPY app /app\nENTRYPOINT ["/app"]\n`,
        after: `FROM scratch\nCOPY app /app\nUSER 65532:65532\nENTRYPOINT ["/app"]\n`,
      },
    ],
    invalid: [
      `FROM alpine:3.20
RUN apk add --no-cache curl
USER root
#    ^^^^ root-user
`,
      `FROM node:22-alpine
#    ^^^^^^^^^^^^^^ root-user
COPY . /app
CMD ["node", "/app/server.js"]
`,
      `FROM debian:12 AS base
USER 0:0
#    ^ root-user

FROM base
CMD ["/app"]
`,
    ],
    valid: [
      `FROM alpine:3.20
RUN adduser -D -H -u 10001 appuser
USER appuser
`,
      `FROM golang:1.22 AS build
USER root

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/app /app
`,
      `FROM scratch
COPY --from=build /out/ /
`,
      `ARG BASE
FROM \${BASE}
`,
    ],
  },
  check({ model, options, report }) {
    const numericNames = (options.rules?.['user-not-numeric'] ?? 'off') !== 'off';
    const s = model.shipped;
    if (!s || !s.isRunnable) return;
    const u = s.user;
    if (u.root !== true) return;
    if (u.instr) {
      report({
        span: u.userSpan ?? u.instr.span,
        message: `The shipped image runs as root (USER ${u.text}). Switch to an unprivileged user, e.g. USER 10001:10001.`,
        fixes: fixes(model, s, u, numericNames),
      });
      return;
    }
    const where = s.parent ? ' or in the stages it builds on' : '';
    report({
      span: s.imageSpan ?? s.from.span,
      message: `The shipped image runs as root: no USER is set in this stage${where}, and the base image's default user is root. Add a non-root USER.`,
      fixes: fixes(model, s, u, numericNames),
    });
  },
});
