import { defineRule, type Rule, type RuleContext } from '../engine/rule';
import type { DockerfileModel, Instr, Stage } from '../model/model';
import { hasGlob, normalizePath } from '../model/paths';
import { runtimeOf } from '../model/runtime';
import type { Span } from '../model/text';
import secretInEnv from './secret-in-env';
import secretFileCopied from './secret-file-copied';

/** A credential format: what it is called, and a pattern whose groups are (1) the shown prefix, (2) the secret. */
interface Format {
  name: string | ((prefix: string) => string);
  re: RegExp;
  /** Only the secret group is the secret (a registry's address before it is not). */
  valueOnly?: boolean;
  /** What else the message must say: a kind of key that is sometimes public by design. */
  note?: string;
}

const GITHUB_KINDS: Record<string, string> = {
  ghp_: 'GitHub personal access token',
  gho_: 'GitHub OAuth access token',
  ghu_: 'GitHub user-to-server token',
  ghs_: 'GitHub server-to-server token',
  ghr_: 'GitHub refresh token',
};

/** Most specific first: where two formats match the same text, the first one is reported. */
const FORMATS: Format[] = [
  { name: (p) => GITHUB_KINDS[p], re: /(?<![A-Za-z0-9_])(gh[pousr]_)([A-Za-z0-9]{36,251})(?![A-Za-z0-9_])/g },
  { name: 'GitHub fine-grained token', re: /(?<![A-Za-z0-9_])(github_pat_)([A-Za-z0-9]{22}_[A-Za-z0-9]{59})(?![A-Za-z0-9_])/g },
  { name: 'GitLab personal access token', re: /(?<![A-Za-z0-9_-])(glpat-)([A-Za-z0-9_-]{20,64})(?![A-Za-z0-9_-])/g },
  { name: 'npm access token', re: /(?<![A-Za-z0-9_])(npm_)([A-Za-z0-9]{36})(?![A-Za-z0-9_])/g },
  { name: 'AWS access key id', re: /(?<![A-Za-z0-9])(AKIA|ASIA)([A-Z0-9]{16})(?![A-Za-z0-9])/g },
  { name: 'Slack token', re: /(?<![A-Za-z0-9-])(xox[abprs]-)(\d+-[A-Za-z0-9-]{10,})(?![A-Za-z0-9-])/g },
  { name: 'Slack webhook URL', re: /(hooks\.slack\.com\/services\/)(T[A-Z0-9]{6,}\/B[A-Z0-9]{6,}\/[A-Za-z0-9]{16,})(?![A-Za-z0-9])/g },
  { name: 'Stripe live secret key', re: /(?<![A-Za-z0-9_])(sk_live_)([A-Za-z0-9]{20,})(?![A-Za-z0-9_])/g },
  {
    name: 'Google API key',
    re: /(?<![A-Za-z0-9_-])(AIza)([A-Za-z0-9_-]{35})(?![A-Za-z0-9_-])/g,
    note: 'A browser key (Maps, Firebase) is public by design, but then restrict it to its referrers and APIs; otherwise',
  },
  {
    name: 'npm registry auth token',
    re: /\/\/[^\s'"/]+(?:\/[^\s'"]*?)?\/?(:_authToken=)([^\s'"\\;&|]+)/g,
    valueOnly: true,
  },
];

/** Words that mark a value as a placeholder or a documentation example. */
const PLACEHOLDER = /xxxx|example|dummy|fake|sample|placeholder|redacted|changeme|your_?(token|key)|replace_?me|insert_?here/i;

/** The longest run of consecutive characters (`abcdefgh`, `9876543`): typed by a person, not random. */
function alphabetRun(s: string): number {
  let best = 1;
  for (const step of [1, -1]) {
    for (let i = 1, run = 1; i < s.length; i++) {
      run = s.charCodeAt(i) === s.charCodeAt(i - 1) + step ? run + 1 : 1;
      best = Math.max(best, run);
    }
  }
  return best;
}

/**
 * A stand-in rather than a credential: a variable, a marked example, too few distinct characters, or
 * (`mixed`, for random base62 or base64) only one of upper case, lower case and digits (\`123456…\`).
 */
function placeholder(secret: string, mixed = true): boolean {
  if (/[$<>{}*]/.test(secret) || PLACEHOLDER.test(secret)) return true;
  if (new Set(secret.replace(/[-_/+]/g, '')).size < 6 || alphabetRun(secret) >= 12) return true;
  return mixed && [/[a-z]/, /[A-Z]/, /[0-9]/].filter((re) => re.test(secret)).length < 2;
}

interface Hit {
  /** Index in the scanned text, and length. */
  at: number;
  length: number;
  /** What it is, with a masked prefix: `GitHub personal access token (ghp_…)`. */
  what: string;
  fixtureInTests?: boolean;
  note?: string;
}

const AWS_SECRET = /(?<![A-Za-z0-9/+=])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/g;

/** An AWS secret access key: 40 base64 characters of mixed case and digits, close to an access key id. */
function awsSecrets(text: string, near: number, id: string): Hit[] {
  const from = Math.max(0, near - 400);
  const window = text.slice(from, near + 400);
  const out: Hit[] = [];
  for (const m of window.matchAll(AWS_SECRET)) {
    const s = m[0];
    if (!/[a-z]/.test(s) || !/[A-Z]/.test(s) || !/[0-9]/.test(s) || placeholder(s)) continue;
    out.push({ at: from + m.index, length: s.length, what: `AWS secret access key (next to ${id}…)` });
  }
  return out;
}

const KEY_HEADER = /-----BEGIN ((?:[A-Z0-9]+ )*)PRIVATE KEY( BLOCK)?-----/g;

/** Private key blocks with a body: a header alone is a script looking for one (`grep "BEGIN … PRIVATE KEY"`). */
function privateKeys(text: string): Hit[] {
  const out: Hit[] = [];
  for (const m of text.matchAll(KEY_HEADER)) {
    const after = text.slice(m.index + m[0].length, m.index + m[0].length + 400);
    const body = after.split('-----END')[0].replace(/\\[nr]/g, ' ');
    // Base64 of a key has every kind of character; a hex digest or a path nearby does not.
    const run = /[A-Za-z0-9+/]{40,}/.exec(body);
    if (!run || placeholder(run[0]) || !/[a-z]/.test(run[0]) || !/[A-Z]/.test(run[0]) || !/[0-9]/.test(run[0])) continue;
    const kind = m[1] ? `${m[1]}PRIVATE KEY` : 'PRIVATE KEY';
    out.push({ at: m.index, length: m[0].length, what: `private key (BEGIN ${kind.trim()})`, fixtureInTests: true });
  }
  return out;
}

/**
 * What every format and a private key header start with: one scan that rules out almost every text
 * before the formats' own patterns (each with look-arounds) run on it.
 */
const ANY_PREFIX = /gh[pousr]_|github_pat_|glpat-|npm_|AKIA|ASIA|xox[abprs]-|hooks\.slack\.com|sk_live_|AIza|:_authToken=|PRIVATE KEY/;

/** Every credential in a text, by format; overlapping matches are reported once, as the first format. */
function findSecrets(text: string): Hit[] {
  if (!ANY_PREFIX.test(text)) return [];
  const hits: Hit[] = [];
  for (const f of FORMATS) {
    for (const m of text.matchAll(f.re)) {
      const [, prefix, secret] = m;
      // An AWS key id is upper case and digits, and may have no digit.
      if (placeholder(secret, prefix !== 'AKIA' && prefix !== 'ASIA')) continue;
      const name = typeof f.name === 'string' ? f.name : f.name(prefix);
      const at = f.valueOnly ? m.index + m[0].length - secret.length : m.index;
      hits.push({ at, length: m.index + m[0].length - at, what: `${name} (${prefix}…)`, note: f.note });
      if (prefix === 'AKIA' || prefix === 'ASIA') hits.push(...awsSecrets(text, m.index, prefix));
    }
  }
  hits.push(...privateKeys(text));
  const kept: Hit[] = [];
  for (const h of hits) if (!kept.some((k) => h.at < k.at + k.length && k.at < h.at + h.length)) kept.push(h);
  return kept.sort((a, b) => a.at - b.at);
}

/** Whether the stage's files ship, for the message. */
function stageNote(model: DockerfileModel, stage: Stage | undefined): string {
  if (!stage) return ', before the first FROM (in the build history of every stage that declares it)';
  if (!model.shipped || model.shipped.chain.includes(stage)) return ', in a stage that ships';
  const name = stage.name ? `"${stage.name}"` : String(stage.index);
  return `, in stage ${name}, which does not ship but keeps it in its layers, history and the build cache`;
}

const PLACE: Record<string, string> = { ENV: 'an ENV value', ARG: 'an ARG default', LABEL: 'a LABEL' };

const ADVICE = 'Revoke and rotate it, then pass it with RUN --mount=type=secret; no edit can make it safe.';

/** The advice, after what a format needs said first; a key that may be public is a warning. */
function advice(h: Hit): { text: string; severity?: 'warning' } {
  if (!h.note) return { text: ADVICE };
  return { text: `${h.note} ${ADVICE[0].toLowerCase()}${ADVICE.slice(1)}`, severity: 'warning' };
}

type Region = { start: number; end: number };

/** The spans another secret rule reports on this file, where it runs (a rule switched off reports nothing). */
function reportedBy(rule: Rule, ctx: RuleContext): Span[] {
  if (ctx.options.rules?.[rule.id] === 'off') return [];
  const spans: Span[] = [];
  rule.check({ model: ctx.model, options: ctx.options, report: (r) => spans.push(r.span) });
  return spans;
}

/**
 * One secret, one finding: the parts of an ENV or ARG whose name secret-in-env reports (from the name
 * to the next declaration of the instruction), and the COPY sources secret-file-copied reports.
 */
function reportedElsewhere(ctx: RuleContext): { values: Region[]; sources: Span[] } {
  const byName = reportedBy(secretInEnv, ctx);
  const decls = ctx.model.declarations;
  const values: Region[] = [];
  decls.forEach((d, i) => {
    if (d.raw === undefined || !byName.some((s) => s.start === d.nameSpan.start)) return;
    const next = decls[i + 1]?.instr === d.instr ? decls[i + 1].nameSpan.start : d.instr.span.end;
    values.push({ start: d.nameSpan.start, end: next });
  });
  return { values, sources: ctx.model.context ? reportedBy(secretFileCopied, ctx) : [] };
}

/** The credentials written in an instruction's arguments (heredoc bodies included; comments are not). */
function checkInstruction(ctx: RuleContext, instr: Instr, skip: Region[], ci: boolean): void {
  const { model, report } = ctx;
  const logical = model.argumentsOf(instr);
  for (const h of findSecrets(logical.text)) {
    if (ci && h.fixtureInTests) continue;
    const start = logical.at(h.at);
    const end = logical.at(h.at + h.length - 1) + 1;
    if (skip.some((s) => start >= s.start && start < s.end)) continue;
    const place = PLACE[instr.keyword] ?? `this ${instr.keyword}`;
    const { text, severity } = advice(h);
    report({ span: { start, end }, severity, message: `${h.what} in ${place}${stageNote(model, instr.stage)}. ${text}` });
  }
}

/** At most this much of a build-context file is read, and only text. */
const MAX_CONTEXT_FILE = 64 * 1024;

/** The credentials in text files a COPY or ADD takes from the build context, where it can be read. */
function checkContextFiles(ctx: RuleContext, stage: Stage, skip: Span[], ci: boolean): void {
  const { model, report } = ctx;
  const context = model.context;
  if (!context) return;
  for (const c of stage.copies) {
    if (c.from) continue;
    for (const src of c.sources) {
      const v = src.value;
      if (!v || /^[a-z][a-z0-9+.-]*:\/\//i.test(v) || v.startsWith('git@') || hasGlob(v)) continue;
      if (skip.some((x) => x.start === src.span.start)) continue;
      const text = context.readFile(normalizePath(v).replace(/^\/+/, ''));
      if (text === undefined || text.length > MAX_CONTEXT_FILE || text.includes('\u0000')) continue;
      for (const h of findSecrets(text)) {
        if (ci && h.fixtureInTests) continue;
        const line = text.slice(0, h.at).split('\n').length;
        const { text: more, severity } = advice(h);
        report({
          span: src.span,
          severity,
          message: `${h.what} in ${v} (line ${line}), which this ${c.keyword} puts into the image${stageNote(model, stage)}. ${more}`,
        });
      }
    }
  }
}

// Fake tokens for the examples, joined when the module loads: written whole, the bundle (and the
// .vsix built from it) would hold token-shaped strings that secret scanners, vsce's among them, refuse.
const FAKE_GITHUB = ['ghp', '_0123456789abcdefghij', 'ABCDEFGHIJ012345'].join('');
const FAKE_NPM = ['npm', '_f3K9qL2xVb7Rt5Nw', 'Y1Zp8Hc4Jm6Ds0GaEu4Q'].join('');

export default defineRule({
  id: 'secret-in-content',
  severity: 'error',
  summary:
    'A credential, recognised by its format, is written in the Dockerfile or a file it copies (error; a Google API key is a warning).',
  rationale: `A token or key written into a Dockerfile is in the image or its build: a RUN script (and
whatever it writes to \`~/.npmrc\`, \`~/.netrc\`, \`~/.pypirc\` or \`~/.docker/config.json\`) is recorded
in the image's history, ENV and LABEL values in its configuration, ARG defaults in its history, and
a COPY heredoc or a copied file in a layer. Deleting it in a later step does not take it out of the
layers or the build cache. Treat it as leaked: revoke and rotate it, and give the new one to the
step that needs it with \`RUN --mount=type=secret,id=npm_token …\` (read from /run/secrets), which
is kept out of layers and history.

Credentials are recognised by their format, not by a variable's name (that is secret-in-env): GitHub
tokens (\`ghp_\`, \`gho_\`, \`ghu_\`, \`ghs_\`, \`ghr_\`, \`github_pat_\`), GitLab (\`glpat-\`) and
npm (\`npm_\`) tokens, AWS access key ids (\`AKIA\`, \`ASIA\`) and a secret access key next to one,
Slack tokens (\`xoxb-\`, \`xoxp-\`…) and webhook URLs, Stripe live keys (\`sk_live_\`), Google API
keys (\`AIza\`: a warning, since a browser key for Maps or Firebase is public by design), a literal
\`//registry…/:_authToken=\` in an npm configuration, and private key blocks with a body.
Placeholders are not reported: \`\${NPM_TOKEN}\`, \`<token>\`, values marked as examples
(\`EXAMPLE\`, \`xxxx\`, \`dummy\`), made of a few repeated characters or a long run of the alphabet
(\`abcdefghijklmnop…\`), or a random format of one kind of character only (all digits). The message
names the format and shows only its prefix, never the secret. Comments are not read: they are not in
the image.

Every stage is checked, builders too (their layers, history and cache hold the secret even when
nothing of them ships); the message says whether the stage ships. Where the build context can be
read, small text files a COPY or ADD names are read too. One secret, one finding: an ENV or ARG that
secret-in-env reports by its name, and a file secret-file-copied reports, are not reported again. In
a CI or test image a private key is taken for a test fixture and not reported; a service token still
is, since it works against the service.`,
  equivalents: {},
  examples: {
    invalid: [
      `FROM node:22-alpine AS build
RUN echo "//registry.npmjs.org/:_authToken=${FAKE_NPM}" > ~/.npmrc && npm ci
#                                          ${'^'.repeat(FAKE_NPM.length)} secret-in-content
FROM node:22-alpine
ENV GIT_REMOTE=https://${FAKE_GITHUB}@github.com/acme/app.git
#                      ${'^'.repeat(FAKE_GITHUB.length)} secret-in-content
`,
    ],
    valid: [
      `FROM node:22-alpine
RUN echo '//registry.npmjs.org/:_authToken=\${NPM_TOKEN}' > .npmrc
RUN --mount=type=secret,id=npm_token NPM_TOKEN="$(cat /run/secrets/npm_token)" npm ci
`,
    ],
  },
  check(ctx) {
    const { model } = ctx;
    const ci = !!model.shipped && runtimeOf(model.shipped).role.kind === 'ci';
    const skip = reportedElsewhere(ctx);
    for (const instr of model.instructions) checkInstruction(ctx, instr, skip.values, ci);
    for (const s of model.stages) checkContextFiles(ctx, s, skip.sources, ci);
  },
});
