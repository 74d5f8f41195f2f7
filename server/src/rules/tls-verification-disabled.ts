import { defineRule, type Fix } from '../engine/rule';
import { EditBuilder } from '../engine/edits';
import { deleteWords } from '../fixes/shell';
import { allCommands, commandName, parseShell, unwrap, type SimpleCommand, type Word } from '../model/shell';
import type { DockerfileModel, RunInfo } from '../model/model';
import type { Span } from '../model/text';

type Kind = 'tls' | 'signature';

interface Hit {
  /** The word reported. */
  word: Word;
  kind: Kind;
  /** What turns the check off, for the message: `curl -k`, `GIT_SSL_NO_VERIFY`. */
  what: string;
  /** Words a fix removes (the flag, and its value when written apart), when removing them is the whole edit. */
  remove?: Word[];
  /** A replacement for the word instead (a letter out of combined short options: `-fsSLk` → `-fsSL`). */
  replace?: string;
}

const FALSE = /^(?:false|no|off|0)$/i;
/** curl short options that take a value: the rest of the word (or the next word) is that value. */
const CURL_VALUE_SHORT = new Set('AbcCdDeEFHKmoPQrtTuUwxXyYz'.split(''));
/** Variables that turn checks off when set (to any value, or to the values given). */
const ENV_VARS: { name: RegExp; when: RegExp; what: string; kind: Kind }[] = [
  { name: /^NODE_TLS_REJECT_UNAUTHORIZED$/, when: /^0$/, what: 'NODE_TLS_REJECT_UNAUTHORIZED=0', kind: 'tls' },
  { name: /^GIT_SSL_NO_VERIFY$/, when: /./, what: 'GIT_SSL_NO_VERIFY', kind: 'tls' },
  { name: /^PIP_TRUSTED_HOST$/, when: /./, what: 'PIP_TRUSTED_HOST', kind: 'tls' },
  { name: /^UV_INSECURE_HOST$/, when: /./, what: 'UV_INSECURE_HOST', kind: 'tls' },
  { name: /^GOINSECURE$/, when: /./, what: 'GOINSECURE', kind: 'tls' },
  { name: /^npm_config_strict_ssl$/i, when: /^false$/i, what: 'npm_config_strict_ssl=false', kind: 'tls' },
  { name: /^YARN_ENABLE_STRICT_SSL$/, when: /^(?:false|0)$/i, what: 'YARN_ENABLE_STRICT_SSL=false', kind: 'tls' },
  { name: /^CONDA_SSL_VERIFY$/, when: FALSE, what: 'CONDA_SSL_VERIFY=false', kind: 'tls' },
];
/** apt `-o` settings: signature checks (AllowUnauthenticated, insecure repositories) and TLS peer checks. */
const APT_SETTINGS: { re: RegExp; kind: Kind }[] = [
  { re: /^APT::Get::AllowUnauthenticated=(?:true|yes|1)$/i, kind: 'signature' },
  { re: /^Acquire::AllowInsecureRepositories=(?:true|yes|1)$/i, kind: 'signature' },
  { re: /^Acquire::https(?:::[^:=]+)?::Verify-(?:Peer|Host)=(?:false|no|0)$/i, kind: 'tls' },
];
const APT_FLAGS: Record<string, string> = {
  '--allow-unauthenticated': '--allow-unauthenticated',
  '--allow-insecure-repositories': '--allow-insecure-repositories',
  '--force-yes': '--force-yes (which also allows unauthenticated packages)',
};
/** Config lines written with echo/printf into a tool's config file. */
const REPO_FILE = /(?:\.repo|\/yum\.conf|\/dnf\.conf)$/;
const TRUSTED = /\[[^\]]*\btrusted=yes\b[^\]]*\]\s*(?!file:|copy:)\S/;
const CONFIG_WRITES: { file: RegExp; text: RegExp; what: string; kind: Kind }[] = [
  { file: /(?:^|\/)[^/]*\.list$/, text: TRUSTED, what: '[trusted=yes] in an apt source', kind: 'signature' },
  { file: REPO_FILE, text: /^gpgcheck\s*=\s*(?:0|false|no)$/im, what: 'gpgcheck=0 in a repository file', kind: 'signature' },
  { file: REPO_FILE, text: /^sslverify\s*=\s*(?:0|false|no)$/im, what: 'sslverify=0 in a repository file', kind: 'tls' },
  { file: /(?:^|\/)\.?npmrc$/, text: /^strict-ssl\s*=\s*false$/im, what: 'strict-ssl=false in .npmrc', kind: 'tls' },
  { file: /(?:^|\/)\.curlrc$/, text: /^(?:-k|--insecure|insecure)$/m, what: 'insecure in .curlrc', kind: 'tls' },
  { file: /(?:^|\/)\.?wgetrc$/, text: /^check_certificate\s*=\s*off$/im, what: 'check_certificate=off in wgetrc', kind: 'tls' },
];

/** The host of a URL, `host`, `host:port` or `[v6]:port`. */
const hostOf = (s: string) => /^(?:[a-z][\w+.-]*:\/\/)?(?:[^/?#@]*@)?(\[[^\]]*\]|[^/?#:]*)/i.exec(s)?.[1] ?? s;
/** A loopback host (a local index or server): no network path to tamper with. */
const isLoopback = (s: string) => s === '::1' || /^(?:localhost|127(?:\.\d+){3}|\[::1\])\.?$/i.test(hostOf(s));
const PROXY_OPTIONS = new Set(['-x', '--proxy', '--preproxy', '-e', '--referer']);

/** Whether curl -k / wget --no-check-certificate matter: a URL uses TLS (not plain http or ftp, which the
 * network path can change anyway) to a host that is not loopback, or no URL can be seen. */
function tlsMatters(argv: Word[]): boolean {
  const urls = argv.filter((w, k) => k > 0 && !PROXY_OPTIONS.has(argv[k - 1].value) && /^[a-z][\w+.-]*:\/\//i.test(w.value));
  return !urls.length || urls.some((w) => !/^(?:http|ftp):/i.test(w.value) && !isLoopback(w.value));
}

function plain(model: DockerfileModel, w: Word): boolean {
  return !w.quoted && !w.dynamic && model.text.slice(w.start, w.end) === w.value;
}

function curl(model: DockerfileModel, argv: Word[], out: Hit[]): void {
  for (let k = 1; k < argv.length; k++) {
    const w = argv[k];
    const v = w.value;
    if (v === '--') return;
    if (w.dynamic) continue;
    if (v === '--insecure' || v === '-k') {
      out.push({ word: w, kind: 'tls', what: `curl ${v}`, remove: [w] });
      continue;
    }
    if (!/^-[A-Za-z0-9#:]+$/.test(v)) continue;
    // Combined short options: `-fsSLk`. A value-taking letter takes the rest of the word (or the next word).
    for (let i = 1; i < v.length; i++) {
      const c = v[i];
      if (c === 'k') {
        const rest = v.slice(0, i) + v.slice(i + 1);
        out.push({ word: w, kind: 'tls', what: 'curl -k', ...(plain(model, w) ? { replace: rest } : {}) });
        break;
      }
      if (CURL_VALUE_SHORT.has(c)) {
        if (i === v.length - 1) k++;
        break;
      }
    }
  }
}

/** `--flag value` or `--flag=value`: the words a removal takes. */
function flagWithValue(argv: Word[], k: number, flag: string): Word[] | undefined {
  const w = argv[k];
  if (w.value.startsWith(`${flag}=`)) return [w];
  if (w.value === flag && k + 1 < argv.length) return [w, argv[k + 1]];
  return undefined;
}

function pip(argv: Word[], out: Hit[], tool: string): void {
  for (let k = 1; k < argv.length; k++) {
    const w = argv[k];
    for (const flag of ['--trusted-host', '--allow-insecure-host']) {
      const words = flagWithValue(argv, k, flag);
      if (words && !isLoopback(words.length === 2 ? words[1].value : w.value.slice(flag.length + 1)))
        out.push({ word: w, kind: 'tls', what: `${tool} ${flag}`, remove: words });
    }
    // pip config set global.trusted-host example.com
    if (/^(?:[a-z]+\.)?trusted-host$/.test(w.value) && argv[k - 1]?.value === 'set' && argv[k + 1] && !isLoopback(argv[k + 1].value))
      out.push({ word: w, kind: 'tls', what: `${tool} config set ${w.value}` });
  }
}

/** `npm|pnpm|yarn config set strict-ssl false`, `npm set strict-ssl=false`, `--strict-ssl=false`, `--no-strict-ssl`. */
function npm(argv: Word[], out: Hit[], tool: string): void {
  for (let k = 1; k < argv.length; k++) {
    const w = argv[k];
    const v = w.value;
    if (v === '--strict-ssl=false' || v === '--no-strict-ssl') {
      out.push({ word: w, kind: 'tls', what: `${tool} ${v}`, remove: [w] });
      continue;
    }
    if (v === '--strict-ssl' && argv[k + 1]?.value === 'false') {
      out.push({ word: w, kind: 'tls', what: `${tool} --strict-ssl false`, remove: [w, argv[k + 1]] });
      continue;
    }
    if (argv[k - 1]?.value !== 'set') continue;
    const key = /^(strict-ssl|enableStrictSsl)(?:=(.*))?$/.exec(v);
    if (!key) continue;
    const value = key[2] ?? argv[k + 1]?.value;
    if (value !== undefined && /^(?:false|0)$/.test(value)) out.push({ word: w, kind: 'tls', what: `${tool} config set ${key[1]} false` });
  }
}

const SSL_VERIFY_KEY = /^http\.(?:.+\.)?sslverify$/i;

function git(argv: Word[], out: Hit[]): void {
  for (let k = 1; k < argv.length; k++) {
    const w = argv[k];
    // git -c http.sslVerify=false …, git clone -c / --config=…
    const words = flagWithValue(argv, k, '-c') ?? flagWithValue(argv, k, '--config');
    const setting = words && (words.length === 2 ? words[1].value : w.value.replace(/^(?:-c|--config)=/, ''));
    const m = setting ? /^([^=]+)=(.*)$/.exec(setting) : null;
    if (words && m && SSL_VERIFY_KEY.test(m[1]) && FALSE.test(m[2])) {
      out.push({ word: words[words.length - 1], kind: 'tls', what: `git -c ${m[1]}=${m[2]}`, remove: words });
    }
  }
  // git config [--global] [set] http.sslVerify false
  const sub = argv.findIndex((w, i) => i > 0 && w.value === 'config' && !argv[i - 1].value.match(/^(?:-c|--config|-C)$/));
  if (sub < 0) return;
  const rest = argv.slice(sub + 1).filter((w) => !w.value.startsWith('-') && w.value !== 'set');
  if (rest.length >= 2 && SSL_VERIFY_KEY.test(rest[0].value) && FALSE.test(rest[1].value))
    out.push({ word: rest[0], kind: 'tls', what: `git config ${rest[0].value} ${rest[1].value}` });
}

/** Package files the build has on disk (`/tmp/packages/*.apk`, `./x.rpm`): no repository signature to check. */
function onlyLocalFiles(argv: Word[]): boolean {
  const operands = argv.slice(2).filter((w) => !w.value.startsWith('-'));
  const local = (w: Word) => /^(?:(?:\.{0,2}|\$\{?\w+\}?)\/|[^:]*\.(?:apk|rpm|deb)$)/.test(w.value) && !w.value.includes('://');
  return operands.length > 0 && operands.every(local);
}

function packageManager(argv: Word[], out: Hit[], tool: string): void {
  if (/^(?:apk|dnf|yum|microdnf|tdnf|rpm|zypper)$/.test(tool) && onlyLocalFiles(argv)) return;
  if (tool === 'apk' && argv[1]?.value === 'index') return; // indexes package files on disk
  for (let k = 1; k < argv.length; k++) {
    const w = argv[k];
    const v = w.value;
    if (tool === 'apk' && v === '--allow-untrusted') out.push({ word: w, kind: 'signature', what: 'apk --allow-untrusted', remove: [w] });
    if (/^(?:apt-get|apt|aptitude)$/.test(tool)) {
      if (APT_FLAGS[v]) out.push({ word: w, kind: 'signature', what: `${tool} ${APT_FLAGS[v]}`, remove: [w] });
      const setting = v === '-o' || v === '--option' ? argv[k + 1]?.value : /^(?:-o|--option=)(.+)$/.exec(v)?.[1];
      const hit = setting ? APT_SETTINGS.find((s) => s.re.test(setting)) : undefined;
      if (hit) {
        const words = v === '-o' || v === '--option' ? [w, argv[k + 1]] : [w];
        out.push({ word: words[words.length - 1], kind: hit.kind, what: `${tool} -o ${setting}`, remove: words });
      }
    }
    if (/^(?:dnf|yum|microdnf|tdnf|rpm)$/.test(tool) && (v === '--nogpgcheck' || (tool === 'rpm' && v === '--nosignature')))
      out.push({ word: w, kind: 'signature', what: `${tool} ${v}`, remove: [w] });
    if (/^(?:dnf|yum|microdnf|tdnf)$/.test(tool)) {
      const opt = /^--setopt=(?:[^=]*\.)?(gpgcheck|sslverify)=(.*)$/i.exec(v);
      if (opt && FALSE.test(opt[2]))
        out.push({ word: w, kind: opt[1].toLowerCase() === 'gpgcheck' ? 'signature' : 'tls', what: `${tool} ${v}`, remove: [w] });
    }
    if (tool === 'zypper' && (v === '--no-gpg-checks' || v === '--no-gpgcheck'))
      out.push({ word: w, kind: 'signature', what: `zypper ${v}`, remove: [w] });
  }
}

/** `echo 'deb [trusted=yes] …' > /etc/apt/sources.list.d/x.list`, `echo insecure >> ~/.curlrc`, `… | tee -a file`. */
function configWrite(commands: SimpleCommand[], index: number, out: Hit[]): void {
  const c = unwrap(commands[index]);
  const name = commandName(c.argv);
  let writer = c;
  let targets = c.command.redirects.filter((r) => r.op === '>' || r.op === '>>').map((r) => r.target?.value ?? '');
  if (name === 'tee' && commands[index].after === '|' && index > 0) {
    writer = unwrap(commands[index - 1]);
    targets = c.argv.slice(1).flatMap((w) => (w.value.startsWith('-') ? [] : [w.value]));
  } else if (name !== 'echo' && name !== 'printf') return;
  if (!['echo', 'printf'].includes(commandName(writer.argv) ?? '')) return;
  for (const t of targets) {
    for (const cw of CONFIG_WRITES) {
      if (!cw.file.test(t)) continue;
      const word = writer.argv.slice(1).find((w) => cw.text.test(w.value.replace(/\\n/g, '\n')));
      if (word) out.push({ word, kind: cw.kind, what: cw.what });
    }
  }
}

function envHit(name: string, value: string | undefined): (typeof ENV_VARS)[number] | undefined {
  if (value === undefined) return undefined;
  if (/^(?:PIP_TRUSTED_HOST|UV_INSECURE_HOST)$/.test(name) && value.trim().split(/\s+/).every(isLoopback)) return undefined;
  return ENV_VARS.find((e) => e.name.test(name) && e.when.test(value));
}

/** Assignments that reach a program: `X=1 cmd`, `env X=1 cmd`, `export X=1`. */
function assignments(c: SimpleCommand, out: Hit[]): void {
  const e = unwrap(c);
  const words = [...(e.argv.length ? e.assignments : []), ...(commandName(e.argv) === 'export' ? e.argv.slice(1) : [])];
  for (const w of words) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(w.value);
    if (!m || w.dynamic) continue;
    const hit = envHit(m[1], m[2].replace(/^(["'])(.*)\1$/, '$2'));
    if (hit) out.push({ word: w, kind: hit.kind, what: hit.what });
  }
}

function commandHits(model: DockerfileModel, commands: SimpleCommand[]): Hit[] {
  const out: Hit[] = [];
  commands.forEach((c, index) => {
    assignments(c, out);
    configWrite(commands, index, out);
    let argv = unwrap(c).argv;
    let name = commandName(argv);
    // python -m pip …
    if (name && /^python[\d.]*$/.test(name) && argv[1]?.value === '-m' && argv[2]?.value === 'pip') {
      argv = argv.slice(2);
      name = 'pip';
    }
    if (!name || (/^(?:curl|wget)$/.test(name) && !tlsMatters(argv))) return;
    if (name === 'curl') curl(model, argv, out);
    else if (name === 'wget') {
      for (const w of argv.slice(1))
        if (w.value === '--no-check-certificate') out.push({ word: w, kind: 'tls', what: 'wget --no-check-certificate', remove: [w] });
    } else if (/^pip[\d.]*$/.test(name)) pip(argv, out, 'pip');
    else if (name === 'uv' && argv[1]?.value === 'pip') pip(argv.slice(1), out, 'uv pip');
    else if (name === 'npm' || name === 'pnpm' || name === 'yarn') npm(argv, out, name);
    else if (name === 'git') git(argv, out);
    else if (/^(?:conda|mamba|micromamba)$/.test(name)) {
      const k = argv.findIndex((w) => w.value === '--set');
      if (k > 0 && argv[k + 1]?.value === 'ssl_verify' && FALSE.test(argv[k + 2]?.value ?? ''))
        out.push({ word: argv[k + 1], kind: 'tls', what: `${name} config --set ssl_verify ${argv[k + 2].value}` });
    } else if (/^(?:kubectl|helm|oc)$/.test(name)) {
      for (const w of argv)
        if (w.value === '--insecure-skip-tls-verify' || w.value === '--insecure-skip-tls-verify=true')
          out.push({ word: w, kind: 'tls', what: `${name} ${w.value}`, remove: [w] });
    } else packageManager(argv, out, name);
  });
  return out;
}

/** The commands inside `$(…)` of a shell-form RUN (`V=$(curl -sk …)`); parentheses matched regardless of quotes. */
function substitutionCommands(run: RunInfo): SimpleCommand[] {
  const shell = run.command.form === 'shell' ? run.command.shell : undefined;
  if (!shell || !shell.text.includes('$(')) return [];
  const out: SimpleCommand[] = [];
  const t = shell.text;
  for (let i = t.indexOf('$('); i >= 0; i = t.indexOf('$(', i + 2)) {
    if (t[i + 2] === '(') continue; // $(( arithmetic ))
    let depth = 1;
    let j = i + 2;
    for (; j < t.length && depth > 0; j++) {
      if (t[j] === '(') depth++;
      else if (t[j] === ')') depth--;
    }
    if (depth === 0) out.push(...allCommands(parseShell(shell.slice(i + 2, j - 1))));
  }
  return out;
}

function message(h: { what: string; kind: Kind }): string {
  return h.kind === 'tls'
    ? `${h.what} turns off TLS certificate checks: anyone on the network path can change what the build downloads. Install the CA certificate the server needs instead.`
    : `${h.what} turns off package signature checks: a tampered or unsigned package is installed without complaint. Install the repository's signing key instead.`;
}

/** No fix in an exec-form RUN: the flag is a JSON string there, not a shell word. */
function fixOf(model: DockerfileModel, h: Hit, exec: boolean): Fix[] {
  if (exec || (!h.remove && h.replace === undefined)) return [];
  const words = h.remove ?? [h.word];
  const between = words.length === 2 ? model.text.slice(words[0].end, words[1].start) : '';
  if (h.remove && (words.some((w) => w.dynamic) || /[^ \t]/.test(between))) return []; // a value on another line: not a word removal
  const shown = words.map((w) => model.text.slice(w.start, w.end)).join(' ');
  return [
    {
      title: `Remove ${h.replace === undefined ? shown : '-k'} (check: ${
        h.kind === 'tls'
          ? "behind a TLS-intercepting proxy the build then fails until the proxy's CA certificate is installed"
          : 'a repository or package without a valid signature then fails to install until its signing key is added'
      })`,
      kind: 'suggestion',
      preferred: false,
      edits: () => {
        const b = new EditBuilder(model);
        if (h.replace !== undefined) b.replace(h.word, h.replace);
        else deleteWords(model, b, { start: words[0].start, end: words[words.length - 1].end } as Span);
        return b.build();
      },
    },
  ];
}

export default defineRule({
  id: 'tls-verification-disabled',
  severity: 'warning',
  summary: 'A download turns off TLS certificate checks or package signature checks.',
  rationale: `TLS certificate checks and package signatures are what make a download the file its
publisher meant: \`curl -k\`, \`wget --no-check-certificate\`, \`pip --trusted-host\`,
\`npm config set strict-ssl false\`, \`git -c http.sslVerify=false\`, \`GIT_SSL_NO_VERIFY\`,
\`NODE_TLS_REJECT_UNAUTHORIZED=0\` accept any certificate, so anyone on the network path (a proxy, a
compromised mirror, a hostile Wi-Fi) can serve other content. \`apk --allow-untrusted\`,
\`apt-get --allow-unauthenticated\` (or \`--force-yes\`, which implies it), \`[trusted=yes]\` in an apt
source, \`dnf/yum --nogpgcheck\`, \`rpm --nosignature\` and \`zypper --no-gpg-checks\` install packages
whose signature was not checked. The usual reason is a corporate proxy that re-signs TLS: install
its CA certificate in the image (or mount it with \`RUN --mount=type=secret\`) instead.

Checked in every stage, ONBUILD RUN triggers included: a tampered download in a builder ships in
what the final stage copies from it. Also found: the variables \`PIP_TRUSTED_HOST\`,
\`UV_INSECURE_HOST\`, \`GOINSECURE\`, \`npm_config_strict_ssl=false\`, \`YARN_ENABLE_STRICT_SSL=false\`,
\`CONDA_SSL_VERIFY=false\` (in ENV, an ARG default, or on a command), apt's \`-o\` settings
(\`Acquire::https::Verify-Peer=false\`, \`APT::Get::AllowUnauthenticated=true\`…), dnf/yum
\`--setopt=sslverify=0\` / \`gpgcheck=0\`, \`uv pip --allow-insecure-host\`, \`conda config --set ssl_verify
false\`, \`--insecure-skip-tls-verify\` of kubectl/helm/oc, and such settings written with echo into
.npmrc, .curlrc, wgetrc, a yum .repo file or an apt source list.

Not reported: \`curl -k\` or \`wget --no-check-certificate\` fetching only plain http URLs (which
anyone on the path can change anyway) or loopback ones, and \`--trusted-host localhost\` (a local index).

The fix, where the flag (with its value) is words of its own of a shell-form RUN, removes it. It is a suggestion, never
applied by \`fix --unsafe\`: behind a proxy that intercepts TLS, or with a repository that has no valid
certificate or signing key, the build then fails until the certificate or key is installed.`,
  equivalents: {},
  examples: {
    invalid: [
      `FROM alpine:3.20
RUN curl -fsSLk https://example.com/tool.tar.gz -o /tmp/tool.tar.gz
#        ^^^^^^ tls-verification-disabled
RUN apk add --allow-untrusted -X https://apk.example.com/main tool
#           ^^^^^^^^^^^^^^^^^ tls-verification-disabled
ENV NODE_TLS_REJECT_UNAUTHORIZED=0
#   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^ tls-verification-disabled
`,
    ],
    fixes: [
      {
        before: `FROM debian:12\nRUN wget --no-check-certificate -q https://example.com/tool.tar.gz\n`,
        after: `FROM debian:12\nRUN wget -q https://example.com/tool.tar.gz\n`,
      },
      {
        before: `FROM python:3.12\nRUN pip install --trusted-host pypi.example.com -r requirements.txt\n`,
        after: `FROM python:3.12\nRUN pip install -r requirements.txt\n`,
      },
    ],
    valid: [
      `FROM debian:12
COPY corp-ca.crt /usr/local/share/ca-certificates/corp-ca.crt
RUN update-ca-certificates && curl -fsSL https://example.com/tool.tar.gz -o /tmp/tool.tar.gz
ENV NODE_TLS_REJECT_UNAUTHORIZED=1 GIT_SSL_NO_VERIFY=
`,
    ],
  },
  check({ model, report }) {
    for (const stage of model.stages) {
      for (const run of stage.runs) {
        for (const h of [...commandHits(model, run.commands), ...commandHits(model, substitutionCommands(run))]) {
          const fixes = fixOf(model, h, run.command.form === 'exec');
          report({ span: { start: h.word.start, end: h.word.end }, message: message(h), fixes });
        }
      }
    }
    for (const d of model.declarations) {
      // A global ARG reaches no command unless a stage declares it again.
      if (!d.stage || (d.keyword === 'ARG' && d.raw === undefined)) continue;
      const hit = envHit(d.name, d.value);
      if (hit) report({ span: d.nameSpan, message: message(hit) });
    }
  },
});
