import { defineRule, type Fix } from '../engine/rule';
import { EditBuilder } from '../engine/edits';
import { deleteWords } from '../fixes/shell';
import type { Declaration, DockerfileModel, Instr, RunInfo, Stage } from '../model/model';
import { familyOf } from '../model/images';
import { runtimeOf } from '../model/runtime';
import { variableReferences } from '../model/variables';

/** Name parts that mean "this holds a credential". */
const SECRET_WORDS = new Set([
  'PASSWORD',
  'PASSWD',
  'PASS',
  'PWORD',
  'SECRET',
  'SECRETS',
  'TOKEN',
  'TOKENS',
  'APIKEY',
  'CREDENTIAL',
  'CREDENTIALS',
  'AUTH',
]);
/** Two-part names: API_KEY, PRIVATE_KEY, ACCESS_KEY, SECRET_KEY, CLIENT_SECRET… */
const SECRET_PAIRS = new Set([
  'API KEY',
  'PRIVATE KEY',
  'ACCESS KEY',
  'SECRET KEY',
  'SIGNING KEY',
  'ENCRYPTION KEY',
  'MASTER KEY',
  'ACCOUNT KEY',
]);
/** Last parts that make the name a reference to a secret, not the secret. */
const REFERENCE_SUFFIXES = new Set([
  'FILE',
  'FILES',
  'PATH',
  'DIR',
  'DIRECTORY',
  'VERSION',
  'URL',
  'URI',
  'HOST',
  'PORT',
  'NAME',
  'USER',
  'USERNAME',
  'TYPE',
  'METHOD',
  'MODE',
  'ENABLED',
  'DISABLED',
  'REQUIRED',
  'LENGTH',
  'EXPIRY',
  'EXPIRATION',
  'TTL',
  'ENDPOINT',
  'SERVER',
  'PROVIDER',
  'STRATEGY',
  'HEADER',
  'REGION',
]);

/** The words of an identifier: `DB_PASSWORD` → DB, PASSWORD; `apiKey` → API, KEY. */
function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .split(/[_\-.]+/)
    .filter(Boolean)
    .map((w) => w.toUpperCase());
}

/** Whether a variable name looks like it holds a credential (and is not a reference to one). */
export function looksSecret(name: string): boolean {
  const w = words(name);
  if (!w.length || REFERENCE_SUFFIXES.has(w[w.length - 1])) return false;
  if (w.includes('PUBLIC')) return false;
  if (w.some((x) => SECRET_WORDS.has(x))) return true;
  for (let i = 0; i + 1 < w.length; i++) if (SECRET_PAIRS.has(`${w[i]} ${w[i + 1]}`)) return true;
  return false;
}

/**
 * Whether the `# syntax=` directive names a Dockerfile frontend that knows `RUN --mount`: the stable
 * docker/dockerfile channel from 1.2 (1.0 and 1.1 had it only in their -experimental variants).
 * `1`, `1-labs`, `labs`, `latest` and `experimental` follow a recent release, unless pinned by digest
 * (which may be an older one).
 */
function syntaxReadsRunMount(value: string): boolean {
  const m = /^(?:docker\.io\/)?docker\/dockerfile(?:-upstream)?:([^@\s]+)(@\S+)?$/.exec(value.trim());
  if (!m) return false;
  const [, tag, digest] = m;
  if (/^(?:1|1-labs|labs|latest|experimental)$/.test(tag)) return !digest;
  const v = /^(\d+)\.(\d+)(?:\.\d+)?(-labs|-experimental)?$/.exec(tag);
  return !!v && (v[3] === '-experimental' || Number(v[1]) > 1 || (Number(v[1]) === 1 && Number(v[2]) >= 2));
}

/** Shells that read `export "NAME=$(cat FILE)" && …` as POSIX sh does. */
const POSIX_SHELLS = new Set(['sh', 'ash', 'bash', 'dash', 'ksh', 'ksh93', 'mksh', 'zsh']);

/** Whether the SHELL in effect for `instr` (the stage's, or inherited) is a POSIX shell; true without one (/bin/sh). */
function posixShellAt(model: DockerfileModel, stage: Stage, instr: Instr): boolean {
  let shell = stage.parent?.shellInstr;
  for (const i of stage.instructions) {
    if (i.span.start >= instr.span.start) break;
    if (i.keyword === 'SHELL') shell = i;
  }
  if (!shell) return true;
  const args = model.commandArgs(shell);
  if (args.form !== 'exec' || !args.exec?.length) return false;
  const program = (word: string) => word.replace(/\\/g, '/').split('/').pop()?.toLowerCase() ?? '';
  const argv = args.exec.map((j) => j.value);
  const name =
    program(argv[0]) === 'env' ? program(argv.slice(1).find((a) => !a.startsWith('-') && !a.includes('=')) ?? '') : program(argv[0]);
  return POSIX_SHELLS.has(name);
}

/**
 * Where the secret's export goes in a RUN: the document offset its shell-form command starts at
 * (after its flags, continuation lines and the comment lines inside them). Undefined for a RUN the fix
 * leaves alone: exec form, a heredoc, a shell that is not POSIX, an empty command.
 */
function commandStart(model: DockerfileModel, stage: Stage, run: RunInfo): number | undefined {
  const shell = run.command.form === 'shell' ? run.command.shell : undefined;
  if (!shell || !run.script || !posixShellAt(model, stage, run.instr)) return undefined;
  if (run.script.commands.some((c) => c.redirects.some((r) => r.heredoc))) return undefined;
  const k = shell.text.search(/\S/);
  return k < 0 ? undefined : shell.at(k);
}

/**
 * The fix of a bare stage `ARG NAME` that holds a secret: drop the ARG and give every later RUN of
 * the stage the secret as the same variable, read from a secret mount at its default path:
 * `RUN --mount=type=secret,id=name export "NAME=$(cat /run/secrets/name)" && …` (BuildKit, and
 * buildah/podman, which do not know the mount's `env=` option). Undefined where that would change the
 * build: the name is used by another instruction (the builder substitutes it there: FROM, COPY, ENV,
 * LABEL, a RUN flag…), by an ONBUILD trigger, declared twice or also set by ENV; a later RUN is in exec
 * form, has a heredoc or runs in a shell that is not POSIX; a Windows stage; or the syntax directive
 * names a frontend without RUN --mount.
 */
function secretMountFix(model: DockerfileModel, d: Declaration): Fix | undefined {
  const stage = d.stage;
  if (!stage || d.keyword !== 'ARG' || d.raw !== undefined || d.instr.onbuild) return undefined;
  // No RUN --mount for Windows containers (a file of an unknown base written with ` is one).
  const family = familyOf(stage);
  if (family === 'windows' || (family === 'unknown' && model.escapeChar === '`')) return undefined;
  const syntax = model.directives.syntax;
  if (syntax && !syntaxReadsRunMount(syntax.value)) return undefined;
  const same = model.declarations.filter((x) => x.stage === stage && x.name === d.name);
  if (same.length !== 1 || stage.env.has(d.name)) return undefined;
  // `ARG TOKEN=abc` before FROM gives the stage's bare `ARG TOKEN` its value: the fix would lose it.
  if (model.declarations.some((x) => !x.stage && x.name === d.name && x.raw !== undefined)) return undefined;
  const refers = (start: number, end: number) =>
    variableReferences(model.text.slice(start, end), model.escapeChar).some((r) => r.name === d.name);
  if (refers(d.nameSpan.end, d.instr.span.end)) return undefined; // ARG NPM_TOKEN URL=…$NPM_TOKEN
  const after = stage.instructions.filter((i) => i.span.start > d.instr.span.start);
  for (const i of after) {
    if (i.keyword === 'RUN' ? i.flags.some((f) => refers(f.span.start, f.span.end)) : refers(i.keywordSpan.end, i.span.end))
      return undefined;
  }
  const runs = stage.runs.filter((r) => !r.instr.onbuild && r.instr.span.start > d.instr.span.start);
  const id = d.name.toLowerCase();
  const file = `/run/secrets/${id}`;
  const mountsIt = (o: { name: string; value: string | null }) =>
    (o.name === 'id' && o.value === id) ||
    (o.name === 'env' && o.value === d.name) ||
    (['target', 'dst', 'destination'].includes(o.name) && o.value === file);
  if (!runs.length || runs.some((r) => r.mounts.some((m) => m.options.some(mountsIt)))) return undefined;
  const starts = runs.map((r) => commandStart(model, stage, r));
  if (starts.some((s) => s === undefined)) return undefined;
  return {
    title: `Use a secret mount in the ${runs.length} RUN${runs.length > 1 ? 's' : ''} after it (check: build with --secret id=${id},env=${d.name} instead of --build-arg)`,
    kind: 'suggestion',
    preferred: false,
    edits: () => {
      const b = new EditBuilder(model);
      if (model.declarations.filter((x) => x.instr === d.instr).length === 1) b.deleteInstruction(d.instr);
      else deleteWords(model, b, d.nameSpan);
      runs.forEach((r, k) => {
        b.insert(r.instr.keywordSpan.end, ` --mount=type=secret,id=${id}`);
        b.insert(starts[k]!, `export "${d.name}=$(cat ${file})" && `);
      });
      return b.build();
    },
  };
}

export default defineRule({
  id: 'secret-in-env',
  severity: 'error',
  summary: 'ENV or ARG carries a credential (error for a value, warning for a bare ARG).',
  rationale: `ENV values are stored in the image's configuration and ARG values in its build history:
anyone who can pull the image can read them with \`docker history\` or \`docker inspect\`. A password,
token or key set that way is published with the image. Pass build-time secrets with
\`RUN --mount=type=secret,id=token …\` (read them from /run/secrets/token in that one step), and
run-time secrets with the orchestrator (environment or mounted files at \`docker run\`/Kubernetes).

A name counts when one of its parts is PASSWORD, PASSWD, PASS, SECRET, TOKEN, APIKEY, CREDENTIAL(S)
or AUTH, or it contains API_KEY, PRIVATE_KEY, ACCESS_KEY, SECRET_KEY…; not when it is a reference to
a secret (\`…_FILE\`, \`…_PATH\`, \`…_URL\`, \`…_VERSION\`, \`…_NAME\`…) or public (\`PUBLIC_KEY\`).
A value written in the file is an error; a bare \`ARG TOKEN\` (its value comes from
\`--build-arg\`, and still lands in the build history) is a warning. Empty values, and values that are
an absolute file path (\`TLS_PRIVATE_KEY=/run/secrets/tls.key\`: where the secret is read from), are
not reported.

The fix, for a bare \`ARG NPM_TOKEN\` of a stage: delete the ARG, add \`--mount=type=secret,id=npm_token\`
to every RUN of the stage after it and start each of their commands with
\`export "NPM_TOKEN=$(cat /run/secrets/npm_token)" && \`, so that each step, and the programs it
starts, see the same variable as before, now from a build secret that is neither in the history nor
in the cache key. Every later RUN gets it, not only those that write \`$NPM_TOKEN\`: a tool may read it
from the environment unasked (npm expands \`\${NPM_TOKEN}\` in an .npmrc, gh reads GH_TOKEN), and the
ARG reached them all; narrow it by hand to the steps that need it. A step that writes the value into
a file (an .npmrc, a git config) still stores it in that layer: the mount keeps it out of the
history, not out of the files a step writes. It is a suggestion, never applied by \`fix --unsafe\`:
the build must then be given the secret, \`--secret id=npm_token,env=NPM_TOKEN\` (from the variable,
as \`--build-arg NPM_TOKEN\` took it) or \`--secret id=npm_token,src=FILE\`, instead of
\`--build-arg NPM_TOKEN=…\`.

The secret is read from the file the mount puts at its default place, \`/run/secrets/<id>\`, not
with the mount's own \`env=\` option: that option needs Dockerfile frontend 1.10 or later, and
buildah 1.28 and podman 4.3 (Debian 12's) refuse it, while this form builds with them and with
BuildKit. Docker 23 and later build with BuildKit, whose built-in frontend knows \`RUN --mount\` (the
stable syntax since docker/dockerfile 1.2); an older Docker needs \`DOCKER_BUILDKIT=1\`, and where its
built-in frontend predates 1.2, a \`# syntax=docker/dockerfile:1\` line, which the fix does not add.
The legacy builder (\`DOCKER_BUILDKIT=0\`) has no \`RUN --mount\`. Built without the secret, the step
goes on as it did without the build argument: cat reports the missing file and the variable is empty
(where the bare ARG left it unset: only a test such as \`\${NPM_TOKEN+set}\` tells the two apart).
\`export\` does not fail with cat, and written as one quoted word it does not draw ShellCheck's SC2155.
\`$(…)\` drops the trailing newline of a secret file written with \`echo\`.

The fix is not offered where the syntax directive names a frontend without \`RUN --mount\`
(docker/dockerfile before 1.2, or one pinned by digest, whose version is unknown); where the builder
itself substitutes the name (in FROM, COPY, ENV, LABEL, another ARG, a RUN flag, an ONBUILD trigger);
where the stage declares it twice or ENV sets it too; for an ARG with a value in the file; where a
later RUN of the stage is in exec form (JSON), has a heredoc, or runs in a shell that is not a POSIX
shell (a SHELL of pwsh or cmd); in a Windows stage (no \`RUN --mount\` there); or for ENV (the running
container may read it: inject it at run time).

Not reported in a CI or test image (known by its file name or directory, or stated with
\`# dockerfile-hardener role=ci\`): its credentials are fixtures, such as the dummy password its tests
log in with.`,
  differences: `BuildKit's SecretsUsedInArgOrEnv also matches any name with a KEY part (\`GPG_KEY\`, which
holds a public fingerprint in many official images); this rule does not.`,
  equivalents: { hadolint: ['DL3064'], buildkit: ['SecretsUsedInArgOrEnv'] },
  examples: {
    invalid: [
      `FROM alpine:3.20
ENV DB_PASSWORD=hunter2 APP_ENV=production
#   ^^^^^^^^^^^ secret-in-env
ARG NPM_TOKEN
#   ^^^^^^^^^ secret-in-env
`,
    ],
    fixes: [
      {
        before: `FROM node:22-alpine
WORKDIR /app
ARG NPM_TOKEN
COPY package.json package-lock.json .npmrc ./
RUN npm ci
`,
        after: `FROM node:22-alpine
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN --mount=type=secret,id=npm_token export "NPM_TOKEN=$(cat /run/secrets/npm_token)" && npm ci
`,
      },
    ],
    valid: [
      `FROM postgres:16
ENV POSTGRES_PASSWORD_FILE=/run/secrets/db_password
ENV GPG_KEY=B42F6819007F00F88E364FD4036A9C25BF357DD4 PUBLIC_KEY_PATH=/etc/app/key.pub
RUN --mount=type=secret,id=npm_token NPM_TOKEN=$(cat /run/secrets/npm_token) npm ci
`,
    ],
  },
  check({ model, report }) {
    // A test image's credentials are fixtures (a dummy password its tests log in with).
    if (model.shipped && runtimeOf(model.shipped).role.kind === 'ci') return;
    for (const d of model.declarations) {
      if (!looksSecret(d.name)) continue;
      const unquoted = d.raw?.replace(/^(["'])(.*)\1$/, '$2');
      if (unquoted === '') continue;
      // An absolute path (SSL_KEYSTORE_PASSWORD=/run/secrets/ks.pass) names where the secret is read from.
      if (unquoted !== undefined && /^\/[^\s:;=]*$/.test(unquoted)) continue;
      const bare = d.raw === undefined;
      if (bare && d.keyword === 'ENV') continue;
      const fix = bare ? secretMountFix(model, d) : undefined;
      report({
        span: d.nameSpan,
        severity: bare ? 'warning' : 'error',
        message: bare
          ? `ARG ${d.name} looks like a credential: a value passed with --build-arg is recorded in the image's build history. Use RUN --mount=type=secret for the step that needs it.`
          : `${d.keyword} ${d.name} looks like a credential, and its value is stored in the image (${d.keyword === 'ENV' ? 'docker inspect' : 'docker history'} shows it). Use RUN --mount=type=secret at build time or inject it at run time.`,
        ...(fix ? { fixes: [fix] } : {}),
      });
    }
  },
});
