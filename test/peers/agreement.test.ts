/**
 * Agreement with the peers' own tests: every hadolint spec case and BuildKit lint case whose rule has
 * an equivalent here must get the peer's verdict (BuildKit's: on the same lines), except the cases
 * listed below, each a deliberate difference with its reason. A new disagreement fails, and so does
 * a listed difference that no longer disagrees (the list must stay true). The README states the
 * agreement figure; this test checks it.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { requireCorpus } from '../support/corpus';
import { buildkitVerdicts, hadolintVerdicts, type Verdict } from './peers';
import { rules } from '../../server/src/rules';

/** Case key → why we differ on purpose. */
export const DIFFERENCES: Record<string, string> = {
  'DL3002Spec.hs:77:plain': 'root-user checks the shipped stage only: a builder stage running as root never runs in production',
  'DL3009Spec.hs:31:onbuild': 'apt-lists checks the stages whose files ship; this ONBUILD is in a builder stage nothing builds on',
  'DL3009Spec.hs:71:onbuild': 'apt-lists checks the stages whose files ship; this ONBUILD is in a builder stage nothing builds on',
  'DL3022Spec.hs:14:plain':
    'copy-from-stage-order reports --from names that are stages defined later; --from=foo with no stage foo is an image reference to the builder (like --from=nginx), not a mistake it can know',
  'DL4005Spec.hs:14:plain':
    'shell-symlink reports a link onto /bin/sh where the image is a distribution known to have one (a file without FROM names no image); in distroless :debug or scratch the link gives a shell, it replaces none',
  'DL4005Spec.hs:15:onbuild':
    'shell-symlink reports a link onto /bin/sh where the image is a distribution known to have one (a file without FROM names no image)',
  'DL3025Spec.hs:34:plain':
    "shell-form-cmd knows node's /bin/sh (Debian's dash 0.5.11+) runs a single command in its place, so CMD something gets SIGTERM: nothing to report (judged on real files, such findings were wrong)",
  'DL3025Spec.hs:46:plain':
    'shell-form-cmd is about signals reaching the main process; a shell-form HEALTHCHECK (CMD-SHELL) is a normal, short-lived probe',
  'DL3038Spec.hs:15:plain':
    'package-install-prompt: microdnf never asks (its -y does nothing, it always assumes yes), so a microdnf install without -y cannot stop at a prompt',
  'DL3038Spec.hs:17:onbuild':
    'package-install-prompt: microdnf never asks (its -y does nothing, it always assumes yes), so a microdnf install without -y cannot stop at a prompt',
  'DL3057Spec.hs:19:plain':
    'healthcheck-missing is off by default and judges service images only: a scratch stage that sets nothing to run (no CMD or ENTRYPOINT) is an export stage with nothing to probe',
  'DL3057Spec.hs:65:plain':
    'healthcheck-missing judges service images only: a scratch stage that sets nothing to run (no CMD or ENTRYPOINT) is an export stage with nothing to probe',
  'DL3057Spec.hs:73:plain':
    'healthcheck-missing judges service images only: a scratch stage that sets nothing to run (no CMD or ENTRYPOINT) is an export stage with nothing to probe',
  'DL3060Spec.hs:96:onbuild':
    'package-cache-left checks the stages whose files ship; this ONBUILD yarn install is in a stage nothing ships from',
  'DL3067Spec.hs:15:plain':
    'copy-whole-stage reports a copy of / from a stage built on a known toolchain image; "build" here names no stage, so it is an image the tool does not know (helper images such as tonistiigi/xx are made to be copied whole)',
  'DL3067Spec.hs:18:plain':
    'copy-whole-stage reports a copy of / from a stage built on a known toolchain image; "build" here names no stage, so it is an image the tool does not know',
  'bk071:LegacyKeyValueFormat':
    "the legacy ENV and LABEL are on lines 5 and 6, where legacy-key-value reports them; BuildKit's test does not check the line of this result, and the recorded lines (3, 4) are not the instructions'",
  'bk010:SecretsUsedInArgOrEnv':
    'secret-in-env does not report an empty value (ENV git_key=, line 9): nothing is leaked; nor a bare KEY part such as GPG_KEY',
  'bk036:JSONArgsRecommended':
    'in scratch, a shell-form CMD cannot run at all: scratch-shell-form reports it as an error instead of this info',
  'bk037:JSONArgsRecommended':
    'in scratch, a shell-form ENTRYPOINT cannot run at all: scratch-shell-form reports it as an error instead of this info',
};

function figure(verdicts: Verdict[]): { agree: number; total: number } {
  return { agree: verdicts.filter((v) => v.expected === v.actual).length, total: verdicts.length };
}

describe("agreement with the peers' own test cases", function () {
  this.timeout(60_000);
  let verdicts: Verdict[];

  before(function () {
    const dir = requireCorpus(this, 'peers');
    verdicts = [...hadolintVerdicts(dir), ...buildkitVerdicts(dir)];
  });

  it('covers the hadolint and BuildKit cases of every equivalent rule', () => {
    const codes = new Set(verdicts.map((v) => v.code));
    // Every code a rule names in its `equivalents` (the registry is the one list of them).
    const equivalents = rules.flatMap((r) => [...(r.equivalents.hadolint ?? []), ...(r.equivalents.buildkit ?? [])]);
    assert.ok(equivalents.length > 0);
    for (const c of equivalents) assert.ok(codes.has(c), `no peer case for ${c}, which a rule names as its equivalent`);
    assert.ok(verdicts.length > 150);
  });

  it('agrees on every case except the listed deliberate differences', () => {
    const unexpected = verdicts
      .filter((v) => v.expected !== v.actual && !(v.key in DIFFERENCES))
      .map((v) => `${v.key} (${v.code}): peer ${v.expected}, here ${v.actual}\n${v.dockerfile}`);
    assert.deepEqual(unexpected, []);
  });

  it('lists only differences that still differ', () => {
    const byKey = new Map(verdicts.map((v) => [v.key, v]));
    const stale = Object.keys(DIFFERENCES).filter((k) => {
      const v = byKey.get(k);
      return !v || v.expected === v.actual;
    });
    assert.deepEqual(stale, []);
  });

  it('states the agreement figures in the README', () => {
    const h = figure(verdicts.filter((v) => v.peer === 'hadolint'));
    const b = figure(verdicts.filter((v) => v.peer === 'buildkit'));
    const readme = readFileSync(path.resolve(__dirname, '../../README.md'), 'utf8');
    const line = `hadolint: ${h.agree} of ${h.total} cases agree; BuildKit: ${b.agree} of ${b.total} cases agree`;
    assert.ok(readme.includes(line), `README.md should say: ${line}`);
  });
});
