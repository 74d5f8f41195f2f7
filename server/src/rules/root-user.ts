import { defineRule, type Fix } from '../engine/rule';
import { EditBuilder } from '../engine/edits';
import type { DockerfileModel, Stage } from '../model/model';
import { displayName } from '../model/imageRef';
import { basename } from '../model/paths';
import { runtimeOf, type Runtime, installedStepDownTool } from '../model/runtime';
import { nonRootFixes } from '../fixes/user';
import { keepRunsAsRoot } from '../fixes/userEdits';
import { exposedPorts } from '../model/ports';

/**
 * For nginx on its own image: the unprivileged image of the same tag, which listens on 8080 and runs
 * as uid 101. Not when the Dockerfile brings its own nginx configuration (it would still listen on 80
 * and write its pid file where the unprivileged user cannot), nor for a digest-pinned base.
 */
function unprivilegedNginx(model: DockerfileModel, s: Stage): Fix[] {
  // Only on the stage built FROM nginx itself: the RUN steps of stages in between would change user too.
  const ref = s.chain.length === 1 ? s.rootImage : undefined;
  if (!ref || ref.repository !== 'library/nginx' || ref.digest || ref.substituted) return [];
  // Its own configuration, copied or written by a RUN, would still listen on 80.
  if (
    s.chain.some((st) => st.copies.some((c) => c.destPath !== undefined && (c.destPath.startsWith('/etc/nginx') || c.destPath === '/etc')))
  )
    return [];
  if (s.chain.some((st) => st.runs.some((r) => model.text.slice(r.instr.span.start, r.instr.span.end).includes('/etc/nginx')))) return [];
  if (s.chain.some((st) => st.users.length)) return [];
  const ports = exposedPorts(model).filter(
    (p) => p.valid && p.start === 80 && p.end === 80 && !p.dynamic && s.chain.includes(model.stageAt(p.span.start)!),
  );
  const tag = ref.tag ? `:${ref.tag}` : '';
  return [
    {
      title: `Use nginxinc/nginx-unprivileged${tag} (uid 101; serves on 8080, not 80: update your port mapping)`,
      kind: 'suggestion',
      preferred: false,
      edits: () => {
        const b = new EditBuilder(model).replace(ref.nameSpan, 'nginxinc/nginx-unprivileged');
        for (const p of ports) b.replace(p.span, p.text.replace(/^80/, '8080'));
        keepRunsAsRoot(model, b, s, '101');
        return b.build();
      },
    },
  ];
}

/** Where no USER was found, for messages: ` in this stage`, ` in this stage or in the stages it builds on`. */
function userSource(s: Stage): string {
  return s.parent ? ' in this stage or in the stages it builds on' : ' in this stage';
}

function baseName(s: Stage): string {
  const ref = s.rootImage;
  return ref ? displayName(ref) + (ref.tag ? `:${ref.tag}` : '') : s.isScratch ? 'a scratch image' : 'the base image';
}

export default defineRule({
  id: 'root-user',
  severity: 'warning',
  summary: 'The shipped image runs as root.',
  rationale: `A process running as root in a container is root on the host's kernel: one escape or
one writable host mount away from owning the node. Kubernetes \`runAsNonRoot\` refuses such images.
The shipped stage (the last one, or the target stage) should end with a \`USER\` that is not root.

The rule reports only what it knows:
- It follows inheritance (a stage \`FROM base\` runs as \`base\`'s user) and the base image's default
  user where the tool knows the image (Docker Hub's official images, distroless, Chainguard, and
  others listed in \`model/knownImages.ts\`). For an image it does not know, it says the default user
  is unknown, at **info**.
- An entrypoint that starts as root and steps down (\`gosu\`, \`su-exec\`, \`setpriv\`,
  \`s6-setuidgid\`, \`chpst\`, \`runuser\`, \`su\`, in the command or in the entrypoint script,
  read from the build context or a heredoc; the official postgres, redis, mysql… images) is
  [root-entrypoint](root-entrypoint.md)'s finding, not this rule's. An entrypoint script it cannot
  read makes the finding **info**, saying so.
- A program that runs as root by design (nginx's and Apache's master process, a supervisor such as
  s6-overlay's \`/init\` or supervisord, systemd, sshd, cron, dockerd) gets no USER edit: a USER
  alone would stop it. For nginx the unprivileged image is offered instead.
- Builder, toolchain, development and CI images are not checked: they are not shipped as services.
  The role comes from the file's name and its directories in the repository (\`Dockerfile.dev\`,
  \`ci.Dockerfile\`, \`Dockerfile.base\`, \`.devcontainer/\`, \`tests/\`, \`.github/\`, \`hack/\`), the
  shipped stage's name, ONBUILD triggers, a development-environment base, a command that is a build
  tool, a CI runner or a bare shell or REPL, or no command of its own on a shell or language image
  (docker-library's images are such files); or it is stated: \`# dockerfile-hardener role=builder\`
  in the file, or \`roles:\` in \`.dockerfile-hardener.yaml\`. How often this is right on real files:
  [docs/precision.md](../precision.md).
- A scratch stage without \`CMD\`, \`ENTRYPOINT\`, \`USER\` or other runtime settings is an export
  stage (build artifacts), not an image that runs, and is skipped.

The fixes keep the image working: reuse a user the image already has (one the file creates, the
node images' \`node\`), keep a \`USER $UID\` driven by a build argument, or create \`appuser\` with a
home and run as the numeric \`10001:10001\` (which \`runAsNonRoot\` can verify); hand it the WORKDIR,
VOLUME paths and the directories the stage makes; put \`USER\` after the last \`RUN\`; in scratch copy
/etc/passwd and /etc/group from the builder. A fix is preferred (applied by \`fix --unsafe\`) only when
nothing the tool can see speaks against it; otherwise its title says what to check: a port below 1024,
a WORKDIR under /root, an entrypoint script that runs chown or could not be read.`,
  differences: `hadolint DL3002 flags \`USER root\` as the last USER of *any* stage and says nothing when
no USER is set; this rule checks only the shipped stage, but also flags a missing USER on a base that
runs as root, and knows entrypoints that step down.`,
  equivalents: { hadolint: ['DL3002'] },
  examples: {
    fixes: [
      {
        before: `FROM alpine:3.20\nRUN apk add --no-cache curl\nCOPY app /app\nCMD ["/app"]\n`,
        after: `FROM alpine:3.20\nRUN apk add --no-cache curl\nRUN addgroup -g 10001 appuser && adduser -D -u 10001 -G appuser appuser\nUSER 10001:10001\nCOPY app /app\nCMD ["/app"]\n`,
      },
      {
        before: `FROM debian:12-slim\nWORKDIR /srv/app\nCOPY app .\nRUN mkdir -p data\nVOLUME /srv/app/data\nUSER root\nCMD ["./app"]\n`,
        after: `FROM debian:12-slim\nWORKDIR /srv/app\nCOPY app .\nRUN mkdir -p data\nRUN groupadd --gid 10001 appuser && useradd --uid 10001 --gid 10001 --create-home --shell /usr/sbin/nologin appuser && mkdir -p /srv/app /srv/app/data && chown -R 10001:10001 /srv/app/data && chown 10001:10001 /srv/app\nVOLUME /srv/app/data\nUSER 10001:10001\nCMD ["./app"]\n`,
      },
      {
        before: `FROM python:3.12-slim\nRUN useradd --system app\nCOPY app.py /srv/\nCMD ["python", "/srv/app.py"]\n`,
        after: `FROM python:3.12-slim\nRUN useradd --system app\nUSER app:app\nCOPY app.py /srv/\nCMD ["python", "/srv/app.py"]\n`,
      },
      {
        before: `FROM node:22-alpine\nUSER node\nRUN npm ci\nUSER root\nRUN apk add --no-cache tini\nCMD ["node", "server.js"]\n`,
        after: `FROM node:22-alpine\nUSER node\nRUN npm ci\nUSER root\nRUN apk add --no-cache tini\nUSER node\nCMD ["node", "server.js"]\n`,
      },
      {
        fix: 'Use the :nonroot-amd64 variant',
        before: `FROM gcr.io/distroless/static-debian12:latest-amd64\nCOPY app /app\nCMD ["/app"]\n`,
        after: `FROM gcr.io/distroless/static-debian12:nonroot-amd64\nCOPY app /app\nCMD ["/app"]\n`,
      },
      {
        before: `FROM golang:1.22-alpine AS build\nRUN CGO_ENABLED=0 go build -o /out/app .\n\nFROM scratch\nCOPY --from=build /out/app /\nENTRYPOINT ["/app"]\n`,
        after: `FROM golang:1.22-alpine AS build\nRUN CGO_ENABLED=0 go build -o /out/app .\nRUN addgroup -g 10001 appuser && adduser -D -u 10001 -G appuser appuser\n\nFROM scratch\nCOPY --from=build /out/app /\nCOPY --from=build /etc/passwd /etc/passwd\nCOPY --from=build /etc/group /etc/group\nUSER 10001:10001\nENTRYPOINT ["/app"]\n`,
      },
      {
        fix: 'Use nginxinc/nginx-unprivileged',
        before: `FROM nginx:1.27-alpine\nCOPY site/ /usr/share/nginx/html/\nEXPOSE 80\n`,
        after: `FROM nginxinc/nginx-unprivileged:1.27-alpine\nCOPY site/ /usr/share/nginx/html/\nEXPOSE 8080\n`,
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

FROM gcr.io/distroless/static-debian12:nonroot-amd64
COPY --from=build /out/app /app
`,
      `FROM scratch
COPY --from=build /out/ /
`,
      `FROM debian:12-slim
RUN apt-get update && apt-get install -y --no-install-recommends gosu && rm -rf /var/lib/apt/lists/*
RUN useradd --system app
ENTRYPOINT ["gosu", "app", "/usr/local/bin/server"]
`,
      `FROM golang:1.22
RUN go install golang.org/x/tools/gopls@latest
CMD ["bash"]
`,
    ],
  },
  check({ model, options, report }) {
    const numericOnly = (options.rules?.['user-not-numeric'] ?? 'off') !== 'off';
    const s = model.shipped;
    if (!s || !s.isRunnable) return;
    const rt: Runtime = runtimeOf(s);
    const u = rt.user;
    if (u.root === false) return;
    // Builder, toolchain, development and CI images do not run in production as a service.
    if (rt.role.kind !== 'service') return;
    // The entrypoint steps down: root-entrypoint says so, naming the user.
    if (rt.entry.stepDown) return;
    const span = u.instr ? (u.userSpan ?? u.instr.span) : (s.imageSpan ?? s.from.span);
    const fixes = () => nonRootFixes(model, s, u, rt, { numericOnly });
    if (u.root === undefined) {
      // A USER whose value the text does not fix, or a base it does not fix, says nothing either way.
      if (u.instr || s.root.kind !== 'image') return;
      report({
        span,
        severity: 'info',
        message: `The shipped image may run as root: no USER is set${userSource(s)}, and the tool does not know the default user of ${baseName(s)}. If it is root, add a non-root USER.`,
        fixes: fixes(),
      });
      return;
    }
    const who = u.instr
      ? `USER ${u.text}`
      : `no USER is set${userSource(s)}, and ${baseName(s)} runs as ${u.baseUser ? `${u.baseUser} (an administrator)` : 'root'} by default${u.source ? ` (${u.source})` : ''}`;
    const script = rt.entry.script;
    // The script cannot be read, but the image installs gosu or su-exec: what for, if not to step down.
    if (script?.unreadable && installedStepDownTool(s)) return;
    if (script?.unreadable) {
      // (Before the programs that run as root by design: the script may step down, or start another program.)
      const design = rt.rootByDesign;
      report({
        span,
        severity: 'info',
        message: design
          ? `The shipped image starts as root (${who}), and its entrypoint ${basename(script.path)} could not be read (${script.unreadable}); ${design.program} runs as root by design (${design.why}). If the entrypoint steps down, or it starts only ${design.program}, that is expected.`
          : `The shipped image starts as root (${who}), and its entrypoint ${basename(script.path)} could not be read (${script.unreadable}). If it steps down to another user, that is expected; if not, add a non-root USER.`,
        fixes: design ? [] : fixes(),
      });
      return;
    }
    const design = rt.rootByDesign;
    if (design) {
      const server = design.kind === 'server';
      report({
        span,
        severity: server ? undefined : 'info',
        message: server
          ? `The shipped image runs as root (${who}): ${design.why}. A USER alone would stop it; use an unprivileged image of it or move it to a port above 1024 with its configuration.`
          : `The shipped image runs as root (${who}), as ${design.program} needs: ${design.why}. No USER edit is offered; check that what it starts runs unprivileged.`,
        fixes: server && design.program === 'nginx' ? unprivilegedNginx(model, s) : [],
      });
      return;
    }
    report({
      span,
      message: u.instr
        ? `The shipped image runs as root (${who}). Switch to an unprivileged user.`
        : `The shipped image runs as root: ${who}. Add a non-root USER.`,
      fixes: fixes(),
    });
  },
});
