/**
 * curl and wget commands read as downloads (which URL, where the body goes, whether redirects are
 * followed), and the edit that adds a sha256 check after one (download-without-checksum's fix).
 */
import type { EditBuilder } from '../engine/edits';
import { commandName, unwrap, type SimpleCommand, type Word } from '../model/shell';

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
