/**
 * What the editor tests (Neovim, Emacs) share: the fixture and the diagnostics it must show, the
 * README's configuration snippets, caret pictures of what an editor received, and running an editor
 * headless on a copy of the fixture with a deadline, in its own process group so that nothing it
 * started outlives the test.
 */
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { renderPicture } from '../../server/src/engine/pictures';
import { killGroup } from '../support/processGroup';

export const ROOT = path.resolve(__dirname, '../..');
export const SERVER = path.join(ROOT, 'dist', 'server.js');
export const FIXTURE = path.join(__dirname, 'fixtures', 'Dockerfile');
/** The command the README's snippets start the server with: the package's bin, found on PATH. */
export const SERVER_BIN = 'dockerfile-hardener-server';

/** test/editors/fixtures/Dockerfile with what it must show: one finding of every severity at least. */
export const FIXTURE_PICTURE = [
  '# A small service image, as an editor other than VS Code sees it.',
  'FROM golang:1.26-alpine AS build',
  '#    ^^^^^^^^^^^^^^^^^^ unpinned-digest (info)',
  'RUN go get ./...',
  '#   ^^^^^^ go-get-deprecated (hint)',
  '',
  'FROM alpine:3.23',
  '#    ^^^^^^^^^^^ root-user (warning)',
  '#    ^^^^^^^^^^^ unpinned-digest (info)',
  'ENV API_TOKEN=s3cr3t-value',
  '#   ^^^^^^^^^ secret-in-env (error)',
  'RUN apk update && apk add curl',
  '#                 ^^^^^^^ apk-cache (info)',
  'EXPOSE 80',
  '#      ^^ privileged-port (warning)',
  'ENTRYPOINT /app --serve',
  '#          ^^^^^^^^^^^^ shell-form-cmd (info)',
  '',
];

/** Line 7 after apk-cache's quick-fix, and the comment "Ignore privileged-port for this instruction" adds. */
export const AFTER_FIX = 'RUN apk add --no-cache curl';
export const IGNORE_COMMENT = '# dockerfile-hardener ignore=privileged-port';

export const STEPS = {
  /** apk-cache's quick-fix on line 7 (built lazily where the client can resolve). */
  fix: { line: 7, title: 'Use apk add --no-cache (and drop the apk update before it)' },
  /** An ignore action on line 8: its edit always comes with it. */
  ignore: { line: 8, title: 'Ignore privileged-port for this instruction' },
};

/** The fixture's lines, then after the fix, then after the fix and the ignore comment (no final ''). */
export function fixtureTexts(): { opened: string[]; fixed: string[]; ignored: string[] } {
  const opened = readFileSync(FIXTURE, 'utf8').split('\n').slice(0, -1);
  const fixed = [...opened];
  fixed[6] = AFTER_FIX;
  const ignored = [...fixed];
  ignored.splice(7, 0, IGNORE_COMMENT);
  return { opened, fixed, ignored };
}

/** FIXTURE_PICTURE after the fix (and the ignore comment): their findings are gone. */
export function pictureAfter(step: 'fixed' | 'ignored'): string {
  return FIXTURE_PICTURE.filter((l) => !l.includes('apk-cache') && !(step === 'ignored' && l.includes('privileged-port')))
    .map((l) => (l.startsWith('RUN apk') ? AFTER_FIX : step === 'ignored' && l === 'EXPOSE 80' ? `${IGNORE_COMMENT}\nEXPOSE 80` : l))
    .join('\n');
}

export interface LspRange {
  start: { line: number; character: number };
  end: { line: number; character: number };
}
export interface LspDiagnostic {
  range: LspRange;
  severity?: number;
  code?: string | number;
  source?: string;
  message: string;
}

const SEVERITY = ['', 'error', 'warning', 'info', 'hint'];

/** Empty Lua or Lisp lists come out of their JSON encoders as {} or null: read them as []. */
export function list<T>(v: T[] | Record<string, never> | null | undefined): T[] {
  return Array.isArray(v) ? v : [];
}

/** `lines` (a buffer, no final '') with the diagnostics drawn under it as `rule (severity)`. */
export function picture(lines: string[], diagnostics: { rule: string; severity: string; range: LspRange }[]): string {
  return renderPicture(
    [...lines, ''].join('\n'),
    diagnostics.map((d) => ({ rule: `${d.rule} (${d.severity})`, range: d.range })),
  );
}

/** The same for diagnostics as the server sent them. */
export function lspPicture(lines: string[], diagnostics: LspDiagnostic[]): string {
  return picture(
    lines,
    diagnostics.map((d) => ({ rule: String(d.code), severity: SEVERITY[d.severity ?? 0] ?? String(d.severity), range: d.range })),
  );
}

/**
 * The README's snippet (a fenced block in "## Other editors" in language `lang` whose first line is
 * `firstLine`), as written: runEditor puts its server command on PATH.
 */
export function readmeSnippet(lang: string, firstLine: string): string {
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const section = /^## Other editors\n([\s\S]*?)(?=^## )/m.exec(readme)?.[1];
  assert.ok(section, 'README.md has no "## Other editors" section');
  const blocks = [...section.matchAll(new RegExp('```' + lang + '\\n([\\s\\S]*?)```', 'g'))].map((m) => m[1]!);
  const block = blocks.find((b) => b.startsWith(`${firstLine}\n`));
  assert.ok(block, `README.md's "Other editors" has no ${lang} block starting with "${firstLine}"`);
  assert.ok(block.includes(SERVER_BIN), `the snippet runs ${SERVER_BIN}`);
  return block;
}

/** Whether an editor is there to test with: skips with a message, or fails under CI. */
export function requireEditor(ctx: Mocha.Context, found: boolean, why: string): void {
  if (found) return;
  if (process.env.CI) throw new Error(`${why} (CI must run the editor tests)`);
  console.log(`      (skipped: ${why})`);
  ctx.skip();
}

export interface EditorRun<T> {
  result: T;
  ms: number;
}

/**
 * Runs `bin args` in a fresh folder holding a copy of the fixture (`project/Dockerfile`) with a fresh
 * HOME, waits for it to exit within `deadlineMs`, and returns the JSON it wrote to $HARDENER_EDITOR_OUT.
 * `files` are written into the temporary folder first (relative name → content), and `args` and
 * `env` may use {tmp} for that folder. Whatever the editor left running is killed.
 */
export async function runEditor<T extends { error?: string }>(options: {
  name: string;
  bin: string;
  args: string[];
  env?: Record<string, string>;
  files?: Record<string, string>;
  deadlineMs: number;
  logs?: string[];
}): Promise<EditorRun<T>> {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'dfh-editor-'));
  const sub = (s: string) => s.replaceAll('{tmp}', tmp);
  const workspace = path.join(tmp, 'project');
  const home = path.join(tmp, 'home');
  mkdirSync(workspace);
  mkdirSync(home);
  // The server's bin as npm links it when the package is installed: a symlink to dist/server.js.
  mkdirSync(path.join(tmp, 'bin'));
  symlinkSync(SERVER, path.join(tmp, 'bin', SERVER_BIN));
  copyFileSync(FIXTURE, path.join(workspace, 'Dockerfile'));
  // The project's config beside it (it turns on two rules that are off by default).
  copyFileSync(path.join(path.dirname(FIXTURE), '.dockerfile-hardener.yaml'), path.join(workspace, '.dockerfile-hardener.yaml'));
  for (const [name, content] of Object.entries(options.files ?? {})) writeFileSync(path.join(tmp, name), content);
  const out = path.join(tmp, 'result.json');
  const started = Date.now();
  const child = spawn(options.bin, options.args.map(sub), {
    cwd: workspace,
    detached: true, // its own process group: the server it starts goes with it
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      // A fresh user: no configuration, packages or state of the machine's own editor.
      HOME: home,
      PATH: `${path.join(tmp, 'bin')}${path.delimiter}${process.env.PATH ?? ''}`,
      XDG_CONFIG_HOME: path.join(home, 'config'),
      XDG_DATA_HOME: path.join(home, 'data'),
      XDG_STATE_HOME: path.join(home, 'state'),
      XDG_CACHE_HOME: path.join(home, 'cache'),
      HARDENER_EDITOR_OUT: out,
      HARDENER_EDITOR_FILE: path.join(workspace, 'Dockerfile'),
      ...Object.fromEntries(Object.entries(options.env ?? {}).map(([k, v]) => [k, sub(v)])),
    },
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const pid = child.pid!;
  try {
    const status = await new Promise<number | string>((resolve, reject) => {
      const timer = setTimeout(() => {
        killGroup(pid);
        reject(new Error(`${options.name} gave no result within ${options.deadlineMs} ms; its output:\n${output}`));
      }, options.deadlineMs);
      child.on('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
      child.on('exit', (code, signal) => {
        clearTimeout(timer);
        resolve(code ?? String(signal));
      });
    });
    const ms = Date.now() - started;
    const logs = (options.logs ?? []).map((l) => path.join(home, l)).filter((f) => existsSync(f));
    const context = `${options.name}'s output:\n${output}${logs.map((f) => `\n${path.basename(f)}:\n${readFileSync(f, 'utf8')}`).join('')}`;
    if (!existsSync(out)) throw new Error(`${options.name} exited with ${status} and wrote no result. ${context}`);
    const result = JSON.parse(readFileSync(out, 'utf8')) as T;
    if (result.error) throw new Error(`in ${options.name}: ${result.error}\n${context}`);
    if (status !== 0) throw new Error(`${options.name} exited with ${status}. ${context}`);
    return { result, ms };
  } finally {
    killGroup(pid);
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** The menu an editor showed has these actions (rules may offer more fixes than the ones named here). */
export function assertOffers(line: number, offered: string[], titles: string[]): void {
  const missing = titles.filter((t) => !offered.includes(t));
  assert.deepEqual(missing, [], `not offered on line ${line}; the menu was:\n${offered.join('\n')}`);
  assert.equal(new Set(offered).size, offered.length, `an action is offered twice: ${offered.join(', ')}`);
}
