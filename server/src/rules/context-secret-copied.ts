import { defineRule, type Fix, type RuleContext } from '../engine/rule';
import type { BuildContext, ContextSecret, ContextSecrets } from '../model/context';
import { cleanPath, excludedBy, parseDockerignore } from '../model/dockerignore';
import { reachesShipped } from '../model/files';
import type { CopyInfo, DockerfileModel, RunInfo, Stage } from '../model/model';
import { globMatch, hasGlob, normalizePath } from '../model/paths';
import { runtimeOf } from '../model/runtime';
import { commandName } from '../model/shell';
import type { Span } from '../model/text';
import secretFileCopied from './secret-file-copied';
import secretInContent from './secret-in-content';

/** The examples' build context: a walk that found an .env and a deploy key. */
const EXAMPLE_CONTEXT: BuildContext = {
  readFile: () => undefined,
  exists: () => undefined,
  ignoreFile: () => null,
  secretFiles: () => ({
    files: [
      { path: '.env', why: 'environment files usually hold credentials' },
      { path: 'deploy/id_ed25519', why: 'an SSH private key' },
    ],
    truncated: false,
    ignoreFile: { file: '/example/.dockerignore', name: '.dockerignore', exists: false, text: '' },
  }),
};

/** At most this many files are named in a message. */
const NAMED = 5;

/** Whether a RUN of the file runs git (`git describe` for a version stamp needs `.git` in the context). */
function runsGit(model: DockerfileModel): boolean {
  // The script's text too: a command substitution (`VERSION=$(git describe)`) is not a simple command of it.
  const uses = (r: RunInfo) =>
    r.commands.some((c) => commandName(c.argv) === 'git') || /(^|[\s;&|(`])git\s/.test(model.argumentsOf(r.instr).text);
  return model.stages.some((s) => s.runs.some(uses));
}

/**
 * Whether secret-file-copied (by name) or secret-in-content (by what it holds) reports the context
 * file at `path`, where they run, on a source that names it or a glob that matches it: one secret, one finding.
 */
function namedElsewhere(ctx: RuleContext): (path: string) => boolean {
  const spans: Span[] = [];
  for (const rule of [secretFileCopied, secretInContent])
    if (ctx.options.rules?.[rule.id] !== 'off') rule.check({ model: ctx.model, options: ctx.options, report: (r) => spans.push(r.span) });
  const tests: ((path: string) => boolean)[] = [];
  for (const s of ctx.model.stages)
    for (const c of s.copies)
      for (const src of c.sources) {
        if (!src.value || !spans.some((x) => x.start === src.span.start)) continue;
        const n = relative(src.value);
        if (n !== undefined) tests.push((p) => p === n || p.startsWith(`${n}/`));
        else if (hasGlob(src.value) && !isRemote(src.value)) tests.push(globTest(src.value));
      }
  return (p) => tests.some((t) => t(p));
}

/**
 * A COPY source glob as the builder matches it (Go's filepath.Match, element by element: `*`, `?`,
 * `[…]`), against a context path: the path itself, or a directory above it that the glob copies whole.
 */
function globTest(glob: string): (path: string) => boolean {
  const g = cleanPath(glob).replace(/^\/+/, '');
  const depth = g.split('/').length;
  return (p) => {
    const parts = p.split('/');
    return parts.length >= depth && globMatch(g, parts.slice(0, depth).join('/'));
  };
}

function isRemote(value: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(value) || value.startsWith('git@');
}

/** A COPY source as a path relative to the context's root ('' for the root), or undefined for a URL or glob. */
function relative(value: string): string | undefined {
  if (isRemote(value) || hasGlob(value)) return undefined;
  const p = cleanPath(value).replace(/^\/+/, '');
  return p === '.' ? '' : p;
}

/** Where a file under the source directory `dir` lands in the stage. */
function landing(c: CopyInfo, dir: string, file: string): string | undefined {
  return c.destPath ? normalizePath(`${c.destPath}/${dir ? file.slice(dir.length + 1) : file}`) : undefined;
}

/** The secrets one COPY takes through its directory sources, and the span to report them on. */
function takenBy(
  model: DockerfileModel,
  stage: Stage,
  c: CopyInfo,
  secrets: ContextSecret[],
): { span: Span; files: ContextSecret[] } | undefined {
  let span: Span | undefined;
  const files: ContextSecret[] = [];
  const shipped = !model.shipped || model.shipped.chain.includes(stage);
  // `COPY --exclude=PATTERN`: patterns on the paths below the source, as in an ignore file.
  const patterns = c.instr.flags.filter((f) => f.name.toLowerCase() === 'exclude' && f.value).map((f) => f.value);
  const exclude = patterns.length ? parseDockerignore(patterns.join('\n')) : undefined;
  for (const src of c.sources) {
    const dir = src.value === undefined ? undefined : relative(src.value);
    if (dir === undefined) continue;
    const under = secrets.filter(
      (f) =>
        (dir === '' || f.path.startsWith(`${dir}/`)) &&
        !files.includes(f) &&
        !(exclude && excludedBy(exclude, dir ? f.path.slice(dir.length + 1) : f.path)),
    );
    // A builder's secret counts when a COPY --from takes it on into the shipped image.
    const kept = shipped
      ? under
      : under.filter((f) => {
          const at = landing(c, dir, f.path);
          return at !== undefined && reachesShipped(model, stage, [at]);
        });
    if (!kept.length) continue;
    span ??= src.span;
    files.push(...kept);
  }
  return span && { span, files };
}

/** Whether a COPY or ADD without --from takes a directory of the context (the root, `dir/`, or one `list` finds). */
function copiesDirectory(model: DockerfileModel, context: BuildContext): boolean {
  return model.stages.some((s) =>
    s.copies.some(
      (c) =>
        !c.from &&
        c.sources.some((src) => {
          const dir = src.value === undefined ? undefined : relative(src.value);
          return dir !== undefined && (dir === '' || src.value?.endsWith('/') || context.list?.(dir) !== undefined);
        }),
    ),
  );
}

function listed(files: ContextSecret[], git: boolean): string {
  const shown = files.slice(0, NAMED).map((f) => {
    const note = f.path === '.git' && git ? '; a RUN here uses git, so the fix leaves it to you' : '';
    return `${f.path} (${f.why}${note})`;
  });
  return files.length > NAMED ? `${shown.join(', ')} and ${files.length - NAMED} more` : shown.join(', ');
}

/** The fix: the files appended to the ignore file that applies (created when there is none). */
function ignoreFix(secrets: ContextSecrets, files: ContextSecret[], git: boolean): Fix | undefined {
  const paths = files.map((f) => f.path).filter((p) => !(p === '.git' && git));
  if (!paths.length) return undefined;
  const target = secrets.ignoreFile;
  const names = paths.length > 3 ? `${paths.slice(0, 3).join(', ')} and ${paths.length - 3} more` : paths.join(', ');
  const sep = target.text && !target.text.endsWith('\n') ? '\n' : '';
  return {
    // Files the build or the image may read (an .env read at start, a key a RUN clones with) are no
    // longer copied: the user decides, so it is never preferred (fix --unsafe leaves it).
    title: `Add ${names} to ${target.name} (check: nothing in the build or the app reads them)`,
    kind: 'suggestion',
    edits: () => [],
    fileEdits: () => [
      { file: target.file, create: !target.exists, text: target.text, append: `${sep}${paths.map((p) => `${escapeGlob(p)}\n`).join('')}` },
    ],
  };
}

/** A path as a literal ignore pattern (`[`, `*`, `?`, `\` and a leading `!` or `#` escaped). */
function escapeGlob(p: string): string {
  return p.replace(/[[\]*?\\]/g, '\\$&').replace(/^([!#])/, '\\$1');
}

export default defineRule({
  id: 'context-secret-copied',
  severity: 'error',
  summary: 'COPY or ADD of a directory takes credential files from the build context that .dockerignore lets through.',
  rationale: `\`COPY . .\` (or any COPY or ADD of a directory) copies every file of the build context that
\`.dockerignore\` does not exclude, so credentials lying in the project directory end up in an image
layer, readable by anyone who can pull the image: \`.env\` files, private keys (\`id_rsa\`, \`*.pem\` and
\`*.key\` that hold a private key, \`*.p12\`, \`*.pfx\`, Java keystores), a cloud service-account key (a
JSON file whose content says \`"type": "service_account"\`), an \`.npmrc\` with an auth token or a
\`.pypirc\` with a password, \`.netrc\`, \`.git-credentials\`, \`.aws/credentials\`, a kubeconfig, \`.ssh\`,
and \`.git\` itself: a warning for its history (deleted files and any secret ever committed may be in it,
the tool does not look), an error when its config holds a credential (a token in a remote URL, an
\`http.extraheader\` with an authorization header). Add them to
\`.dockerignore\` (or the Dockerfile's own \`<name>.dockerignore\`, which wins where it exists) and pass
what a build step needs with \`RUN --mount=type=secret\`.

The context is the Dockerfile's directory, or the one \`--context\` or the config's \`context\` names;
the ignore file is applied as the builder applies it (\`**\`, \`!\` exceptions, the Dockerfile's own
ignore file). Only file names and the first bytes of a few files (\`.npmrc\`, \`.pypirc\`, JSON files,
\`*.pem\`/\`*.key\` headers, \`.git/config\`) are read, nothing is sent anywhere. \`.env.example\` and the like, public
certificates and keys, \`node_modules\` and virtual environments (their keys are their packages'
fixtures), and test fixture directories (\`test/\`, \`testdata/\`, \`fixtures/\`…) are not reported.

The quick fix appends the files to the ignore file (creating it when there is none). It is a
suggestion, never applied on its own: an application that reads its \`.env\` at run time stops
finding it. It never adds \`.git\` when a RUN uses git (a version stamp from \`git describe\`): the
message names it and leaves the choice.`,
  differences: `No peer reads the build context for credentials. Only copies that reach the shipped image
are reported (its stages, or a builder's files a COPY --from takes on); a file a COPY names itself, or
matches with a glob that secret-file-copied reports, is secret-file-copied's, and a file is named once, at the first COPY that takes it. A CI or test image is
not judged (its keys are fixtures). Without a build context on disk (standard input without \`--context\`, an unsaved
editor) the rule is silent.`,
  equivalents: {},
  examples: {
    // The context holds an .env and deploy/id_ed25519, and no .dockerignore.
    options: { buildContext: EXAMPLE_CONTEXT },
    invalid: [
      `# context: .env, deploy/id_ed25519, no .dockerignore
FROM node:22-alpine
WORKDIR /app
COPY . .
#    ^ context-secret-copied
`,
    ],
    valid: [
      `# context: .env, deploy/id_ed25519, no .dockerignore
FROM node:22-alpine
WORKDIR /app
COPY package.json package-lock.json ./
COPY src/ ./src/
`,
    ],
  },
  check(ctx) {
    const { model, report } = ctx;
    // A test image's keys and password files are fixtures its tests use.
    if (!model.context || (model.shipped && runtimeOf(model.shipped).role.kind === 'ci')) return;
    // The context is walked only for a file that copies a directory from it.
    if (!copiesDirectory(model, model.context)) return;
    const secrets = model.context.secretFiles?.();
    if (!secrets?.files.length) return;
    const named = namedElsewhere(ctx);
    let left = secrets.files.filter((f) => !named(f.path));
    const git = runsGit(model);
    for (const s of model.stages) {
      for (const c of s.copies) {
        if (c.from || !left.length) continue;
        const taken = takenBy(model, s, c, left);
        if (!taken) continue;
        left = left.filter((f) => !taken.files.includes(f));
        const fix = ignoreFix(secrets, taken.files, git);
        const more = secrets.truncated ? ' (the context is too large to look at whole: there may be more)' : '';
        const { name, exists } = secrets.ignoreFile;
        // `.git` alone is what the tool cannot see into (the history): a warning, unless its config holds a credential.
        const history = taken.files.every((f) => f.credential === false);
        const one = history && taken.files.length === 1;
        const them = one ? 'it' : 'them';
        const why = exists ? `${name} does not exclude ${them}` : `no .dockerignore excludes ${them}`;
        const what = one ? 'the git repository' : history ? 'git repositories' : 'credentials';
        const pass = history ? '' : ' and pass what a build step needs with RUN --mount=type=secret';
        report({
          span: taken.span,
          message: `${c.keyword} takes ${what} from the build context into the image, since ${why}: ${listed(taken.files, git)}${more}. Keep ${them} out with ${name}${pass}.`,
          severity: history ? 'warning' : undefined,
          fixes: fix ? [fix] : undefined,
        });
      }
    }
  },
});
