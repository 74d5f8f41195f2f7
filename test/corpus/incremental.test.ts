/**
 * Incremental re-linting (server/src/linter/incremental.ts) gives byte-identical findings to a full
 * lint of each version, over sequences of edits to the stress files: random typing and deleting,
 * new lines, edits to FROM lines, to `--from=` links, to global ignore comments, and to the lines
 * before the first FROM. Every version is checked against the plain full lint.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { IncrementalLinter } from '../../server/src/linter/incremental';
import { lint } from '../../server/src/linter/lint';
import { requireCorpus } from '../support/corpus';
import { findingsText } from '../support/equivalence';
import { random } from '../support/random';

type Edit = (text: string, next: () => number) => string;

const at = (text: string, next: () => number) => Math.floor(next() * (text.length + 1));
/** The start of a random line that matches `re`, or undefined. */
function lineWhere(text: string, re: RegExp, next: () => number): number | undefined {
  const starts: number[] = [];
  const lines = text.split('\n');
  let offset = 0;
  for (const l of lines) {
    if (re.test(l)) starts.push(offset);
    offset += l.length + 1;
  }
  return starts.length ? starts[Math.floor(next() * starts.length)] : undefined;
}

const EDITS: [string, Edit][] = [
  [
    'type a character',
    (t, next) => {
      const i = at(t, next);
      return t.slice(0, i) + 'x' + t.slice(i);
    },
  ],
  [
    'delete a character',
    (t, next) => {
      const i = at(t, next);
      return t.slice(0, i) + t.slice(i + 1);
    },
  ],
  [
    'insert a line break',
    (t, next) => {
      const i = at(t, next);
      return t.slice(0, i) + '\n' + t.slice(i);
    },
  ],
  [
    'insert an instruction',
    (t, next) => {
      const i = lineWhere(t, /^\S/, next) ?? 0;
      return t.slice(0, i) + 'USER root\n' + t.slice(i);
    },
  ],
  [
    'delete a line',
    (t, next) => {
      const i = lineWhere(t, /./, next) ?? 0;
      const end = t.indexOf('\n', i);
      return t.slice(0, i) + (end < 0 ? '' : t.slice(end + 1));
    },
  ],
  [
    'edit a FROM line',
    (t, next) => {
      const i = lineWhere(t, /^FROM /i, next);
      return i === undefined ? t : t.slice(0, i + 5) + 'scratch:x' + t.slice(i + 5);
    },
  ],
  [
    'change a --from link',
    (t, next) => {
      const i = lineWhere(t, /--from=/i, next);
      if (i === undefined) return t;
      const j = t.indexOf('--from=', i) + 7;
      return t.slice(0, j) + (next() < 0.5 ? '0' : 'z') + t.slice(j);
    },
  ],
  [
    'add a local ignore comment',
    (t, next) => {
      const i = lineWhere(t, /^(RUN|USER|FROM|COPY) /, next) ?? 0;
      return t.slice(0, i) + '# dockerfile-hardener ignore=root-user,apt-lists\n' + t.slice(i);
    },
  ],
  [
    'add a global ignore comment',
    (t, next) => {
      const i = lineWhere(t, /^#/, next) ?? 0;
      return t.slice(0, i) + '# hadolint global ignore=DL3006\n' + t.slice(i);
    },
  ],
  ['edit a global ARG', (t) => t.replace(/^ARG ([A-Za-z_]+)=/m, 'ARG $1=changed-')],
];

function run(name: string, text: string, edits: number, seed: number): void {
  const next = random(seed);
  const linter = new IncrementalLinter();
  let partial = 0;
  let t = text;
  assert.equal(findingsText(linter.lint(t).findings), findingsText(lint(t).findings), `${name}: first version`);
  for (let e = 0; e < edits; e++) {
    // Mostly typing, as in an editor; every kind of edit now and then.
    const [what, edit] = next() < 0.6 ? EDITS[Math.floor(next() * 3)] : EDITS[Math.floor(next() * EDITS.length)];
    t = edit(t, next);
    const r = linter.lint(t);
    if (!r.full) partial++;
    assert.equal(findingsText(r.findings), findingsText(lint(t).findings), `${name}: edit ${e + 1} (${what}, seed ${seed})`);
  }
  assert.ok(partial > edits / 3, `${name}: only ${partial} of ${edits} edits were re-linted incrementally`);
}

/** Blocks of linked stages: a Go build and a users stage, both copied into a scratch stage. */
function linkedStages(blocks: number): string {
  const out: string[] = ['# syntax=docker/dockerfile:1', 'ARG GO=1.22', ''];
  for (let n = 0; n < blocks; n++) {
    out.push(
      `FROM golang:\${GO} AS build-${n}`,
      'WORKDIR /src',
      'COPY . .',
      'RUN go build -o /out/app ./cmd/app',
      '',
      `FROM alpine:3.23 AS users-${n}`,
      'RUN adduser -D app',
      '',
      `# the image of block ${n}`,
      `FROM scratch AS app-${n}`,
      `COPY --from=build-${n} /out/app /app`,
      `COPY --from=users-${n} /etc/passwd /etc/passwd`,
      'USER app',
      'CMD ["/app"]',
      '',
    );
  }
  return out.join('\n');
}

/** Edits that change what a linked stage sees: each picks block `n`. */
const LINKED_EDITS: [string, (t: string, n: number) => string][] = [
  ['build with cgo', (t, n) => t.replace(new RegExp(`(AS build-${n}\n(?:.*\n){2})RUN go build`), '$1RUN CGO_ENABLED=1 go build')],
  ['strip the binary', (t, n) => t.replace(new RegExp(`(AS build-${n}\n(?:.*\n){2}RUN .*go build)`), '$1 -ldflags="-s -w"')],
  ['drop the user', (t, n) => t.replace(new RegExp(`(AS users-${n}\n)RUN adduser -D app\n`), '$1')],
  ['copy from another build', (t, n) => t.replace(`--from=build-${n} `, `--from=build-${(n + 1) % 4} `)],
  ['copy by index', (t, n) => t.replace(`--from=users-${n} `, `--from=${3 * n + 1} `)],
  ['drop the passwd copy', (t, n) => t.replace(new RegExp(`COPY --from=users-${n} /etc/passwd /etc/passwd\n`), '')],
  ['base the image on alpine', (t, n) => t.replace(`FROM scratch AS app-${n}`, `FROM alpine AS app-${n}`)],
  ['run as root', (t, n) => t.replace(new RegExp(`(AS app-${n}\n(?:.*\n){2})USER app`), '$1USER root')],
  ['shell-form CMD', (t, n) => t.replace(new RegExp(`(AS app-${n}\n(?:.*\n){3})CMD \\["/app"\\]`), '$1CMD /app')],
  [
    'ignore above a FROM',
    (t, n) => t.replace(`# the image of block ${n}\n`, `# the image of block ${n}\n# dockerfile-hardener ignore=scratch-ca-certificates\n`),
  ],
  ['a line more above', (t, n) => t.replace(`FROM golang:\${GO} AS build-${n}\n`, `FROM golang:\${GO} AS build-${n}\n\n`)],
];

describe('incremental re-lint equals a full lint', function () {
  this.timeout(600_000);

  it('on linked stages, where an edit in one stage changes the findings of another', () => {
    const next = random(5);
    for (let round = 0; round < 6; round++) {
      const linter = new IncrementalLinter();
      let t = linkedStages(4);
      let partial = 0;
      assert.equal(findingsText(linter.lint(t).findings), findingsText(lint(t).findings));
      for (let e = 0; e < 25; e++) {
        const [what, edit] = LINKED_EDITS[Math.floor(next() * LINKED_EDITS.length)];
        t = edit(t, Math.floor(next() * 4));
        const r = linter.lint(t);
        if (!r.full) partial++;
        assert.equal(findingsText(r.findings), findingsText(lint(t).findings), `round ${round}, edit ${e + 1}: ${what}`);
      }
      assert.ok(partial > 0, 'no edit was re-linted incrementally');
    }
  });

  it('on stress-1k and stress-10k, over random edits', function () {
    const dir = requireCorpus(this, 'stress');
    run('stress-1k', readFileSync(path.join(dir, 'stress-1k.Dockerfile'), 'utf8'), 120, 1);
    run('stress-10k', readFileSync(path.join(dir, 'stress-10k.Dockerfile'), 'utf8'), 60, 2);
  });

  it('on stress-50k, over a few edits', function () {
    const dir = requireCorpus(this, 'stress');
    run('stress-50k', readFileSync(path.join(dir, 'stress-50k.Dockerfile'), 'utf8'), 12, 3);
  });

  it('on the real-world files joined into one long multi-stage file, CRLF and a target stage included', function () {
    const dir = requireCorpus(this, 'realworld');
    const names = readFileSync(path.join(dir, 'MANIFEST.tsv'), 'utf8')
      .split('\n')
      .slice(1)
      .filter(Boolean)
      .map((l) => l.split('\t')[0]);
    // Files with stage names, copies between stages and ignore comments, as they are (not renamed: the
    // same stage name several times is a case to get right too).
    const picked = names
      .filter((_n, i) => i % 9 === 0)
      .map((n) => readFileSync(path.join(dir, n), 'utf8').replace(/^#\s*(syntax|escape|check)\s*=.*$/gim, '#'));
    const joined = picked.join('\n');
    const linter = new IncrementalLinter();
    const next = random(4);
    let t = joined.replace(/\n/g, '\r\n');
    const options = { targetStage: '5' };
    assert.equal(findingsText(linter.lint(t, options).findings), findingsText(lint(t, options).findings));
    for (let e = 0; e < 40; e++) {
      const [what, edit] = EDITS[Math.floor(next() * EDITS.length)];
      t = edit(t, next);
      assert.equal(findingsText(linter.lint(t, options).findings), findingsText(lint(t, options).findings), `edit ${e + 1} (${what})`);
    }
  });
});
