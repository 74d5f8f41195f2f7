/**
 * The language server in a second client nobody here wrote: Emacs with eglot, configured with the
 * README's own snippet ("Other editors"), in batch mode. test/editors/emacs/check.el visits the
 * fixture Dockerfile, lets eglot-ensure connect, waits for the diagnostics, runs `eglot-code-actions`
 * on a line picking an action by title, and writes what happened as JSON; the assertions are here.
 *
 * Needs Emacs with eglot and dockerfile-mode (Debian: emacs-nox elpa-eglot elpa-dockerfile-mode), or
 * HARDENER_EMACS=/path/to/emacs. Without them the tests skip with a message, except under CI.
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
  type LspRange,
} from './support';

const CHECK = path.join(__dirname, 'emacs', 'check.el');
const WAIT_S = 10;
const RUN_DEADLINE_MS = 60_000;

/** What flymake shows: eglot maps severity 1 to eglot-error, 2 to eglot-warning, the rest to eglot-note. */
interface Shown {
  range: LspRange;
  type: string;
  code?: string;
}
interface Step {
  line: number;
  title: string;
  offered: string[];
  chosen?: { kind?: string; has_edit: boolean };
  lines: string[];
  diagnostics: LspDiagnostic[];
  shown: Shown[];
}
interface Result {
  error?: string;
  mode: string;
  server?: { name: string; resolveProvider: boolean };
  server_stopped?: boolean;
  shutdown_error?: string;
  opened: { diagnostics: LspDiagnostic[]; shown: Shown[] };
  steps: Step[];
}

const FLYMAKE: Record<string, string> = { 'eglot-error': 'error', 'eglot-warning': 'warning', 'eglot-note': 'note' };

/** The picture with severities as flymake has them: info and hint are both notes. */
function asNotes(p: string): string {
  return p.replace(/ \((info|hint)\)$/gm, ' (note)');
}

function shownPicture(lines: string[], shown: Shown[]): string {
  return picture(
    lines,
    list(shown).map((d) => ({ rule: String(d.code), severity: FLYMAKE[d.type] ?? d.type, range: d.range })),
  );
}

/** The buffer's lines without the empty one after the final newline. */
function bufferLines(lines: string[]): string[] {
  return lines.at(-1) === '' ? lines.slice(0, -1) : lines;
}

function emacsReady(bin: string): { ok: boolean; why: string; version?: string } {
  const probe = `(progn (add-to-list 'package-directory-list "/usr/share/emacs/site-lisp/elpa") (package-initialize)
    (princ (format "%s %s %s" emacs-version (locate-library "eglot") (locate-library "dockerfile-mode"))))`;
  const r = spawnSync(bin, ['--batch', '-Q', '--eval', probe], { encoding: 'utf8', timeout: 30_000 });
  if (r.error || r.status !== 0) return { ok: false, why: `no Emacs (${bin}): install Debian's emacs-nox elpa-eglot elpa-dockerfile-mode` };
  const [version, eglot, mode] = r.stdout.trim().split(' ');
  if (eglot === 'nil' || mode === 'nil')
    return {
      ok: false,
      why: `Emacs ${version} has no ${eglot === 'nil' ? 'eglot' : 'dockerfile-mode'}: install Debian's elpa-eglot elpa-dockerfile-mode`,
    };
  return { ok: true, why: '', version };
}

describe('Emacs and eglot as the LSP client (the README configuration, batch mode)', function () {
  this.timeout(RUN_DEADLINE_MS + 40_000);
  let result: Result;
  const text = fixtureTexts();

  before(async function () {
    const bin = process.env.HARDENER_EMACS || 'emacs';
    const ready = emacsReady(bin);
    requireEditor(this, ready.ok, ready.why);
    assert.ok(existsSync(SERVER), `${path.relative(ROOT, SERVER)} is missing: run npm run build first`);
    const run = await runEditor<Result>({
      name: 'Emacs',
      bin,
      args: ['--batch', '-Q', '-l', CHECK],
      files: { 'config.el': readmeSnippet('elisp', ';; Emacs: eglot') },
      env: {
        HARDENER_EMACS_CONFIG: '{tmp}/config.el',
        HARDENER_EMACS_STEPS: JSON.stringify([STEPS.fix, STEPS.ignore]),
        HARDENER_EMACS_TIMEOUT: String(WAIT_S),
      },
      deadlineMs: RUN_DEADLINE_MS,
    });
    result = run.result;
    console.log(`      (Emacs ${ready.version}: ${run.ms} ms for the whole session)`);
  });

  it('visits a Dockerfile in dockerfile-mode, and eglot-ensure connects to the server', () => {
    assert.equal(result.mode, 'dockerfile-mode');
    assert.match(result.server?.name ?? '', /dockerfile-mode/);
  });

  it('receives the diagnostics with their codes, ranges and severities', () => {
    for (const d of result.opened.diagnostics) assert.equal(d.source, 'dockerfile-hardener');
    assert.equal(lspPicture(text.opened, result.opened.diagnostics), FIXTURE_PICTURE.join('\n'));
  });

  it('shows them at the same places (flymake)', () => {
    assert.equal(shownPicture(text.opened, result.opened.shown), asNotes(FIXTURE_PICTURE.join('\n')));
  });

  it("applies a rule's quick-fix, its edit sent with the action (eglot 1.9 cannot resolve)", () => {
    const step = result.steps[0]!;
    assertOffers(step.line, step.offered, [STEPS.fix.title, 'Ignore apk-cache for this instruction', 'Ignore apk-cache in this file']);
    assert.deepEqual(step.chosen, { kind: 'quickfix', has_edit: true });
    assert.deepEqual(bufferLines(step.lines), text.fixed);
    assert.equal(lspPicture(text.fixed, list(step.diagnostics)), pictureAfter('fixed'));
  });

  it('applies an ignore action, and the finding goes away', () => {
    const step = result.steps[1]!;
    assertOffers(step.line, step.offered, [STEPS.ignore.title, 'Ignore privileged-port in this file']);
    assert.deepEqual(step.chosen, { kind: 'quickfix', has_edit: true });
    assert.deepEqual(bufferLines(step.lines), text.ignored);
    assert.equal(lspPicture(text.ignored, list(step.diagnostics)), pictureAfter('ignored'));
    assert.equal(shownPicture(text.ignored, step.shown), asNotes(pictureAfter('ignored')));
  });

  it('shuts the server down', () => {
    assert.equal(result.shutdown_error, undefined);
    assert.equal(result.server_stopped, true);
  });
});
