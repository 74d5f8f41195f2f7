/**
 * Proof that download-without-checksum's fix "Add a sha256 check" gives commands that work with the
 * tools users have. For each shape the fix rewrites, a Dockerfile holding the original RUN (with the
 * URL of a loopback HTTP server started here) is linted with the real engine; the fix's edits are
 * built with the real fetcher (server/src/download/sha256.ts) against that server; then the original
 * RUN's shell text and the edited one are RUN FOR REAL:
 *
 *   - under `/bin/sh` (dash on Debian) with the host's GNU tar, coreutils sha256sum, curl and wget;
 *   - under BusyBox (`sh` = ash, with tar, sha256sum, wget, chmod, rm… as BusyBox applets; the host's
 *     curl, since BusyBox has none). busybox-static is the one on the PATH, $BUSYBOX, or one fetched
 *     with `apt-get download busybox-static` and unpacked with `dpkg-deb -x` into a temp folder
 *     (nothing is installed). Without it those tests skip with the reason (under CI, env CI set, they
 *     fail).
 *
 * Nothing runs as in a container: the absolute folders the commands write to (/tmp, /opt,
 * /usr/local/bin) are replaced, in the original and in the edited text alike, by folders of a fresh
 * temp root (one string replacement, `relocate`, applied to both); each run starts in that root with
 * a bare environment. `dpkg -i` is not run: a shell function `dpkg` put before both texts (it wins
 * over the PATH and over BusyBox's own dpkg applet) records its arguments and the bytes of the file it
 * was given.
 *
 * Asserted per shape and shell: the original works; the edited text exits 0 and leaves the same tree
 * (every file's bytes and executable bits, the temp download removed where the original left none,
 * what dpkg was given); then, the server serving OTHER bytes at the same URL, the original still
 * exits 0 with the tampered bytes in place, while the edited text exits non-zero and has extracted,
 * made executable or installed nothing.
 */
import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { fetchSha256 } from '../../server/src/download/sha256';
import { applyEdits } from '../../server/src/engine/edits';
import type { FixContext } from '../../server/src/engine/rule';
import { lint } from '../../server/src/linter/lint';

const RULE = 'download-without-checksum';
const BUSYBOX_APPLETS = ['sh', 'tar', 'gzip', 'sha256sum', 'wget', 'chmod', 'rm', 'echo', 'cat', 'cp', 'ls', 'mkdir', 'printf'];
const DPKG_STANDIN = `dpkg() { printf '%s\\n' "$@" > "$DPKG_RECORD"; cat "$2" > "$DPKG_RECORD.deb"; }\n`;

interface Shape {
  name: string;
  /** The RUN instruction (with `<base>` for the server's origin). */
  run: string;
  /** The file the URL serves, then the other bytes served when tampered. */
  path: string;
  good: () => Buffer;
  bad: () => Buffer;
  /** What the fixed text must have done nothing of, when tampered (relative to the root). */
  untouched: (root: string) => void;
  /** The RUN as the fix leaves it (`<sha>`: the sha256 of the good bytes). */
  fixed: string;
}

let scratch = '';
const archives = new Map<string, Buffer>();

/** A .tar.gz made with `tar czf` from files `name → [text, mode]`. */
function targz(files: Record<string, [string, number]>): Buffer {
  const dir = mkdtempSync(path.join(scratch, 'tar-'));
  for (const [name, [text, mode]] of Object.entries(files)) {
    writeFileSync(path.join(dir, name), text);
    chmodSync(path.join(dir, name), mode);
  }
  const out = `${dir}.tar.gz`;
  const r = spawnSync('tar', ['czf', out, '-C', dir, ...Object.keys(files)], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return readFileSync(out);
}

function archive(key: string, files: Record<string, [string, number]>): () => Buffer {
  return () => {
    if (!archives.has(key)) archives.set(key, targz(files));
    return archives.get(key)!;
  };
}

const nothingIn = (dir: string) => (root: string) => assert.deepEqual(readdirSync(path.join(root, dir)), [], `nothing in /${dir}`);

const SHAPES: Shape[] = [
  {
    name: '1. curl | tar xz -C /usr/local/bin',
    run: 'RUN curl -fsSL <base>/dl/tool-1.2.3.tar.gz | tar xz -C /usr/local/bin',
    path: '/dl/tool-1.2.3.tar.gz',
    good: archive('tool', { tool: ['#!/bin/sh\necho tool 1.2.3\n', 0o755], 'tool.txt': ['notes\n', 0o644] }),
    bad: archive('tool-bad', { tool: ['#!/bin/sh\necho pwned\n', 0o755] }),
    untouched: nothingIn('usr/local/bin'),
    fixed:
      'RUN curl -fsSL <base>/dl/tool-1.2.3.tar.gz -o /tmp/tool-1.2.3.tar.gz && echo "<sha>  /tmp/tool-1.2.3.tar.gz" | sha256sum -c - && tar xz -C /usr/local/bin -f /tmp/tool-1.2.3.tar.gz && rm -f /tmp/tool-1.2.3.tar.gz',
  },
  {
    name: '1b. set -eux; curl | tar xz … && chmod …; more',
    run: 'RUN set -eux; curl -fsSL <base>/dl/tool-1.2.3.tar.gz | tar xz -C /usr/local/bin && chmod 750 /usr/local/bin/tool; ls /usr/local/bin',
    path: '/dl/tool-1.2.3.tar.gz',
    good: archive('tool', { tool: ['#!/bin/sh\necho tool 1.2.3\n', 0o755], 'tool.txt': ['notes\n', 0o644] }),
    bad: archive('tool-bad', { tool: ['#!/bin/sh\necho pwned\n', 0o755] }),
    untouched: nothingIn('usr/local/bin'),
    fixed:
      'RUN set -eux; curl -fsSL <base>/dl/tool-1.2.3.tar.gz -o /tmp/tool-1.2.3.tar.gz; echo "<sha>  /tmp/tool-1.2.3.tar.gz" | sha256sum -c -; tar xz -C /usr/local/bin -f /tmp/tool-1.2.3.tar.gz; rm -f /tmp/tool-1.2.3.tar.gz && chmod 750 /usr/local/bin/tool; ls /usr/local/bin',
  },
  {
    name: '2. set -eux; wget -qO- | tar -xzf - -C /opt; …',
    run: 'RUN set -eux; \\\n    wget -qO- <base>/t.tgz \\\n    | tar -xzf - -C /opt; \\\n    ls /opt',
    path: '/t.tgz',
    good: archive('t', { 'app.conf': ['port=8080\n', 0o644], run: ['#!/bin/sh\nexit 0\n', 0o750] }),
    bad: archive('t-bad', { 'app.conf': ['port=6666\n', 0o644] }),
    untouched: nothingIn('opt'),
    fixed:
      'RUN set -eux; \\\n    wget -qO /tmp/t.tgz <base>/t.tgz; \\\n    echo "<sha>  /tmp/t.tgz" | sha256sum -c -; tar -xzf /tmp/t.tgz -C /opt; rm -f /tmp/t.tgz; \\\n    ls /opt',
  },
  {
    name: '3. wget -q -O /usr/local/bin/tool && chmod +x',
    run: 'RUN wget -q -O /usr/local/bin/tool <base>/tool-linux-amd64 && chmod +x /usr/local/bin/tool',
    path: '/tool-linux-amd64',
    good: () => Buffer.from('#!/bin/sh\necho tool\n'),
    bad: () => Buffer.from('#!/bin/sh\necho pwned\n'),
    // wget writes the file before the check reads it: the failed RUN leaves it, not executable (the
    // build stops there, so no image has it).
    untouched: (root) => assert.equal(statSync(path.join(root, 'usr/local/bin/tool')).mode & 0o111, 0, 'tool is not executable'),
    fixed:
      'RUN wget -q -O /usr/local/bin/tool <base>/tool-linux-amd64 && echo "<sha>  /usr/local/bin/tool" | sha256sum -c - && chmod +x /usr/local/bin/tool',
  },
  {
    name: '3b. set -eux; wget -O … && chmod +x …; more (the `&&` after the download becomes `;`)',
    run: 'RUN set -eux; \\\n    wget -q -O /usr/local/bin/tool <base>/tool-linux-amd64 && chmod +x /usr/local/bin/tool; \\\n    ls /usr/local/bin',
    path: '/tool-linux-amd64',
    good: () => Buffer.from('#!/bin/sh\necho tool\n'),
    bad: () => Buffer.from('#!/bin/sh\necho pwned\n'),
    untouched: (root) => assert.equal(statSync(path.join(root, 'usr/local/bin/tool')).mode & 0o111, 0, 'tool is not executable'),
    fixed:
      'RUN set -eux; \\\n    wget -q -O /usr/local/bin/tool <base>/tool-linux-amd64; echo "<sha>  /usr/local/bin/tool" | sha256sum -c -; chmod +x /usr/local/bin/tool; \\\n    ls /usr/local/bin',
  },
  {
    name: '4. cd /tmp && curl -fsSO && dpkg -i (dpkg: a recording stand-in)',
    run: 'RUN cd /tmp && curl -fsSO <base>/pool/tool.deb && dpkg -i tool.deb',
    path: '/pool/tool.deb',
    good: () => Buffer.from('!<arch>\ndebian-binary   stand-in package\n'),
    bad: () => Buffer.from('!<arch>\ndebian-binary   something else\n'),
    untouched: (root) => assert.equal(existsSync(path.join(root, 'var/dpkg')), false, 'dpkg was not run'),
    fixed: 'RUN cd /tmp && curl -fsSO <base>/pool/tool.deb && echo "<sha>  tool.deb" | sha256sum -c - && dpkg -i tool.deb',
  },
  {
    name: '4b. set -eux; cd /tmp && curl -fsSO && dpkg -i; more (download after `&&`: goes in { …; })',
    run: 'RUN set -eux; cd /tmp && curl -fsSO <base>/pool/tool.deb && dpkg -i tool.deb; ls /tmp',
    path: '/pool/tool.deb',
    good: () => Buffer.from('!<arch>\ndebian-binary   stand-in package\n'),
    bad: () => Buffer.from('!<arch>\ndebian-binary   something else\n'),
    untouched: (root) => assert.equal(existsSync(path.join(root, 'var/dpkg')), false, 'dpkg was not run'),
    fixed:
      'RUN set -eux; cd /tmp && { curl -fsSO <base>/pool/tool.deb; echo "<sha>  tool.deb" | sha256sum -c -; dpkg -i tool.deb; }; ls /tmp',
  },
  {
    name: '4c. set -e; mkdir -p /opt/t && curl | tar xz -C /opt/t; more (pipe after `&&`: goes in { …; })',
    run: 'RUN set -e; mkdir -p /opt/t && curl -fsSL <base>/dl/tool-1.2.3.tar.gz | tar xz -C /opt/t; ls /opt/t',
    path: '/dl/tool-1.2.3.tar.gz',
    good: archive('tool', { tool: ['#!/bin/sh\necho tool 1.2.3\n', 0o755], 'tool.txt': ['notes\n', 0o644] }),
    bad: archive('tool-bad', { tool: ['#!/bin/sh\necho pwned\n', 0o755] }),
    untouched: nothingIn('opt/t'),
    fixed:
      'RUN set -e; mkdir -p /opt/t && { curl -fsSL <base>/dl/tool-1.2.3.tar.gz -o /tmp/tool-1.2.3.tar.gz; echo "<sha>  /tmp/tool-1.2.3.tar.gz" | sha256sum -c -; tar xz -C /opt/t -f /tmp/tool-1.2.3.tar.gz; rm -f /tmp/tool-1.2.3.tar.gz; }; ls /opt/t',
  },
  {
    name: '5. heredoc after set -eux: wget -O, then tar on the next line',
    run: 'RUN <<EOF\nset -eux\nwget -O /tmp/tool.tar.gz <base>/r/tool.tar.gz\ntar -xzf /tmp/tool.tar.gz -C /opt\nrm /tmp/tool.tar.gz\nEOF',
    path: '/r/tool.tar.gz',
    good: archive('tool', { tool: ['#!/bin/sh\necho tool 1.2.3\n', 0o755], 'tool.txt': ['notes\n', 0o644] }),
    bad: archive('tool-bad', { tool: ['#!/bin/sh\necho pwned\n', 0o755] }),
    untouched: nothingIn('opt'),
    fixed:
      'RUN <<EOF\nset -eux\nwget -O /tmp/tool.tar.gz <base>/r/tool.tar.gz; echo "<sha>  /tmp/tool.tar.gz" | sha256sum -c -\ntar -xzf /tmp/tool.tar.gz -C /opt\nrm /tmp/tool.tar.gz\nEOF',
  },
];

/** The shell text a RUN runs: its command with continuations joined, or its heredoc's body. */
function runText(dockerfile: string): string {
  const run = lint(dockerfile, { only: [RULE] }).model.stages[0].runs[0];
  const heredoc = run.script?.commands[0]?.redirects.find((r) => r.heredoc)?.heredoc;
  if (heredoc?.body && run.command.shell?.text.startsWith('<<')) return dockerfile.slice(heredoc.body.start, heredoc.body.end);
  assert.ok(run.command.shell, 'a shell-form RUN');
  return run.command.shell.text;
}

/** The absolute folders the commands write to, moved under `root` (the same replacement for every text). */
function relocate(text: string, root: string): string {
  return text.replace(
    /(^|[\s"'=;&|(])\/(tmp|opt|usr\/local\/bin)(?=[/\s"';&|)]|$)/g,
    (_, before: string, dir: string) => `${before}${root}/${dir}`,
  );
}

/** Every file and folder under `root`: type, sha256 of the bytes, executable bits. */
function tree(root: string, dir = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(path.join(root, dir)).sort()) {
    const rel = path.join(dir, name);
    const st = statSync(path.join(root, rel));
    if (st.isDirectory()) Object.assign(out, { [`${rel}/`]: 'dir' }, tree(root, rel));
    else
      out[rel] = `${createHash('sha256')
        .update(readFileSync(path.join(root, rel)))
        .digest('hex')} x=${(st.mode & 0o111).toString(8)}`;
  }
  return out;
}

interface Shell {
  name: string;
  /** The shell binary, and the PATH the commands see; undefined: not available (`why`). */
  sh?: string;
  path?: string;
  why?: string;
}

/** Runs `text` with `shell` in a fresh root; resolves with the exit status, output and the root. */
function runIn(shell: Shell, text: string): Promise<{ status: number | null; output: string; root: string }> {
  const root = mkdtempSync(path.join(scratch, 'root-'));
  for (const d of ['tmp', 'opt', 'usr/local/bin', 'home', 'var']) mkdirSync(path.join(root, d), { recursive: true });
  const script = DPKG_STANDIN + relocate(text, root);
  const env = { PATH: shell.path!, HOME: path.join(root, 'home'), DPKG_RECORD: path.join(root, 'var/dpkg') };
  return new Promise((resolve, reject) => {
    const child = spawn(shell.sh!, ['-c', script], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (b: Buffer) => (output += b.toString()));
    child.stderr.on('data', (b: Buffer) => (output += b.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, output, root });
    });
  });
}

/** busybox-static: on the PATH, $BUSYBOX, or fetched from the Debian archive into a temp folder. */
function findBusybox(): { bin?: string; why?: string } {
  if (process.env.BUSYBOX)
    return existsSync(process.env.BUSYBOX) ? { bin: process.env.BUSYBOX } : { why: `$BUSYBOX (${process.env.BUSYBOX}) is not there` };
  const which = spawnSync('sh', ['-c', 'command -v busybox'], { encoding: 'utf8' });
  if (which.status === 0 && which.stdout.trim()) return { bin: which.stdout.trim() };
  const dir = path.join(scratch, 'busybox');
  mkdirSync(dir);
  const dl = spawnSync('apt-get', ['download', 'busybox-static'], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
  const deb = readdirSync(dir).find((f) => f.endsWith('.deb'));
  if (dl.status !== 0 || !deb)
    return {
      why: `no busybox on the PATH and \`apt-get download busybox-static\` failed: ${(dl.stderr || String(dl.error)).trim().slice(0, 300)}`,
    };
  const x = spawnSync('dpkg-deb', ['-x', deb, 'root'], { cwd: dir, encoding: 'utf8' });
  const bin = path.join(dir, 'root/bin/busybox');
  return x.status === 0 && existsSync(bin) ? { bin } : { why: `dpkg-deb -x ${deb} failed: ${x.stderr}` };
}

function busyboxShell(): Shell {
  const name = 'busybox sh (ash) + BusyBox tar/sha256sum/wget/chmod/rm, host curl';
  const { bin, why } = findBusybox();
  if (!bin) return { name, why };
  const dir = path.join(scratch, 'bb-path');
  mkdirSync(dir);
  for (const applet of BUSYBOX_APPLETS) symlinkSync(bin, path.join(dir, applet));
  const curl = spawnSync('sh', ['-c', 'command -v curl'], { encoding: 'utf8' }).stdout.trim();
  if (!curl) return { name, why: 'no curl on the host' };
  symlinkSync(curl, path.join(dir, 'curl'));
  return { name, sh: path.join(dir, 'sh'), path: dir };
}

function hostShell(): Shell {
  const sh = spawnSync('readlink', ['-f', '/bin/sh'], { encoding: 'utf8' }).stdout.trim();
  const missing = ['tar', 'sha256sum', 'curl', 'wget'].filter((t) => spawnSync('sh', ['-c', `command -v ${t}`]).status !== 0);
  const name = `/bin/sh (${path.basename(sh)}) + host GNU tar, coreutils sha256sum, curl, wget`;
  return missing.length
    ? { name, why: `missing on the host: ${missing.join(', ')}` }
    : { name, sh: '/bin/sh', path: '/usr/local/bin:/usr/bin:/bin' };
}

describe('download-without-checksum fix: the edited RUN, run for real', function () {
  this.timeout(180_000);
  const served = new Map<string, Buffer>();
  let server: Server;
  let base = '';
  const shells: Shell[] = [];

  before(async () => {
    scratch = mkdtempSync(path.join(os.tmpdir(), 'dh-download-check-'));
    server = createServer((req, res) => {
      const body = served.get(req.url ?? '');
      if (!body) {
        res.writeHead(404).end('not found');
        return;
      }
      res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': body.length }).end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    shells.push(hostShell(), busyboxShell());
  });

  after(async () => {
    await new Promise((resolve) => server?.close(resolve));
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  for (const shape of SHAPES) {
    describe(shape.name, () => {
      let original = '';
      let edited = '';

      before(async () => {
        served.set(shape.path, shape.good());
        const dockerfile = `FROM debian:12\n${shape.run.replace('<base>', base)}\n`;
        const { findings } = lint(dockerfile, { only: [RULE] });
        assert.equal(findings.length, 1, 'one finding');
        const fix = findings[0].fixes?.[0];
        assert.ok(fix, 'a fix');
        assert.equal(fix.unavailable, undefined, fix.unavailable);
        const ctx: FixContext = { fetchSha256: (url, o) => fetchSha256(url, { followRedirects: o?.followRedirects, timeoutMs: 20_000 }) };
        const after = applyEdits(dockerfile, await fix.edits(ctx));
        assert.deepEqual(lint(after, { only: [RULE] }).findings, [], 'the fixed file lints clean');
        const sha = createHash('sha256').update(shape.good()).digest('hex');
        assert.equal(after, `FROM debian:12\n${shape.fixed.replace('<base>', base).replace('<sha>', sha)}\n`);
        original = runText(dockerfile);
        edited = runText(after);
      });

      for (const which of [0, 1]) {
        const title = () => shells[which]?.name ?? (which ? 'BusyBox' : '/bin/sh');
        const usable = (ctx: Mocha.Context) => {
          const shell = shells[which];
          if (shell.sh) return shell;
          if (process.env.CI) assert.fail(`${shell.name}: ${shell.why}`);
          console.log(`      skipped (${shell.name}): ${shell.why}`);
          ctx.skip();
        };

        it(`${which ? 'BusyBox' : 'sh + GNU tools'}: the edited text works and leaves what the original leaves`, async function () {
          const shell = usable(this)!;
          served.set(shape.path, shape.good());
          const a = await runIn(shell, original);
          assert.equal(a.status, 0, `original under ${title()}:\n${a.output}`);
          const b = await runIn(shell, edited);
          assert.equal(b.status, 0, `edited under ${title()}:\n${relocate(edited, b.root)}\n${b.output}`);
          assert.deepEqual(tree(b.root), tree(a.root), 'the same files, bytes and executable bits');
          assert.notDeepEqual(tree(a.root), {}, 'the original did something');
        });

        it(`${which ? 'BusyBox' : 'sh + GNU tools'}: other bytes at the URL: the original takes them, the edited text stops`, async function () {
          const shell = usable(this)!;
          served.set(shape.path, shape.bad());
          try {
            const a = await runIn(shell, original);
            assert.equal(a.status, 0, `original (tampered) under ${title()}:\n${a.output}`);
            assert.throws(() => shape.untouched(a.root), 'the original takes the other bytes');
            const b = await runIn(shell, edited);
            assert.notEqual(b.status, 0, `edited (tampered) under ${title()} exited 0:\n${relocate(edited, b.root)}\n${b.output}`);
            shape.untouched(b.root);
          } finally {
            served.set(shape.path, shape.good());
          }
        });
      }
    });
  }
});
