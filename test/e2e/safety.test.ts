/**
 * Image safety: every edit the tool offers keeps the image working. For each case of
 * test/e2e/safety/cases.ts the original is built and run; then the file as `fix --unsafe` leaves it,
 * each quick fix the editor offers on it (preferred or not, one at a time, as its title says), and
 * the multi-stage conversion where the case asks, are each built with buildah and run with podman.
 * Each must start and do what the original did (its probe passes: the same output, the same page,
 * its data written) and run as the uid the tool claims for it (the model's reading of the edited
 * file). An edit whose title declares a change (another port, a HOME of /, "check: …") must make
 * exactly that change, which the case declares.
 *
 * Runs the way Docker users run images: with net.ipv4.ip_unprivileged_port_start=0 (Docker's
 * default; rootful Podman keeps 1024). An edit whose title says it needs a port below 1024 is also run
 * without it, where it must fail, as its title warns.
 *
 * Fixes that need a registry (pinning) cannot run here, and are listed as such. The base images are
 * stand-ins made by test/e2e/base-images.sh (Debian's packages, configured like the real images).
 *
 * Needs root, buildah, podman, runc, debootstrap and dpkg-scanpackages; without them it skips with a
 * message, except under CI, where that fails. The table of cases and results is test/e2e/README.md;
 * this suite writes the table it ran to test-artifacts/e2e/safety.md and fails when the README's
 * differs.
 */
import * as assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { lint } from '../../server/src/linter/lint';
import { applyEdits } from '../../server/src/engine/edits';
import { fixAll } from '../../server/src/linter/fix';
import { convertToScratch } from '../../server/src/convert/convert';
import { runtimeOf } from '../../server/src/model/runtime';
import { visibleUser } from '../../server/src/model/users';
import { defaultUser } from '../../server/src/model/knownImages';
import { fileBuildContext } from '../../server/src/engine/buildContext';
import { BASES, Containers, describeRun, standInBases, type Ran } from './containers';
import { CASES, type Declared, type SafetyCase } from './safety/cases';
import type { ImageRef } from '../../server/src/model/imageRef';

const ROOT = path.resolve(__dirname, '../..');
const FIXTURES = path.join(__dirname, 'fixtures');
const README = path.join(__dirname, 'README.md');
const TABLE_OUT = path.join(ROOT, 'test-artifacts', 'e2e', 'safety.md');
const DOCKER_PORTS = ['--sysctl', 'net.ipv4.ip_unprivileged_port_start=0'];
/**
 * As Docker runs a container: Podman otherwise adds an /etc/passwd entry for a uid the image lacks
 * (with the working directory as its home), which Docker does not; a uid without one has HOME=/.
 */
const AS_DOCKER = ['--passwd=false'];

interface Variant {
  /** `original`, `fix --unsafe`, a fix's title, or `convert`. */
  label: string;
  /** Other labels that gave the same text. */
  same: string[];
  text: string;
  /** What its title declares instead of the original's behaviour. */
  declared?: Declared;
  preferred?: boolean;
}

interface Outcome {
  case: string;
  label: string;
  expected: string;
  result: string;
  ok: boolean;
  claimed?: string;
  actual?: string;
}

/** Who the tool says the program runs as in `text`: a uid, else a name; undefined when it does not say. */
function claimed(text: string, dir: string, pid1: boolean): { uid?: number; name?: string } | undefined {
  const { model } = lint(text, { only: [], buildContext: fileBuildContext(path.join(dir, 'Dockerfile')) });
  const s = model.shipped;
  if (!s) return undefined;
  const rt = runtimeOf(s);
  const byName = (spec: string | undefined) => {
    if (spec === undefined) return undefined;
    const name = spec.split(':')[0];
    if (/^\d+$/.test(name)) return { uid: Number(name) };
    if (name === 'root') return { uid: 0, name };
    const v = visibleUser(model, s, name);
    return { uid: v?.uid, name };
  };
  if (!pid1 && rt.entry.stepDown) return byName(rt.entry.stepDown.user);
  if (rt.user.root === true) return { uid: 0 };
  if (rt.user.root === undefined) return undefined;
  if (!rt.user.instr && s.rootImage) {
    const d = defaultUser(s.rootImage);
    if (d && !d.root) return { uid: d.uid, name: d.user };
  }
  return byName(rt.user.text);
}

/** The edits the tool offers on a case: fix --unsafe, each quick fix alone, and the conversion. */
async function variantsOf(c: SafetyCase, dir: string, skipped: string[], cx: Containers): Promise<Variant[]> {
  const original = c.dockerfile;
  const buildContext = fileBuildContext(path.join(dir, 'Dockerfile'));
  const out: Variant[] = [{ label: 'original', same: [], text: original }];
  const add = (v: Variant) => {
    const same = out.find((o) => o.text === v.text);
    if (same) same.same.push(v.label);
    else out.push(v);
  };
  add({ label: 'fix --unsafe', same: [], text: (await fixAll(original, { unsafe: true, buildContext })).text, preferred: true });
  const { findings } = lint(original, { buildContext });
  for (const f of findings) {
    for (const fix of f.fixes ?? []) {
      const label = `${f.rule}: ${fix.title}`;
      // A fix that asks a registry for a digest gets the local image's (the stand-in's digest, which
      // buildah resolves offline). Pinning itself is proven against a real registry (test/registry).
      if (fix.network && f.rule === 'unpinned-digest') {
        skipped.push(`${c.name}: ${label} (pinning: proven against a registry in test/registry)`);
        continue;
      }
      if (fix.unavailable) continue;
      const resolveDigest = async (ref: ImageRef) => cx.inspect(ref.text.replace(/@.*$/, ''), '{{.Digest}}');
      const text = applyEdits(original, await fix.edits({ resolveDigest }));
      const declared = c.declared?.find((d) => d.title.test(fix.title))?.expect;
      add({ label, same: [], text, declared, preferred: fix.preferred });
    }
  }
  if (c.convert) {
    const r = convertToScratch(original, { buildContext: fileBuildContext(path.join(dir, 'Dockerfile')) });
    assert.ok(r.ok, `convert refused: ${!r.ok && r.reason}`);
    if (r.ok) add({ label: 'convert to multi-stage scratch', same: [], text: r.text });
  }
  return out;
}

function describeExpected(c: SafetyCase, v: Variant): string {
  const d = v.declared;
  if (d === undefined)
    return v.label === 'original' && c.originalFails
      ? `fails to start (${c.originalFails.source})`
      : c.probe.kind === 'http'
        ? `serves on ${c.probe.port}`
        : 'works';
  if (d === 'start-fails') return 'builds, does not start (as its title says)';
  if (d === 'build-fails') return 'does not build (as its title says)';
  if (d === 'needs-docker-ports') return "works with Docker's port floor, not with Podman's (as its title says)";
  if ('port' in d) return `serves on ${d.port} (as its title says)`;
  return `prints ${d.output.source} (as its title says)`;
}

describe('image safety: every edit the tool offers still builds, starts and works (buildah + podman)', function () {
  this.timeout(60 * 60_000);
  let containers: Containers | undefined;
  let work = '';
  const outcomes: Outcome[] = [];
  const skipped: string[] = [];

  before(async function () {
    this.timeout(30 * 60_000);
    const bases = await standInBases(this);
    for (const line of bases.stderr.trim().split('\n').filter(Boolean)) console.log(`      ${line}`);
    containers = Containers.create(path.join(BASES, 'store'));
    work = mkdtempSync(path.join(os.tmpdir(), 'dh-safety-'));
  });

  after(async function () {
    this.timeout(10 * 60_000);
    if (work) rmSync(work, { recursive: true, force: true });
    if (containers) await containers.dispose();
  });

  for (const c of CASES) {
    it(`${c.name}: ${c.class}`, async function () {
      const cx = containers!;
      const dir = path.join(work, c.name);
      mkdirSync(dir, { recursive: true });
      for (const [to, from] of Object.entries(c.fixtures ?? {})) cpSync(path.join(FIXTURES, from), path.join(dir, to));
      for (const [to, text] of Object.entries(c.files ?? {})) {
        mkdirSync(path.dirname(path.join(dir, to)), { recursive: true });
        writeFileSync(path.join(dir, to), text);
      }
      writeFileSync(path.join(dir, 'Dockerfile'), c.dockerfile);
      // Images the case's Dockerfile takes files from (a binary another pipeline builds).
      for (const img of c.images ?? []) {
        writeFileSync(path.join(dir, `Dockerfile.${img.tag.replace(/\W+/g, '-')}`), img.dockerfile);
        const built = await cx.build(dir, `Dockerfile.${img.tag.replace(/\W+/g, '-')}`, img.tag);
        assert.equal(built.status, 0, describeRun(`building ${img.tag}`, built));
      }
      const variants = await variantsOf(c, dir, skipped, cx);
      const problems: string[] = [];
      let k = 0;
      for (const v of variants) {
        const file = `Dockerfile.${k}`;
        const tag = `localhost/dh-safety/${c.name}-${k++}`;
        writeFileSync(path.join(dir, file), v.text);
        const outcome = await check(cx, c, v, dir, file, tag);
        outcomes.push(outcome);
        if (!outcome.ok)
          problems.push(
            `${v.label}${v.same.length ? ` (= ${v.same.join('; ')})` : ''}: expected ${outcome.expected}, got ${outcome.result}\n--- Dockerfile\n${v.text}`,
          );
      }
      assert.deepEqual(problems, []);
    });
  }

  it('writes the table of cases and results, and test/e2e/README.md shows it', () => {
    assert.ok(outcomes.length, 'needs the cases above');
    const table = renderTable(outcomes, skipped);
    mkdirSync(path.dirname(TABLE_OUT), { recursive: true });
    writeFileSync(TABLE_OUT, table);
    const readme = readFileSync(README, 'utf8');
    const between = /<!-- safety:start -->\n([\s\S]*?)<!-- safety:end -->/.exec(readme)?.[1];
    assert.equal(
      between,
      table,
      `test/e2e/README.md's table is out of date: copy ${path.relative(ROOT, TABLE_OUT)} between its safety markers`,
    );
  });
});

/** Builds and runs one variant and compares what it does with what is expected of it. */
async function check(cx: Containers, c: SafetyCase, v: Variant, dir: string, file: string, tag: string): Promise<Outcome> {
  const expected = describeExpected(c, v);
  const base: Omit<Outcome, 'result' | 'ok'> = { case: c.name, label: [v.label, ...v.same].join(' = '), expected };
  const built = await cx.build(dir, file, tag);
  if (v.declared === 'build-fails') return { ...base, result: built.status === 0 ? 'built' : 'did not build', ok: built.status !== 0 };
  if (built.status !== 0) return { ...base, result: `build failed: ${tail(built)}`, ok: false };
  const port =
    v.declared !== undefined && typeof v.declared === 'object' && 'port' in v.declared
      ? v.declared.port
      : c.probe.kind === 'http'
        ? c.probe.port
        : 0;
  const declaredOutput =
    v.declared !== undefined && typeof v.declared === 'object' && 'output' in v.declared ? v.declared.output : undefined;
  const probed = await probe(
    cx,
    c,
    tag,
    port,
    c.probe.kind === 'output' && c.probe.dockerPorts === false ? [] : DOCKER_PORTS,
    declaredOutput,
  );
  const claim = claimed(v.text, dir, c.probe.kind === 'http');
  const claimText = claim ? (claim.uid !== undefined ? `uid ${claim.uid}` : `user ${claim.name}`) : undefined;
  const withUid = (o: Outcome) => ({
    ...o,
    claimed: claimText,
    actual: probed.uid !== undefined ? `uid ${probed.uid}${probed.user ? ` (${probed.user})` : ''}` : undefined,
  });
  if (v.declared === 'start-fails')
    return withUid({ ...base, result: probed.ok ? 'started' : `did not start: ${probed.detail}`, ok: !probed.ok });
  if (v.label === 'original' && c.originalFails) {
    const ok = !probed.ok && c.originalFails.test(probed.detail);
    return withUid({ ...base, result: probed.ok ? 'started' : `did not start: ${probed.detail}`, ok });
  }
  // Any other edit of a file that does not start either makes it start, or leaves it failing the same way.
  if (c.originalFails && !probed.ok && c.originalFails.test(probed.detail) && v.label !== 'fix --unsafe') {
    return withUid({
      ...base,
      expected: `${expected}, or fails as the original`,
      result: `fails as the original: ${probed.detail}`,
      ok: true,
    });
  }
  if (!probed.ok) return withUid({ ...base, result: `did not work: ${probed.detail}`, ok: false });
  // Runs as the user the tool claims.
  if (claim?.uid !== undefined && probed.uid !== claim.uid)
    return withUid({ ...base, result: `runs as uid ${probed.uid}, the tool says ${claim.uid}`, ok: false });
  if (claim?.uid === undefined && claim?.name && probed.user !== claim.name)
    return withUid({ ...base, result: `runs as ${probed.user}, the tool says ${claim.name}`, ok: false });
  if (v.declared === 'needs-docker-ports') {
    const strict = await probe(cx, c, tag, port, []);
    if (strict.ok) return withUid({ ...base, result: "works even without Docker's port floor: its title warns for nothing", ok: false });
    return withUid({ ...base, result: `works; without Docker's port floor it does not (${strict.detail})`, ok: true });
  }
  return withUid({ ...base, result: probed.uid === 0 ? 'works, as root' : 'works', ok: true });
}

interface Probed {
  ok: boolean;
  output: string;
  detail: string;
  uid?: number;
  user?: string;
}

/** Runs the image and checks its probe (an output the title declares instead, where `expect` is given). */
async function probe(cx: Containers, c: SafetyCase, tag: string, port: number, extra: string[], expect?: RegExp): Promise<Probed> {
  if (c.probe.kind === 'output') {
    const r = await cx.podman(['run', '--rm', '--pull=never', '--network=none', ...AS_DOCKER, ...extra, tag], { timeoutMs: 120_000 });
    const out = r.stdout + r.stderr;
    const m = /\buid=(\d+)(?: user=(\S+))?/.exec(r.stdout);
    const ok = r.status === 0 && (expect ?? c.probe.expect).test(r.stdout);
    return {
      ok,
      output: r.stdout,
      detail: ok ? '' : `exit ${r.status}: ${out.trim().slice(-300)}`,
      uid: m ? Number(m[1]) : undefined,
      user: m?.[2],
    };
  }
  const p = c.probe;
  const started = await cx.podman(['run', '-d', '--pull=never', '--network=none', ...AS_DOCKER, ...extra, tag], { timeoutMs: 120_000 });
  if (started.status !== 0) return { ok: false, output: '', detail: `podman run: ${tail(started)}` };
  const id = started.stdout.trim();
  const url = `http://127.0.0.1:${port}/`;
  const fetch =
    p.fetch === 'curl'
      ? ['curl', '-fsS', url]
      : ['python3', '-c', `import urllib.request,sys;sys.stdout.write(urllib.request.urlopen('${url}').read().decode())`];
  try {
    let last: Ran | undefined;
    // Poll until it answers or gives up (never a fixed sleep): a server takes a moment to bind.
    for (let i = 0; i < 60; i++) {
      last = await cx.podman(['exec', id, ...fetch], { timeoutMs: 30_000 });
      if (last.status === 0 && p.expect.test(last.stdout)) break;
      const state = await cx.podman(['inspect', '-f', '{{.State.Running}}', id], { timeoutMs: 30_000 });
      if (state.stdout.trim() !== 'true') break;
      await new Promise((r) => setTimeout(r, 250));
    }
    const ok = !!last && last.status === 0 && p.expect.test(last.stdout);
    const status = await cx.podman(['exec', id, 'cat', '/proc/1/status'], { timeoutMs: 30_000 });
    const uid = /^Uid:\s+(\d+)/m.exec(status.stdout)?.[1];
    const logs = ok ? undefined : await cx.podman(['logs', id], { timeoutMs: 30_000 });
    return {
      ok,
      output: last?.stdout ?? '',
      detail: ok ? '' : `no answer on ${port}: ${(logs?.stdout ?? '') + (logs?.stderr ?? '')}`.trim().slice(-300),
      uid: uid === undefined ? undefined : Number(uid),
    };
  } finally {
    await cx.podman(['rm', '-f', '-t', '0', id], { timeoutMs: 60_000 });
  }
}

function tail(r: Ran): string {
  return `exit ${r.status}: ${(r.stdout + r.stderr).trim().split('\n').slice(-3).join(' / ')}`;
}

/** The README's table: every case and edit with what was expected and what happened. */
function renderTable(outcomes: Outcome[], skipped: string[]): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const lines = ['| case | edit | expected | result | tool says | runs as |', '| --- | --- | --- | --- | --- | --- |'];
  for (const o of outcomes)
    lines.push(
      `| ${o.case} | ${esc(o.label)} | ${esc(o.expected)} | ${esc(o.ok ? o.result.replace(/: .*/s, '') : `FAILED: ${o.result}`)} | ${o.claimed ?? '—'} | ${o.actual ?? '—'} |`,
    );
  // Cases that ran as root and end non-root and working with fix --unsafe.
  const cases = [...new Set(outcomes.map((o) => o.case))];
  const rootThen = cases.filter((c) =>
    outcomes.some((o) => o.case === c && o.label.startsWith('original') && o.actual?.startsWith('uid 0')),
  );
  const nonRootNow = rootThen.filter((c) =>
    outcomes.some(
      (o) => o.case === c && o.label.split(' = ').includes('fix --unsafe') && o.ok && o.actual && !o.actual.startsWith('uid 0'),
    ),
  );
  const offered = rootThen.filter((c) =>
    outcomes.some((o) => o.case === c && !o.label.startsWith('original') && o.ok && o.actual && !o.actual.startsWith('uid 0')),
  );
  const edits = outcomes.filter((o) => !o.label.startsWith('original'));
  const broke = outcomes.filter((o) => !o.ok);
  lines.push(
    '',
    `${cases.length} cases, ${edits.length} edits built and run, ${broke.length} broke. Of the ${rootThen.length} cases whose original runs as root, ${nonRootNow.length} end non-root and working with \`fix --unsafe\`, and ${offered.length} with an edit the editor offers.`,
  );
  if (skipped.length)
    lines.push(
      '',
      `Not run here (they need a registry): ${skipped.length} edits (${[...new Set(skipped.map((s) => s.replace(/^[^:]*: /, '').replace(/ \(.*$/, '')))].join(', ')}).`,
    );
  return lines.join('\n') + '\n';
}
