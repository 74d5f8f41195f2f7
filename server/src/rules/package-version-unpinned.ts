import { defineRule } from '../engine/rule';
import type { DockerfileModel, RunInfo, Stage } from '../model/model';
import { action, packageCommands, type Manager } from '../model/packages';
import { hasLanguageOption, languageCommands, NPM_INSTALL, wordValues } from '../model/languagePackages';
import { goInvocations } from '../model/go';
import type { Word } from '../model/shell';
import type { Span } from '../model/text';

/** A package word's verdict: pinned, not pinned, or not a package from a repository (a file, a URL, a group). */
type Verdict = 'pinned' | 'unpinned' | 'other';

const isPath = (v: string) => /^(\.{1,2}(\/|$)|\/|~\/)/.test(v);
const isUrl = (v: string) => /^[a-z][a-z0-9+.-]*:\/\//i.test(v);

/** An RPM version after the name: `-1.2.3`, `-1:1.1.1k`, `-2.51.0-2.fc42`, `-1.2*` (`java-1.8.0-openjdk` has none). */
const RPM_VERSION = /-(\d+:)?\d[\w.+~^*]*(-\d[\w.+~^*]*)?(\.(noarch|x86_64|aarch64|i686|ppc64le|s390x))?$/;

const VERDICTS: Record<Manager, (v: string) => Verdict> = {
  'apt-get': (v) => (isPath(v) || v.endsWith('.deb') ? 'other' : v.includes('=') ? 'pinned' : 'unpinned'),
  apt: (v) => VERDICTS['apt-get'](v),
  aptitude: (v) => VERDICTS['apt-get'](v),
  apk: (v) => (isPath(v) || v.endsWith('.apk') ? 'other' : /[=~<>]/.test(v) ? 'pinned' : 'unpinned'),
  yum: (v) => {
    if (isPath(v) || isUrl(v) || v.endsWith('.rpm')) return 'other';
    if (v.startsWith('@')) return v.includes(':') ? 'pinned' : 'other'; // @group, @module:stream
    return RPM_VERSION.test(v) ? 'pinned' : 'unpinned';
  },
  dnf: (v) => VERDICTS.yum(v),
  microdnf: (v) => VERDICTS.yum(v),
  zypper: (v) =>
    isPath(v) || isUrl(v) || v.endsWith('.rpm') || /^(pattern|patch|product):/.test(v) ? 'other' : /[=<>]/.test(v) ? 'pinned' : 'unpinned',
};

function pipVerdict(v: string): Verdict {
  if (v === '@') return 'other';
  if (/^(git|hg|svn|bzr)\+/.test(v)) {
    // A VCS URL names a revision after `@` in its path (`…/repo.git@v1.0`), not in `git@host`.
    const path = v.replace(/^[^:]+:\/\/(?:[^/@]*@)?/, '').split('#')[0];
    return path.includes('@') ? 'pinned' : 'unpinned';
  }
  if (isPath(v) || isUrl(v) || v.includes('/') || /\.(whl|zip|tar\.gz|tar\.bz2|tgz)$/.test(v)) return 'other';
  return /[=<>!~@]/.test(v) ? 'pinned' : 'unpinned';
}

function npmVerdict(v: string): Verdict {
  if (isPath(v) || /\.(tar|tgz|tar\.gz)$/.test(v)) return 'other';
  if (/^(git\+|git:|github:|gitlab:|bitbucket:|gist:)/.test(v) || (!v.startsWith('@') && v.includes('/') && !isUrl(v))) {
    return v.includes('#') ? 'pinned' : 'unpinned'; // a git repository: pinned by a commit, tag or semver range after #
  }
  if (isUrl(v)) return 'other';
  const at = v.indexOf('@', 1);
  const version = at > 0 ? v.slice(at + 1) : '';
  return version && version !== 'latest' && version !== 'next' ? 'pinned' : 'unpinned';
}

/** `std`, `cmd`, `all`, `tool` (Go 1.24): patterns, not modules. */
const GO_PATTERNS = new Set(['std', 'cmd', 'all', 'tool', 'all/...', 'std/...', 'cmd/...']);

function goVerdict(v: string): Verdict {
  if (isPath(v) || v.endsWith('.go') || GO_PATTERNS.has(v)) return 'other';
  const at = v.lastIndexOf('@');
  const version = at > 0 ? v.slice(at + 1) : '';
  return version && !['latest', 'upgrade', 'patch'].includes(version) ? 'pinned' : 'unpinned';
}

/**
 * The RUN mounts a go.mod or go.work (or a whole directory that may hold one), or its stage (or one it
 * inherits from) copies one in.
 */
function inModule(stage: Stage, run: RunInfo): boolean {
  const mounts = run.mounts.some((m) => {
    const opts = new Map(m.options.map((o) => [o.name.toLowerCase(), o.value ?? '']));
    if ((opts.get('type') ?? 'bind') !== 'bind') return false;
    const source = opts.get('source') ?? opts.get('src') ?? '.';
    return /(^|\/)go\.(mod|work)$/.test(source) || /^\.?\/?$/.test(source);
  });
  return (
    mounts ||
    stage.chain.some((s) =>
      s.instructions.some((i) => {
        if (i.keyword !== 'COPY' && i.keyword !== 'ADD') return false;
        const text = stage.model.text.slice(i.span.start, i.span.end);
        return /\bgo\.(mod|work)\b/.test(text) || /\s\.\/?\s/.test(text);
      }),
    )
  );
}

interface Candidate {
  run: RunInfo;
  span: Span;
  code: string;
  what: string;
  words: Word[];
  verdict: (v: string) => Verdict;
  hint: string;
}

const CODES: Record<Manager, string> = {
  'apt-get': 'DL3008',
  apt: 'DL3008',
  aptitude: 'DL3008',
  apk: 'DL3018',
  yum: 'DL3033',
  dnf: 'DL3041',
  microdnf: 'DL3041',
  zypper: 'DL3037',
};

const HINTS: Record<Manager, string> = {
  'apt-get': 'pkg=version',
  apt: 'pkg=version',
  aptitude: 'pkg=version',
  apk: 'pkg=version (or pkg~version)',
  yum: 'pkg-version',
  dnf: 'pkg-version',
  microdnf: 'pkg-version',
  zypper: "pkg=version (or 'pkg>=version')",
};

function systemCandidates(model: DockerfileModel): Candidate[] {
  const out: Candidate[] = [];
  for (const cmd of packageCommands(model)) {
    const install = cmd.manager === 'apk' ? cmd.sub === 'add' : action(cmd) === 'install';
    if (!install || cmd.manager === 'aptitude') continue;
    if (cmd.sub === 'group' || cmd.sub === 'groupinstall') continue; // groups have no versions
    // zypper install -t pattern|patch|product names no package.
    if (cmd.manager === 'zypper' && cmd.options.some((o, k) => /^(-t|--type)$/.test(o.value) && cmd.options[k + 1]?.value !== 'package')) {
      continue;
    }
    const words = cmd.sub === 'module' ? cmd.packages.slice(1) : cmd.packages;
    const verdict = cmd.sub === 'module' ? (v: string) => (v.includes(':') ? 'pinned' : 'unpinned') : VERDICTS[cmd.manager];
    const what = `${cmd.manager} ${cmd.sub === 'module' ? 'module install' : cmd.sub}`;
    out.push({ run: cmd.run, span: cmd.span, code: CODES[cmd.manager], what, words, verdict, hint: HINTS[cmd.manager] });
  }
  return out;
}

function languageCandidates(model: DockerfileModel): Candidate[] {
  const out: Candidate[] = [];
  for (const cmd of languageCommands(model)) {
    const base = { run: cmd.run, span: cmd.span, words: cmd.args };
    if ((cmd.tool === 'pip' || cmd.tool === 'pipx') && cmd.sub === 'install') {
      // A constraints file pins what it names; the tool cannot read it.
      if (hasLanguageOption(cmd, '-c', '--constraint')) continue;
      out.push({ ...base, code: 'DL3013', what: `${cmd.tool} install`, verdict: pipVerdict, hint: 'pkg==version' });
    } else if (cmd.tool === 'npm' && NPM_INSTALL.has(cmd.sub)) {
      out.push({ ...base, code: 'DL3016', what: `npm ${cmd.sub}`, verdict: npmVerdict, hint: 'pkg@version' });
    } else if (cmd.tool === 'gem' && (cmd.sub === 'install' || cmd.sub === 'i')) {
      if (hasLanguageOption(cmd, '-v', '--version')) continue;
      const verdict = (v: string): Verdict => (isPath(v) || v.endsWith('.gem') ? 'other' : v.includes(':') ? 'pinned' : 'unpinned');
      out.push({ ...base, code: 'DL3028', what: `gem ${cmd.sub}`, verdict, hint: 'gem:version or -v version' });
    }
  }
  for (const inv of goInvocations(model)) {
    if (inv.sub !== 'install' && inv.sub !== 'get' && inv.sub !== 'run') continue;
    // go run PKG ARGS…: the words after the package are the program's arguments.
    const words = inv.sub === 'run' ? inv.args.slice(0, 1) : inv.args;
    // In a module (go.mod copied in), a package without @version gets the version go.mod requires.
    const verdict = inModule(inv.stage, inv.run) ? (v: string) => (v.includes('@') ? goVerdict(v) : 'other') : goVerdict;
    out.push({ run: inv.run, span: inv.span, code: 'DL3062', what: `go ${inv.sub}`, words, verdict, hint: 'module@version' });
  }
  return out;
}

export default defineRule({
  id: 'package-version-unpinned',
  severity: 'warning',
  enabled: false,
  summary: 'A package install without a version pin.',
  rationale: `An install that names a package without a version gets whatever version the repository
has on the day of the build: two builds of the same Dockerfile can differ, and a new release can
break the image without a change to the file. Pinning the version (\`curl=8.5.0-2\`, \`flask==3.0.3\`,
\`express@4.19.2\`, \`golang.org/x/tools/cmd/goimports@v0.24.0\`) makes a rebuild reproducible and
an upgrade a visible change.

Checked for apt-get and apt, apk, yum, dnf and microdnf, zypper, pip and pipx, npm, gem and go
(install, get, run), in every stage: what a builder installs shapes what it builds. One finding per
command, naming the packages without a version. Local files, URLs, groups and requirement files are
not checked (\`pip install -r requirements.txt\` pins what the file pins). \`@latest\` is no pin. A
variable is read from ENV; a build argument (ARG), which the build may set, or a value the tool
cannot know is taken as pinned, and so is \`go install pkg\` in a module (go.mod copied or mounted),
which gets the version go.mod requires. No fix: the versions to pin are not known offline.

**Off by default**: most real Dockerfiles install unpinned distribution packages on purpose, to get
security updates with each rebuild. Turn it on with \`rules: { package-version-unpinned: warning }\`
(or a \`.hadolint.yaml\` override of one of its codes).`,
  differences: `\`npm install pkg@latest\` and \`@next\`
count as unpinned here; \`go install pkg\` without a version where go.mod is copied or mounted does not. rpm versions must follow the name (\`java-1.8.0-openjdk\` names no version).`,
  equivalents: { hadolint: ['DL3008', 'DL3013', 'DL3016', 'DL3018', 'DL3028', 'DL3033', 'DL3037', 'DL3041', 'DL3062'] },
  examples: {
    invalid: [
      `FROM debian:12
RUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u8 git
#                     ^^^^^^^^^^^^^^^ package-version-unpinned
`,
      `FROM python:3.12-slim
RUN pip install --no-cache-dir flask gunicorn==22.0.0
#   ^^^^^^^^^^^ package-version-unpinned
`,
    ],
    valid: [
      `FROM alpine:3.20
RUN apk add --no-cache curl=8.9.1-r2
`,
      `FROM python:3.12-slim
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
`,
      `FROM golang:1.23
RUN go install golang.org/x/tools/cmd/goimports@v0.24.0
`,
    ],
  },
  check({ model, report }) {
    const texts = new Map<RunInfo, string>();
    const args = new Set(model.declarations.filter((d) => d.keyword === 'ARG').map((d) => d.name));
    for (const c of [...systemCandidates(model), ...languageCandidates(model)]) {
      if (!texts.has(c.run)) texts.set(c.run, model.text.slice(c.run.instr.span.start, c.run.instr.span.end));
      const unpinned: string[] = [];
      for (const w of c.words) {
        const values = wordValues(c.run, w, texts.get(c.run)!, args);
        for (const v of values ?? []) if (!v.startsWith('-') && c.verdict(v) === 'unpinned') unpinned.push(v);
      }
      if (!unpinned.length) continue;
      const named = unpinned.slice(0, 3).join(', ') + (unpinned.length > 3 ? ` and ${unpinned.length - 3} more` : '');
      report({
        span: c.span,
        message: `${c.what} without a version for ${named}: a rebuild gets whatever version is newest then. Pin it (${c.hint}).`,
        hadolint: [c.code],
      });
    }
  },
});
