/**
 * ShellCheck run over RUN scripts (server/src/shellcheck/run.ts), with the real binary: its comments
 * land on the document text they are about (continuations, escapes, the backtick escape, heredocs,
 * CRLF, tabs, JSON strings, ONBUILD), documents batched together keep their own comments, and the
 * run can be aborted and cleans up. Skipped when shellcheck is not installed, except under CI.
 */
import * as assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DockerfileModel } from '../../../server/src/model/model';
import { scriptJobs } from '../../../server/src/shellcheck/scripts';
import { findShellCheck, runShellCheck, type ShellCheckComment } from '../../../server/src/shellcheck/run';
import { runBatch } from '../../../server/src/shellcheck/process';

const binary = findShellCheck();

async function check(texts: string[], options: { parallel?: number; exclude?: number[] } = {}): Promise<ShellCheckComment[][]> {
  const jobs = texts.map((t) => scriptJobs(new DockerfileModel(t)).jobs);
  const r = await runShellCheck(jobs, { binary: binary!, ...options });
  assert.ok(r);
  return r;
}

/** Each comment of one document as `SC<code> <the document text it covers>`. */
async function comments(text: string, options: { exclude?: number[] } = {}): Promise<string[]> {
  const [r] = await check([text], options);
  return r.map((c) => `SC${c.code} ${text.slice(c.start, c.end)}`);
}

function ourTempDirs(): string[] {
  return readdirSync(os.tmpdir()).filter((n) => n.startsWith('dockerfile-hardener-shellcheck-'));
}

describe('shellcheck: running it', function () {
  this.timeout(60_000);

  before(function () {
    if (binary) return;
    if (process.env.CI) assert.fail('shellcheck is not installed, and CI must run the ShellCheck tests');
    this.skip();
  });

  describe('positions in the document', () => {
    it('across line continuations, a range that spans one included', async () => {
      const text = 'FROM debian:12\nRUN a \\\n  && echo $X \\\n  && echo `ls \\\n  -a`\n';
      assert.deepEqual(await comments(text), ['SC2086 $X', 'SC2005 `ls \\\n  -a`', 'SC2006 `ls \\\n  -a`', 'SC2046 `ls \\\n  -a`']);
    });

    it('after an escaped character', async () => {
      assert.deepEqual(await comments('FROM debian:12\nRUN echo \\$HOME\\"a $X\n'), ['SC2086 $X']);
    });

    it('with the backtick escape directive', async () => {
      const text = '# escape=`\nFROM debian:12\nRUN echo \\$Q `\n  && echo $X\n';
      assert.deepEqual(await comments(text), ['SC2086 $X']);
    });

    it('in a heredoc body, with tabs and characters outside the BMP before it', async () => {
      const text = 'FROM debian:12\nRUN <<EOF\nset -e\n\t\techo "😀é" $X\nEOF\n';
      const [[c]] = await check([text]);
      assert.equal(text.slice(c.start, c.end), '$X');
      assert.equal(c.start, text.indexOf('$X'));
    });

    it('in a CRLF file, without carriage-return complaints', async () => {
      const text = 'FROM debian:12\r\nRUN a \\\r\n  && echo $X\r\nRUN cat <<EOF > /f\r\n$(ls $Y)\r\nEOF\r\n';
      assert.deepEqual(await comments(text), ['SC2086 $X', 'SC2086 $Y']);
    });

    it('in an exec-form JSON string with escapes', async () => {
      const text = 'FROM debian:12\nRUN ["sh", "-c", "echo \\"a\\"\\u0020$Y `echo \\"x\\"`"]\n';
      assert.deepEqual(await comments(text), ['SC2086 $Y', 'SC2006 `echo \\"x\\"`', 'SC2046 `echo \\"x\\"`', 'SC2116 `echo \\"x\\"`']);
    });

    it('in an ONBUILD RUN, with the trigger as the instruction', async () => {
      const text = 'FROM debian:12\nONBUILD RUN cd $D\n';
      const [r] = await check([text]);
      assert.deepEqual(
        r.map((c) => [c.code, text.slice(c.start, c.end), c.instr.onbuild]),
        [
          [2164, 'cd $D', true],
          [2086, '$D', true],
        ],
      );
    });

    it('reports a heredoc script once, though it is checked alone and in its RUN', async () => {
      const text = 'FROM debian:12\nRUN bash <<EOF\necho $(ls *.txt)\nEOF\n';
      assert.deepEqual(await comments(text), ['SC2005 $(ls *.txt)', 'SC2046 $(ls *.txt)', 'SC2035 *']);
    });

    it('gives a syntax error a place in its RUN', async () => {
      const text = 'FROM debian:12\nRUN if true; then echo\n';
      const [r] = await check([text]);
      assert.ok(r.length > 0 && r.some((c) => c.level === 'error'));
      for (const c of r) assert.ok(c.start >= text.indexOf('if') && c.end <= text.length, `SC${c.code} at ${c.start}-${c.end}`);
    });
  });

  describe('levels, codes and dialects', () => {
    it('leaves out SC2154, SC1091 and the codes asked, and honours shellcheck directives', async () => {
      const text = 'FROM debian:12\nRUN . /etc/os-release && echo "$lower" $X\n# shellcheck disable=SC2046\nRUN echo $(ls) `pwd`\n';
      assert.deepEqual(await comments(text), ['SC2086 $X', 'SC2046 $(ls)', 'SC2006 `pwd`', 'SC2046 `pwd`']);
      assert.deepEqual(await comments(text, { exclude: [2086, 2046] }), ['SC2006 `pwd`']);
    });

    it('checks each script in its dialect: sh, dash for the sh of Debian-family images, bash', async () => {
      const script = 'RUN f() { local x=1; echo "$x"; } && [[ -n "$X" ]]\n';
      const [sh, dash, bash] = await check([
        `FROM alpine:3.20\n${script}`,
        `FROM python:3.12\n${script}`,
        `FROM alpine:3.20\nSHELL ["bash", "-c"]\n${script}`,
      ]);
      assert.deepEqual(
        sh.map((c) => [c.code, c.level]),
        [
          [3043, 'warning'],
          [3010, 'warning'],
        ],
      );
      assert.deepEqual(
        dash.map((c) => [c.code, c.level]),
        [[3010, 'error']],
      );
      assert.deepEqual(bash, []);
    });

    it('keeps the comments of many documents apart, in one run over few processes', async () => {
      const texts = Array.from({ length: 30 }, (_, k) => `FROM debian:12\n${'RUN true\n'.repeat(k % 5)}RUN echo $V${k}\n`);
      for (const parallel of [1, 2, 8]) {
        const r = await check(texts, { parallel });
        assert.deepEqual(
          r.map((cs, k) => cs.map((c) => texts[k].slice(c.start, c.end))),
          texts.map((_, k) => [`$V${k}`]),
        );
      }
    });

    it('a script that several RUNs share (checked once): each RUN gets its comments at its own place', async () => {
      // The same script at different offsets (and one in another dialect, which is checked apart).
      const texts = [
        'FROM debian:12\nRUN echo $SHARED `pwd`\n',
        'FROM debian:12\n# a comment moves it\n\nRUN echo $SHARED `pwd`\nRUN echo $SHARED `pwd`\n',
        'FROM alpine:3.20\nSHELL ["bash", "-c"]\nRUN echo $SHARED `pwd`\n',
      ];
      const files: number[] = [];
      const r = await check(texts);
      for (const [k, cs] of r.entries()) {
        const seen = cs.map((c) => `SC${c.code} ${texts[k].slice(c.start, c.end)} @${c.start}`);
        files.push(cs.length);
        // Each comment lands on this document's own text.
        for (const c of cs) assert.ok(['$SHARED', '`pwd`'].includes(texts[k].slice(c.start, c.end)), seen.join(', '));
      }
      assert.deepEqual(files, [3, 6, 3]);
      // The second document's two RUNs each have their comments, at their own offsets.
      assert.equal(new Set(r[1].map((c) => c.start)).size, 4);
    });

    it('runs nothing for documents without scripts', async () => {
      const r = await runShellCheck([[], []], { binary: '/nonexistent/shellcheck' });
      assert.deepEqual(r, [[], []]);
    });
  });

  describe('the processes', () => {
    it('resolves to undefined when aborted, before it starts, while it writes, or while it runs; and removes its directory', async () => {
      const jobs = [scriptJobs(new DockerfileModel('FROM debian:12\nRUN echo $X\n')).jobs];
      const before = ourTempDirs();
      assert.equal(await runShellCheck(jobs, { binary: binary!, signal: AbortSignal.abort() }), undefined);
      const early = new AbortController();
      const writing = runShellCheck(jobs, { binary: binary!, signal: early.signal });
      early.abort();
      assert.equal(await writing, undefined);
      const dir = mkdtempSync(path.join(os.tmpdir(), 'dh-slow-shellcheck-'));
      try {
        const slow = path.join(dir, 'shellcheck');
        writeFileSync(slow, '#!/bin/sh\nexec sleep 30\n');
        chmodSync(slow, 0o755);
        const ac = new AbortController();
        const t0 = Date.now();
        const running = runShellCheck(jobs, { binary: slow, signal: ac.signal });
        setTimeout(() => ac.abort(), 300);
        assert.equal(await running, undefined);
        assert.ok(Date.now() - t0 < 5000, 'the process was killed');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
      assert.deepEqual(ourTempDirs(), before);
    });

    it('rejects when the binary fails or writes no json1, and removes its directory', async () => {
      const jobs = [scriptJobs(new DockerfileModel('FROM debian:12\nRUN echo $X\n')).jobs];
      const before = ourTempDirs();
      await assert.rejects(runShellCheck(jobs, { binary: '/nonexistent/shellcheck' }), /could not run/);
      const dir = mkdtempSync(path.join(os.tmpdir(), 'dh-fake-shellcheck-'));
      try {
        const fake = path.join(dir, 'shellcheck');
        writeFileSync(fake, '#!/bin/sh\necho oops >&2\nexit 3\n');
        chmodSync(fake, 0o755);
        await assert.rejects(runShellCheck(jobs, { binary: fake }), /exited with 3: oops/);
        writeFileSync(fake, '#!/bin/sh\necho not json\nexit 1\n');
        await assert.rejects(runShellCheck(jobs, { binary: fake }), /not json1/);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
      assert.deepEqual(ourTempDirs(), before);
    });
  });
});

describe('shellcheck: one process', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(os.tmpdir(), 'dh-batch-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function fake(script: string): string {
    const p = path.join(dir, 'shellcheck');
    writeFileSync(p, `#!/bin/sh\n${script}\n`);
    chmodSync(p, 0o755);
    return p;
  }

  const batch = (binary: string, timeout = 10_000) =>
    runBatch({ binary, cwd: dir, dialect: 'sh', files: ['a.sh'], exclude: [], timeout, signal: new AbortController().signal });

  it('is stopped at its deadline', async () => {
    const t0 = Date.now();
    await assert.rejects(batch(fake('exec sleep 30'), 200), /took longer than/);
    assert.ok(Date.now() - t0 < 5000);
  });

  it('is stopped when it writes more than the cap', async () => {
    await assert.rejects(batch(fake('exec head -c 70000000 /dev/zero')), /more than 64 MB/);
  });

  it('takes exit 1 with comments as success', async () => {
    const json = '{"comments":[{"file":"a.sh","line":1,"endLine":1,"column":1,"endColumn":2,"level":"style","code":2006,"message":"m"}]}';
    const r = await batch(fake(`echo '${json}'; exit 1`));
    assert.deepEqual(
      r?.map((c) => c.code),
      [2006],
    );
  });
});

describe('shellcheck: finding the binary', () => {
  let dir: string;
  let savedPath: string | undefined;

  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'dh-find-shellcheck-'));
    savedPath = process.env.PATH;
  });

  afterEach(() => {
    process.env.PATH = savedPath;
    rmSync(dir, { recursive: true, force: true });
  });

  function fake(name: string, mode = 0o755): string {
    const p = path.join(dir, name);
    writeFileSync(p, '#!/bin/sh\n');
    chmodSync(p, mode);
    return p;
  }

  it('takes a setting that is an absolute path to an executable file, and nothing else', () => {
    const exe = fake('sc');
    const plain = fake('plain', 0o644);
    assert.equal(findShellCheck(exe), exe);
    assert.equal(findShellCheck(plain), undefined);
    assert.equal(findShellCheck(path.join(dir, 'missing')), undefined);
    assert.equal(findShellCheck(dir), undefined);
    assert.equal(findShellCheck('shellcheck'), undefined);
  });

  it('looks on PATH without a setting, ignoring directories that are not absolute', () => {
    const exe = fake('shellcheck');
    process.env.PATH = ['relative/bin', '', dir].join(path.delimiter);
    assert.equal(findShellCheck(), exe);
    assert.equal(findShellCheck(''), exe);
    process.env.PATH = 'relative/bin';
    assert.equal(findShellCheck(), undefined);
  });
});
