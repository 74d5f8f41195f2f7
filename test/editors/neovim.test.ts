/**
 * The language server in an LSP client nobody here wrote: headless Neovim, configured with the
 * README's own snippet ("Other editors") as its init.lua, runs `node dist/server.js --stdio` on a
 * fixture Dockerfile. test/editors/neovim/check.lua drives it as a user would (open the file, wait for
 * the diagnostics, `vim.lsp.buf.code_action()` on a line, pick an action by title) and writes what
 * happened as JSON; the assertions are here.
 *
 * Needs `nvim` (0.7 or later; Debian's `neovim`), or HARDENER_NVIM=/path/to/nvim. Without it the
 * tests skip with a message, except under CI (env CI set), where that is a failure.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import {
  FIXTURE_PICTURE,
  ROOT,
  SERVER,
  STEPS,
  assertOffers,
  fixtureTexts,
  list,
  lspPicture,
  picture,
  pictureAfter,
  readmeSnippet,
  requireEditor,
  runEditor,
  type LspDiagnostic,
} from './support';

const CHECK = path.join(__dirname, 'neovim', 'check.lua');
/** Each wait inside Neovim; the whole run gets a few of them. */
const WAIT_MS = 10_000;
const RUN_DEADLINE_MS = 45_000;

/** vim.diagnostic's view of a finding: 0-based lines, byte columns (the same as characters in ASCII). */
interface Shown {
  lnum: number;
  col: number;
  end_lnum: number;
  end_col: number;
  severity: string;
  code?: string;
  source?: string;
}
interface Step {
  line: number;
  title: string;
  requests: string[];
  offered: string[];
  chosen?: { kind?: string; has_edit: boolean; has_data: boolean };
  lines: string[];
  diagnostics: LspDiagnostic[];
  shown: Shown[];
}
interface Result {
  error?: string;
  filetype: string;
  clients: number;
  server_stopped: boolean;
  server?: { codeActionProvider?: { resolveProvider?: boolean } };
  opened: { diagnostics: LspDiagnostic[]; shown: Shown[] };
  steps: Step[];
}

const VIM_SEVERITY: Record<string, string> = { ERROR: 'error', WARN: 'warning', INFO: 'info', HINT: 'hint' };

function shownPicture(lines: string[], shown: Shown[]): string {
  return picture(
    lines,
    list(shown).map((d) => ({
      rule: String(d.code),
      severity: VIM_SEVERITY[d.severity] ?? d.severity,
      range: { start: { line: d.lnum, character: d.col }, end: { line: d.end_lnum, character: d.end_col } },
    })),
  );
}

/** The nvim to test with, and its version; undefined when there is none. */
function findNeovim(): { bin: string; version: [number, number, number] } | undefined {
  const bin = process.env.HARDENER_NVIM || 'nvim';
  const r = spawnSync(bin, ['--version'], { encoding: 'utf8', timeout: 10_000 });
  if (r.error || r.status !== 0) return undefined;
  const m = /NVIM v(\d+)\.(\d+)\.(\d+)/.exec(r.stdout);
  if (!m) throw new Error(`${bin} --version printed no NVIM version:\n${r.stdout}`);
  return { bin, version: [Number(m[1]), Number(m[2]), Number(m[3])] };
}

describe('Neovim as the LSP client (the README configuration, headless)', function () {
  this.timeout(RUN_DEADLINE_MS + 15_000);
  let result: Result;
  const text = fixtureTexts();

  before(async function () {
    const nvim = findNeovim();
    requireEditor(
      this,
      !!nvim,
      `no Neovim (nvim) on PATH${process.env.HARDENER_NVIM ? ` or at HARDENER_NVIM=${process.env.HARDENER_NVIM}` : ''}: install Debian's neovim`,
    );
    assert.ok(existsSync(SERVER), `${path.relative(ROOT, SERVER)} is missing: run npm run build first`);
    const [major, minor] = nvim!.version;
    // The README has a snippet for 0.8 and later (vim.lsp.start) and one for 0.7 (Debian 12's).
    const init = readmeSnippet('lua', major > 0 || minor >= 8 ? '-- Neovim 0.8 and later' : '-- Neovim 0.7');
    const run = await runEditor<Result>({
      name: 'Neovim',
      bin: nvim!.bin,
      // --cmd runs check.lua before init.lua, so that its observers are there before the server starts.
      args: [
        '--headless',
        '-i',
        'NONE',
        '-n',
        '--cmd',
        `luafile ${CHECK}`,
        '-u',
        '{tmp}/init.lua',
        '-c',
        'lua hardener_check()',
        'Dockerfile',
      ],
      files: { 'init.lua': init },
      env: { HARDENER_NVIM_STEPS: JSON.stringify([STEPS.fix, STEPS.ignore]), HARDENER_NVIM_TIMEOUT_MS: String(WAIT_MS) },
      deadlineMs: RUN_DEADLINE_MS,
      logs: ['cache/nvim/lsp.log', 'state/nvim/lsp.log'],
    });
    result = run.result;
    console.log(`      (Neovim ${nvim!.version.join('.')}: ${run.ms} ms for the whole session)`);
  });

  it('opens a Dockerfile as filetype dockerfile and starts one server for it', () => {
    assert.equal(result.filetype, 'dockerfile');
    assert.equal(result.clients, 1);
    assert.equal(result.server?.codeActionProvider?.resolveProvider, true);
  });

  it('receives the diagnostics with their codes, ranges and severities', () => {
    for (const d of result.opened.diagnostics) assert.equal(d.source, 'dockerfile-hardener');
    assert.equal(lspPicture(text.opened, result.opened.diagnostics), FIXTURE_PICTURE.join('\n'));
  });

  it('shows them at the same places (vim.diagnostic)', () => {
    for (const d of result.opened.shown) assert.equal(d.source, 'dockerfile-hardener');
    assert.equal(shownPicture(text.opened, result.opened.shown), FIXTURE_PICTURE.join('\n'));
  });

  it("applies a rule's quick-fix, resolving its edit through codeAction/resolve", () => {
    const step = result.steps[0]!;
    assertOffers(step.line, step.offered, [STEPS.fix.title, 'Ignore apk-cache for this instruction', 'Ignore apk-cache in this file']);
    // Neovim 0.7 can resolve, so the server leaves the edit out until the action is picked.
    assert.deepEqual(step.chosen, { kind: 'quickfix', has_edit: false, has_data: true });
    assert.deepEqual(step.requests, ['textDocument/codeAction', 'codeAction/resolve']);
    assert.deepEqual(step.lines, text.fixed);
    assert.equal(lspPicture(step.lines, list(step.diagnostics)), pictureAfter('fixed'));
  });

  it('applies an ignore action whose edit comes with it, and the finding goes away', () => {
    const step = result.steps[1]!;
    assertOffers(step.line, step.offered, [STEPS.ignore.title, 'Ignore privileged-port in this file']);
    assert.deepEqual(step.chosen, { kind: 'quickfix', has_edit: true, has_data: false });
    assert.deepEqual(step.requests, ['textDocument/codeAction']);
    assert.deepEqual(step.lines, text.ignored);
    assert.equal(lspPicture(step.lines, list(step.diagnostics)), pictureAfter('ignored'));
    assert.equal(shownPicture(step.lines, step.shown), pictureAfter('ignored'));
  });

  it('stops the server when Neovim quits', () => {
    assert.equal(result.server_stopped, true);
  });
});
