/**
 * curl and wget commands read as downloads (which URL, where the body goes, whether redirects are
 * followed), and the edit that adds a sha256 check after one (download-without-checksum's fix).
 */
import type { EditBuilder } from '../engine/edits';
import { commandName, unwrap, type SimpleCommand, type Word } from '../model/shell';
import { expand, type Scope } from '../model/variables';

export interface Download {
  command: SimpleCommand;
  tool: 'curl' | 'wget';
  /** The URL words (usually one). */
  urls: Word[];
  /**
   * Where the body goes: standard output (`word`: the `-` of `-O -`, or the whole `-qO-`), a file
   * (`word`: its path; `implicit` when wget or `curl -O` names it after the URL), or somewhere the
   * text does not say for certain (`--output-dir`, `-J`, `--content-disposition`, recursion).
   */
  output:
    { kind: 'stdout'; word?: Word } | { kind: 'file'; path: string; word?: Word; implicit?: boolean } | { kind: 'unknown'; why: string };
  followsRedirects: boolean;
}

const URL_RE = /^[a-z][a-z0-9+.-]*:\/\//i;

/** Short options that take a value (the rest of the word, or the next word). */
const CURL_SHORT_VALUE = new Set('oCdeEFHKmrTuwxXyYzAbcDPQtU'.split(''));
const WGET_SHORT_VALUE = new Set('OoaPtTwUeiBlARDIXQ'.split(''));
/** Long options whose value is the next word (when not given as `--opt=value`). */
const CURL_LONG_VALUE = new Set(
  (
    'output url proxy preproxy referer header user-agent data data-raw data-binary data-urlencode form user retry retry-delay ' +
    'retry-max-time max-time connect-timeout cacert capath cert key config create-file-mode output-dir proto proto-redir ' +
    'limit-rate max-filesize resolve connect-to interface cookie cookie-jar dump-header write-out range continue-at request ' +
    'tls-max ciphers max-redirs doh-url netrc-file proxy-user oauth2-bearer pinnedpubkey'
  )
    .split(' ')
    .map((o) => `--${o}`),
);
const WGET_LONG_VALUE = new Set(
  'output-document directory-prefix output-file append-output tries timeout wait user-agent execute input-file base header user password'
    .split(' ')
    .map((o) => `--${o}`),
);
/** Values that are not the URL downloaded even when they look like one. */
const NOT_THE_URL = new Set(['x', 'e', '--proxy', '--preproxy', '--referer', '--doh-url', '--header', '--base', '-B']);

function basename(p: string): string {
  const k = p.lastIndexOf('/');
  return k >= 0 ? p.slice(k + 1) : p;
}

/** The file name curl -O and wget give a URL's body, when the URL says it plainly. */
function remoteName(url: string): string | undefined {
  if (/[?#]/.test(url)) return undefined;
  const path = url.replace(URL_RE, '').replace(/^[^/]*/, '');
  const name = basename(path);
  return name && /^([\w.+-]|\$\{?\w+\}?)+$/.test(name) ? name : undefined;
}

/** Reads a curl or wget command as a download; undefined for anything else. */
export function readDownload(command: SimpleCommand): Download | undefined {
  const argv = unwrap(command).argv;
  const name = commandName(argv);
  if (name !== 'curl' && name !== 'wget') return undefined;
  const curl = name === 'curl';
  const shortValue = curl ? CURL_SHORT_VALUE : WGET_SHORT_VALUE;
  const longValue = curl ? CURL_LONG_VALUE : WGET_LONG_VALUE;
  const urls: Word[] = [];
  let out: Download['output'] | undefined;
  let remote = false;
  let follows = !curl;
  let unknown: string | undefined;
  let prefix: string | undefined;
  const option = (opt: string, value: Word | undefined) => {
    const v = value?.value;
    if (curl && (opt === 'o' || opt === '--output') && value)
      out = v === '-' ? { kind: 'stdout', word: value } : { kind: 'file', path: value.value, word: value };
    else if (!curl && (opt === 'O' || opt === '--output-document') && value)
      out = v === '-' ? { kind: 'stdout', word: value } : { kind: 'file', path: value.value, word: value };
    else if (!curl && (opt === 'P' || opt === '--directory-prefix')) prefix = v;
    else if (curl && opt === '--url' && value) urls.push(value);
    else if (curl && opt === '--output-dir') unknown = 'curl --output-dir';
  };
  /** The value part of `-oFILE` or `--opt=value`, with its own offsets when the word is unquoted. */
  const attached = (w: Word, value: string): Word | undefined => {
    if (w.quoted) {
      unknown = 'a quoted option';
      return undefined;
    }
    return { ...w, value, start: w.end - value.length };
  };
  for (let k = 1; k < argv.length; k++) {
    const w = argv[k];
    const v = w.value;
    if (v.startsWith('--') && v.length > 2) {
      const eq = v.indexOf('=');
      const opt = eq > 0 ? v.slice(0, eq) : v;
      if (eq > 0) option(opt, attached(w, v.slice(eq + 1)));
      else if (longValue.has(opt)) {
        if (!NOT_THE_URL.has(opt)) option(opt, argv[k + 1]);
        k++;
      } else if (curl && (opt === '--location' || opt === '--location-trusted')) follows = true;
      else if (curl && (opt === '--remote-name' || opt === '--remote-name-all')) remote = true;
      else if (curl && opt === '--remote-header-name') unknown = 'curl -J names the file after the server';
      else if (!curl && (opt === '--content-disposition' || opt === '--trust-server-names' || opt === '--recursive' || opt === '--mirror'))
        unknown = `wget ${opt}`;
      continue;
    }
    if (v.startsWith('-') && v.length > 1) {
      for (let j = 1; j < v.length; j++) {
        const ch = v[j];
        if (shortValue.has(ch)) {
          const rest = v.slice(j + 1);
          const value = rest ? attached(w, rest) : argv[++k];
          if (!NOT_THE_URL.has(ch)) option(ch, value);
          break;
        }
        if (curl && ch === 'L') follows = true;
        if (curl && ch === 'O') remote = true;
        if (curl && ch === 'J') unknown = 'curl -J names the file after the server';
        if (!curl && (ch === 'r' || ch === 'm' || ch === 'i' || ch === 'p')) unknown = `wget -${ch}`;
      }
      continue;
    }
    // A URL as written, or a variable holding one (`curl -fsSLo /tmp/x.zip "$URL"`).
    if (URL_RE.test(v) || (w.dynamic && /^\$\{?\w+\}?/.test(v))) urls.push(w);
  }
  if (!urls.length) return undefined;
  let output: Download['output'];
  if (unknown) output = { kind: 'unknown', why: unknown };
  else if (out) output = out;
  else if (curl && !remote) output = { kind: 'stdout' };
  else {
    const file = remoteName(urls[0].value);
    output = file
      ? { kind: 'file', path: prefix ? `${prefix.replace(/\/+$/, '')}/${file}` : file, implicit: true }
      : { kind: 'unknown', why: 'the file is named after the URL' };
  }
  return { command, tool: curl ? 'curl' : 'wget', urls, output, followsRedirects: follows };
}

/** `echo "<sha>  <file>" | sha256sum -c -`: BusyBox, GNU coreutils and Perl's shasum wrappers all read it. */
function checkLine(sha256: string, file: string): string {
  return `echo "${sha256}  ${file}" | sha256sum -c -`;
}

/** A file name safe to write unquoted in a shell command and inside double quotes. */
export function safePath(path: string): boolean {
  return /^([\w./+-]|\$\{?\w+\}?)+$/.test(path) && !path.startsWith('-');
}

/**
 * How the check joins the commands around it. `&&` (`separate` false): where the AND-OR list holding
 * the download runs to the end of the script, so a failed check fails the RUN. `;` (`separate` true):
 * after `set -e`, where the script goes on after that list; `set -e` does not apply to a command of
 * an `&&` list other than the last, so the check (and, for a pipe, tar) must be commands of their own.
 * `operator`: the `&&` after the download that then becomes a `;` (a failed download now stops the
 * RUN there, where it only skipped the rest of the list). `group`: where the download follows `&&`,
 * the download and the rest of its list go in `{ …; }` (the last command of the list, where `set -e`
 * applies again): from the download's start to the list's end.
 */
export interface Joint {
  separate: boolean;
  operator?: { start: number; end: number };
  group?: { start: number; end: number };
}

/** `{ ` before the group; `; }` after it unless `merged` (the caller appends it where it inserts). */
function openGroup(b: EditBuilder, joint: Joint, merged: boolean): string {
  if (!joint.group) return '';
  b.insert(joint.group.start, '{ ');
  if (!merged) b.insert(joint.group.end, '; }');
  return merged ? '; }' : '';
}

/**
 * Right after a download to a named file: `&& echo "<sha>  file" | sha256sum -c -`, or with `separate`
 * `; echo "<sha>  file" | sha256sum -c -` (`;` too in place of the `&&` that followed the download).
 */
export function insertCheckAfter(b: EditBuilder, d: Download, file: string, sha256: string, joint: Joint = { separate: false }): void {
  const check = checkLine(sha256, file);
  if (!joint.separate) {
    b.insert(d.command.end, ` && ${check}`);
    return;
  }
  const op = joint.operator;
  const close = openGroup(b, joint, joint.group?.end === d.command.end);
  if (!op) {
    b.insert(d.command.end, `; ${check}${close}`);
    return;
  }
  const text = b.model.text;
  const end = text[op.end] === ' ' ? op.end + 1 : op.end;
  if (/^[ \t]*$/.test(text.slice(d.command.end, op.start))) b.replace({ start: d.command.end, end }, `; ${check}; `);
  else {
    // A continuation between them: `URL; echo … -c -; \⏎ chmod …`.
    b.insert(d.command.end, `; ${check};`);
    b.delete({ start: op.start, end });
  }
}

/**
 * `curl … URL | tar x…` → `curl … URL -o /tmp/f && echo "<sha>  /tmp/f" | sha256sum -c - && tar x… -f /tmp/f && rm -f /tmp/f`,
 * or with `separate`, `curl … URL -o /tmp/f; echo "<sha>  /tmp/f" | sha256sum -c -; tar x… -f /tmp/f; rm -f /tmp/f`.
 * `pipe`: the offset of the `|`; `fromStdin`: tar's `-` archive word, or undefined when tar reads
 * standard input by default (then `-f file` is appended).
 */
export function rewritePipe(
  b: EditBuilder,
  d: Download,
  tar: SimpleCommand,
  pipe: number,
  fromStdin: Word | undefined,
  tmp: string,
  sha256: string,
  joint: Joint = { separate: false },
): void {
  const { separate } = joint;
  const close = separate ? openGroup(b, joint, joint.group?.end === tar.end) : '';
  const out = d.output.kind === 'stdout' ? d.output.word : undefined;
  // curl writing to standard output by default gets `-o file`; with `separate`, the download ends with `;`.
  const atEnd = `${out ? '' : ` -o ${tmp}`}${separate ? ';' : ''}`;
  if (atEnd) b.insert(d.command.end, atEnd);
  if (out) {
    // `-O -` and `--output-document=-` take the file in place of the `-`; `-qO-` becomes `-qO /tmp/f`.
    const glued = /[A-Za-z]/.test(b.model.text[out.start - 1] ?? '');
    b.replace({ start: out.start, end: out.end }, glued ? ` ${tmp}` : tmp);
  }
  b.replace({ start: pipe, end: pipe + 1 }, separate ? `${checkLine(sha256, tmp)};` : `&& ${checkLine(sha256, tmp)} &&`);
  if (fromStdin) b.replace({ start: fromStdin.start, end: fromStdin.end }, tmp);
  b.insert(tar.end, `${fromStdin ? '' : ` -f ${tmp}`}${separate ? ';' : ' &&'} rm -f ${tmp}${close}`);
}

/**
 * What a checksum or signature check covers. `files`: the words that may name the files it checks
 * (its arguments, or the file names of the `<sha>  <file>` lines fed to it); `any`: a check whose
 * files cannot be told from the text — a list file (`sha256sum -c SHA256SUMS`, `--ignore-missing`)
 * or lines from elsewhere (`cat sums | sha256sum -c`, `echo "$LINE" | …`), taken to cover every file
 * downloaded before it.
 */
export type Check = { files: string[] } | 'any';

const HASHERS = new Set(['sha1sum', 'sha224sum', 'sha256sum', 'sha384sum', 'sha512sum', 'sha3sum', 'shasum', 'md5sum', 'b2sum', 'cksum']);
/** openssl computing a digest (`openssl dgst -sha256 f`, `openssl sha512 -r f`). */
const OPENSSL_DIGEST = /^(dgst|sha\d*|md5)$/;
/** Signature and attestation checks, read on `name arg…`. */
const VERIFIERS =
  /^(gpg2? .*--verify(-files)?( |$)|gpgv2? |cosign verify|minisign .*-[a-zA-Z]*V|signify .*-[a-zA-Z]*[VC]|slsa-verifier verify|gh attestation verify|rpm(keys)? .*(-K|--checksig)( |$))/;
/** Interpreter code that hashes a file: PHP's hash_file (composer's installer), Python's hashlib, Node's createHash, Perl's Digest. */
const CODE_HASH = /\bhash_file\s*\(|\bhashlib\b|\bcreateHash\s*\(|\bDigest::(SHA|MD5)\b/;
/** Suffixes of signatures and checksums that name the file they are for (`gpg --verify tool.tgz.asc`). */
const SIGNATURE_SUFFIX = /\.(asc|sig|sign|gpg|pgp|minisig|sha1|sha256|sha512|sha256sum|sha512sum|md5|bundle|intoto\.jsonl)$/i;

/** File names of `<sha>  <file>` (or `<sha> *<file>`) and `SHA256 (<file>) = <sha>` lines. */
function fileNamesOfLines(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split(/\n|\\n/)) {
    const bsd = /^\s*\w+\s*\((.+)\)\s*=/.exec(line);
    // `$(cat f.sha512)  f`: a substitution is one word, whatever it holds.
    const words = line
      .replace(/\$\([^)]*\)|`[^`]*`/g, '$()')
      .trim()
      .split(/\s+/);
    out.push(...(bsd ? [bsd[1]] : words.slice(1).map((w) => w.replace(/^\*/, ''))));
  }
  return out;
}

/** The files named by the text a check reads on standard input, or undefined when that text cannot be read. */
function stdinFiles(cmds: SimpleCommand[], j: number): string[] | undefined {
  const c = cmds[j];
  for (const r of c.redirects) {
    if (r.op === '<<<' && r.target) return fileNamesOfLines(r.target.value);
    if (r.heredoc) return r.heredoc.logical ? fileNamesOfLines(r.heredoc.logical.text) : undefined;
    if (r.op === '<') return undefined;
  }
  if (c.after !== '|' || j === 0) return undefined;
  const argv = unwrap(cmds[j - 1]).argv;
  const name = commandName(argv);
  const args = argv.slice(1).map((w) => w.value);
  if (name === 'echo') return fileNamesOfLines(args.filter((v) => !/^-[neE]+$/.test(v)).join(' '));
  if (name === 'printf') return args[0]?.includes('%') ? args.slice(1) : fileNamesOfLines(args.join(' '));
  // `grep " tool.tgz$" SHA256SUMS | sha256sum -c -`: the pattern names the file (the list file is one more word).
  const pattern = (v: string) => v.replace(/\\(\.)|^\^|\$$/g, '$1').split(/\s+/);
  if (name === 'grep' || name === 'egrep' || name === 'fgrep') return args.filter((v) => !v.startsWith('-')).flatMap(pattern);
  return undefined;
}

/** `sha256sum -c …` (a check), or `sha256sum f | …` (a digest compared by what reads it). */
function hashCheck(cmds: SimpleCommand[], j: number, name: string, args: Word[]): Check | undefined {
  const operands: string[] = [];
  let check = false;
  for (let k = 0; k < args.length; k++) {
    const v = args[k].value;
    if (v === '--check' || /^-[a-zA-Z]*c[a-zA-Z]*$/.test(v)) check = true;
    if ((name === 'shasum' || name === 'cksum') && (v === '-a' || v === '--algorithm')) k++;
    else if (!v.startsWith('-') || v === '-') operands.push(v);
  }
  if (check) {
    // A list file: which files it lists is not in the Dockerfile's text.
    if (operands.some((v) => v !== '-')) return 'any';
    const files = stdinFiles(cmds, j);
    return files?.length ? { files } : 'any';
  }
  if (cmds[j + 1]?.after !== '|') return undefined; // prints a digest, compares nothing
  const stdin = operands.length ? [] : [...cmds[j].redirects.map((r) => r.target?.value ?? ''), ...(stdinFiles(cmds, j) ?? [])];
  return { files: [...operands, ...stdin] };
}

/** A digest computed inside `$(…)`, backquotes or `<(…)` to be compared: `[ "$(sha256sum f | cut -c-64)" = "$SHA" ]`. */
function substitutionCheck(words: Word[]): Check | undefined {
  for (const w of words) {
    for (const m of w.value.matchAll(/(?:\$\(|`|<\()([^`)]*)/g)) {
      const inner = m[1].replace(/["']/g, '');
      const hashes = inner.split('|').some((part) => {
        const [cmd, sub] = part.trim().split(/\s+/);
        return HASHERS.has(basename(cmd ?? '')) || (basename(cmd ?? '') === 'openssl' && OPENSSL_DIGEST.test(sub ?? ''));
      });
      if (hashes) return { files: inner.split(/[\s|<>]+/).filter(Boolean) };
    }
  }
  return undefined;
}

/**
 * What `cmds[j]` checks, when it is a checksum or signature check: a command whose name is the
 * checker (text inside an echo is not one), or a digest computed in a substitution to be compared.
 */
export function readCheck(cmds: SimpleCommand[], j: number): Check | undefined {
  let argv = unwrap(cmds[j]).argv;
  if (commandName(argv) === 'busybox') argv = argv.slice(1);
  const name = commandName(argv);
  const args = argv.slice(1);
  const values = args.map((w) => w.value);
  if (name && HASHERS.has(name)) return hashCheck(cmds, j, name, args);
  if (name === 'openssl' && OPENSSL_DIGEST.test(values[0] ?? ''))
    return values.some((v) => /^-(verify|prverify|signature)$/.test(v)) ? { files: values } : hashCheck(cmds, j, name, args.slice(1));
  if (name && VERIFIERS.test(`${name} ${values.join(' ')}`)) return { files: values };
  if (name && /^(php\d*|python[\d.]*|node|perl|ruby)$/.test(name) && values.some((v) => CODE_HASH.test(v)))
    return { files: values.flatMap((v) => v.match(/[^\s'"(),;=]+/g) ?? []) };
  if (name === 'echo' || name === 'printf') return undefined;
  return substitutionCheck([...cmds[j].assignments, ...argv]);
}

/** `${X}` and `$X` written alike, `./` and an `--option=` prefix dropped. */
function normalPath(p: string): string {
  const bare = p.replace(/^--?[\w-]+=/, '').replace(/^\.\//, '');
  return bare.replace(/\$\{(\w+)\}|\$(\w+)/g, (_, a: string | undefined, b: string | undefined) => `\${${a ?? b}}`);
}

/** Whether a word names the file at `path`: the same path, or the same name where one of them is relative. */
export function sameFile(word: string, path: string): boolean {
  const [a, b] = [normalPath(word), normalPath(path)];
  if (a === b) return true;
  return basename(a) === basename(b) && basename(b).length >= 3 && (!a.startsWith('/') || !b.startsWith('/'));
}

/**
 * Whether `check` covers the file at `path`: it names it (or its signature, `tool.tgz.asc`), as
 * written or with build arguments substituted (`expand`); or it cannot be told which files it checks
 * (`any`, or a word built from a variable the Dockerfile does not set), which is taken as covering it.
 */
export function covers(check: Check, path: string, expand: (text: string) => string | undefined): boolean {
  if (check === 'any') return true;
  const target = expand(normalPath(path));
  let unknown = false;
  for (const f of check.files) {
    const v = normalPath(f);
    for (const name of SIGNATURE_SUFFIX.test(v) ? [v, v.replace(SIGNATURE_SUFFIX, '')] : [v]) {
      if (sameFile(name, path)) return true;
      const value = expand(name);
      if (value === undefined) unknown = true;
      else if (target !== undefined && sameFile(value, target)) return true;
    }
  }
  return unknown;
}

/** The destinations of `mv`, `cp`, `install` or `ln` taking a file of `paths` (in a folder: with the file's name). */
export function moved(argv: Word[], paths: string[]): string[] {
  if (!['mv', 'cp', 'install', 'ln'].includes(commandName(argv) ?? '')) return [];
  const operands = argv.slice(1).filter((w) => !w.value.startsWith('-'));
  const dest = operands.pop()?.value;
  const takes = operands.some((w) => paths.some((p) => sameFile(w.value, p)));
  return dest && takes ? [dest, `${dest.replace(/\/+$/, '')}/${basename(paths[0])}`] : [];
}

/** `scope` with what `commands` before `upTo` assign (`V=1.2 && curl …/$V/…`, `export V=…`). */
export function scopeAt(scope: Scope, commands: SimpleCommand[], upTo: number): Scope {
  const out = new Map(scope);
  for (const c of commands.slice(0, upTo)) {
    const argv = unwrap(c).argv;
    for (const w of argv.length ? (commandName(argv) === 'export' ? argv.slice(1) : []) : c.assignments) {
      const eq = w.value.indexOf('=');
      if (eq > 0) out.set(w.value.slice(0, eq), expand(w.value.slice(eq + 1), out));
    }
  }
  return out;
}
