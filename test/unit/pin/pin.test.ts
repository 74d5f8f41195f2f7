/**
 * Pinning without a network: where "Pin to digest" and "Update digest" write, what they refuse and
 * why, and how a whole file is pinned (one request per image, nothing changed when one fails). The
 * registry is a table here; test/registry, test/protocol/pin and test/cli/pin use a real one.
 */
import * as assert from 'node:assert/strict';
import { lint } from '../../../server/src/linter/lint';
import { applyEdits } from '../../../server/src/engine/edits';
import type { FixContext } from '../../../server/src/engine/rule';
import type { ImageRef } from '../../../server/src/model/imageRef';
import { pinDocument, summarize } from '../../../server/src/pin/pinFile';
import { RegistryError } from '../../../server/src/registry/errors';
import { imageKey } from '../../../server/src/model/registryNames';
import { codeActions } from '../../../server/src/lsp/codeActions';

const D = (c: string) => `sha256:${c.repeat(64)}`;
const A = D('a');
const B = D('b');
const C = D('c');

/** A registry as a table, counting what is asked. */
function registry(table: Record<string, string | Error>) {
  const asked: string[] = [];
  const context: FixContext = {
    resolveDigest: async (ref: ImageRef) => {
      const key = imageKey(ref);
      asked.push(key);
      const v = table[key];
      if (v === undefined) throw new RegistryError('not-found', `${key}: not found`);
      if (v instanceof Error) throw v;
      return v;
    },
  };
  return { asked, context };
}

/** The one pin fix of the only unpinned-digest finding, applied. */
async function pinOne(text: string, table: Record<string, string>): Promise<string> {
  const { findings } = lint(text, { only: ['unpinned-digest'], rules: { 'unpinned-digest': 'info' } });
  assert.equal(findings.length, 1, `one finding expected in:\n${text}`);
  const fix = findings[0].fixes?.[0];
  assert.ok(fix && fix.title === 'Pin to digest');
  assert.equal(fix.unavailable, undefined, `refused: ${fix.unavailable}`);
  return applyEdits(text, await fix.edits(registry(table).context));
}

/** Why the pin of the first unpinned-digest finding is refused. */
function refusal(text: string): string {
  const { findings } = lint(text, { only: ['unpinned-digest'], rules: { 'unpinned-digest': 'info' } });
  assert.ok(findings.length > 0, `a finding expected in:\n${text}`);
  const reason = findings[0].fixes?.[0].unavailable;
  assert.ok(reason, `the pin is not refused in:\n${text}`);
  return reason;
}

describe('pin to digest (the quick-fix)', () => {
  const cases: { name: string; before: string; after: string; table?: Record<string, string> }[] = [
    {
      name: 'FROM keeps --platform, AS name and a trailing comment-free rest of the line',
      before: 'FROM --platform=$BUILDPLATFORM golang:1.22 AS build\n',
      after: `FROM --platform=$BUILDPLATFORM golang:1.22@${A} AS build\n`,
      table: { 'docker.io/library/golang:1.22': A },
    },
    {
      name: 'lower-case keywords and CRLF line ends are left as they are',
      before: 'from --platform=linux/arm64 ghcr.io/org/app:v1 as base\r\nrun true\r\n',
      after: `from --platform=linux/arm64 ghcr.io/org/app:v1@${A} as base\r\nrun true\r\n`,
      table: { 'ghcr.io/org/app:v1': A },
    },
    {
      name: 'no tag: the tag Docker uses is written, so the pin can be checked later',
      before: 'FROM alpine\n',
      after: `FROM alpine:latest@${A}\n`,
      table: { 'docker.io/library/alpine:latest': A },
    },
    {
      name: 'COPY --from an image',
      before: 'FROM scratch\nCOPY --from=gcr.io/distroless/static:nonroot --chown=1:1 /etc/passwd /etc/passwd\n',
      after: `FROM scratch\nCOPY --from=gcr.io/distroless/static:nonroot@${A} --chown=1:1 /etc/passwd /etc/passwd\n`,
      table: { 'gcr.io/distroless/static:nonroot': A },
    },
    {
      name: 'RUN --mount from= an image, the other mount options kept',
      before: `FROM alpine:3.20@${B}\nRUN --mount=type=bind,from=busybox:1.36,target=/bb ls /bb\n`,
      after: `FROM alpine:3.20@${B}\nRUN --mount=type=bind,from=busybox:1.36@${A},target=/bb ls /bb\n`,
      table: { 'docker.io/library/busybox:1.36': A },
    },
    {
      name: 'a registry with a port',
      before: 'FROM localhost:5000/team/app:2\n',
      after: `FROM localhost:5000/team/app:2@${A}\n`,
      table: { 'localhost:5000/team/app:2': A },
    },
    {
      name: 'a digest that is not sha256 is replaced',
      before: `FROM alpine:3.20@sha512:${'e'.repeat(128)}\n`,
      after: `FROM alpine:3.20@${A}\n`,
      table: { 'docker.io/library/alpine:3.20': A },
    },
    {
      name: 'through the default of the global ARG that is the whole reference',
      before: 'ARG BASE=alpine:3.20\nFROM ${BASE} AS run\n',
      after: `ARG BASE=alpine:3.20@${A}\nFROM \${BASE} AS run\n`,
      table: { 'docker.io/library/alpine:3.20': A },
    },
    {
      name: 'through a quoted default, inside the quotes',
      before: 'ARG BASE="alpine:3.20"\nFROM $BASE\n',
      after: `ARG BASE="alpine:3.20@${A}"\nFROM $BASE\n`,
      table: { 'docker.io/library/alpine:3.20': A },
    },
    {
      name: 'through the ARG that gives the tag, when it ends the reference',
      before: 'ARG GO_VERSION=1.22\nFROM golang:${GO_VERSION} AS build\n',
      after: `ARG GO_VERSION=1.22@${A}\nFROM golang:\${GO_VERSION} AS build\n`,
      table: { 'docker.io/library/golang:1.22': A },
    },
    {
      name: 'a stage ARG without value takes the global default, and that is what is pinned',
      before: 'ARG TOOLS=busybox:1.36\nFROM scratch\nARG TOOLS\nCOPY --from=${TOOLS} /bin/busybox /busybox\n',
      after: `ARG TOOLS=busybox:1.36@${A}\nFROM scratch\nARG TOOLS\nCOPY --from=\${TOOLS} /bin/busybox /busybox\n`,
      table: { 'docker.io/library/busybox:1.36': A },
    },
    {
      name: 'a variable registry with a literal tag: the digest goes on the reference',
      before: 'ARG REGISTRY=docker.io\nFROM ${REGISTRY}/library/alpine:3.20\n',
      after: `ARG REGISTRY=docker.io\nFROM \${REGISTRY}/library/alpine:3.20@${A}\n`,
      table: { 'docker.io/library/alpine:3.20': A },
    },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const after = await pinOne(c.before, c.table ?? {});
      assert.equal(after, c.after);
      // The result is pinned: no unpinned-digest finding left, and pinning again finds nothing to do.
      assert.deepEqual(lint(after, { only: ['unpinned-digest'], rules: { 'unpinned-digest': 'info' } }).findings, []);
      const again = await pinDocument(after, { mode: 'pin', lint: {}, context: registry(c.table ?? {}).context });
      assert.deepEqual(again.edits, []);
    });
  }

  const refusals: { name: string; text: string; reason: RegExp }[] = [
    {
      name: 'a default built from other variables',
      text: 'ARG VER=3.20\nARG BASE=alpine:${VER}\nFROM ${BASE}\n',
      reason: /^cannot pin: image comes from a build argument \(BASE, whose default is built from other variables\)$/,
    },
    {
      name: 'an ARG that is also used outside image references',
      text: 'ARG VERSION=1.22\nFROM golang:${VERSION}\nARG VERSION\nRUN echo "go $VERSION" > /version\n',
      reason: /^cannot pin: image comes from a build argument \(VERSION, which is also used on line 4 outside an image reference\)$/,
    },
    {
      name: 'an ARG whose value is the tag of two different images',
      text: 'ARG V=1.36\nFROM busybox:${V} AS a\nFROM other/busybox:${V}\n',
      reason: /^cannot pin: image comes from a build argument \(V, which line 3 also uses for another image\)$/,
    },
    {
      name: 'a tag built in the middle of the reference (the digest would silently win over the argument)',
      text: 'ARG NODE=20\nFROM node:${NODE}-alpine\n',
      reason: /^cannot pin: the tag comes from a build argument \(NODE\) in the middle of node:\$\{NODE\}-alpine; pin it by hand$/,
    },
    {
      name: 'a COPY --from whose image comes from ENV',
      text: `FROM alpine:3.20@${A} AS base\nENV TOOLS=busybox:1.36\nFROM base\nCOPY --from=\${TOOLS} /bin/busybox /bb\n`,
      reason: /^cannot pin: the image comes from ENV TOOLS \(line 2\); pin it by hand$/,
    },
    {
      // Judged on the corpus (moby's generate-files.Dockerfile): the digest went into the last argument's
      // default, and --build-arg GO_VERSION=… was then silently ignored.
      name: 'a tag built from several build arguments',
      text: 'ARG GO_VERSION=1.26\nARG BASE_DEBIAN_DISTRO=bookworm\nFROM golang:${GO_VERSION}-${BASE_DEBIAN_DISTRO}\n',
      reason: /^cannot pin: the tag of golang:\$\{GO_VERSION\}-\$\{BASE_DEBIAN_DISTRO\} is built from several build arguments/,
    },
  ];
  for (const r of refusals) {
    it(`refuses, saying why, before asking any registry: ${r.name}`, () => {
      assert.match(refusal(r.text), r.reason);
    });
  }

  it('a refused fix throws its reason instead of building an edit', async () => {
    const { findings } = lint('ARG NODE=20\nFROM node:${NODE}-alpine\n', {
      only: ['unpinned-digest'],
      rules: { 'unpinned-digest': 'info' },
    });
    const r = registry({});
    await assert.rejects(Promise.resolve(findings[0].fixes![0].edits(r.context)), /cannot pin: the tag comes from a build argument/);
    assert.deepEqual(r.asked, []);
  });

  it('without registry access the fix says why (fix-all and the CLI fix never pin)', async () => {
    const { findings } = lint('FROM alpine:3.20\n', { only: ['unpinned-digest'], rules: { 'unpinned-digest': 'info' } });
    const fix = findings[0].fixes![0];
    assert.equal(fix.kind, 'suggestion');
    assert.equal(fix.network, true);
    await assert.rejects(
      Promise.resolve(fix.edits({ offlineReason: 'the workspace is not trusted' })),
      /^Error: the workspace is not trusted$/,
    );
    await assert.rejects(Promise.resolve(fix.edits({})), /pinning needs registry access/);
  });
});

describe('pinning a whole Dockerfile', () => {
  const FILE = [
    'ARG BASE=alpine:3.20', //                                   1
    'ARG IMAGE', //                                              2
    'FROM --platform=$BUILDPLATFORM golang:1.22 AS build', //    3
    'ARG BASE', //                                               4
    'COPY --from=${BASE} /etc/ssl/certs /etc/ssl/certs', //      5
    'RUN --mount=from=golang:1.22,target=/g true', //            6
    'FROM ${IMAGE} AS custom', //                                7
    `FROM \${BASE}`, //                                          8
    `COPY --from=busybox:1.36@${C} /bin/busybox /bb`, //         9
    `COPY --from=alpine@${C} / /x`, //                          10
    'COPY --from=${BASE} /a /a', //                             11 (BASE is not declared in this stage)
    '',
  ].join('\n');
  const TABLE = { 'docker.io/library/alpine:3.20': A, 'docker.io/library/golang:1.22': B, 'docker.io/library/busybox:1.36': A };

  it('pins every image, updates stale digests, asks once per distinct image, lists what it leaves', async () => {
    const r = registry(TABLE);
    const report = await pinDocument(FILE, { mode: 'pin', lint: {}, context: r.context });
    assert.deepEqual([...r.asked].sort(), [
      'docker.io/library/alpine:3.20',
      'docker.io/library/busybox:1.36',
      'docker.io/library/golang:1.22',
    ]);
    assert.equal(
      report.text,
      FILE.replace('ARG BASE=alpine:3.20', `ARG BASE=alpine:3.20@${A}`)
        .replace('golang:1.22 AS build', `golang:1.22@${B} AS build`)
        .replace('from=golang:1.22,', `from=golang:1.22@${B},`)
        .replace(`busybox:1.36@${C}`, `busybox:1.36@${A}`),
    );
    assert.deepEqual(
      report.pinned.map((n) => `${n.line}:${n.column} ${n.message}`),
      [
        `3:32 pinned golang:1.22 to ${B}`,
        `5:13 pinned alpine:3.20 to ${A}`,
        `6:18 pinned golang:1.22 to ${B}`,
        `8:6 pinned alpine:3.20 to ${A}`,
      ],
    );
    assert.deepEqual(
      report.updated.map((n) => `${n.line}:${n.column} ${n.message}`),
      [`9:26 updated busybox:1.36 to ${A}`],
    );
    assert.deepEqual(
      report.refused.map((n) => `${n.line}:${n.column} ${n.message}`),
      [
        '7:6 cannot pin: image comes from a build argument (IMAGE, which has no default: its value is chosen at build time)',
        '11:13 cannot pin: image comes from a build argument (BASE, which is not declared in this stage)',
      ],
    );
    assert.deepEqual(
      report.cannotCheck.map((n) => `${n.line}:${n.column} ${n.message}`),
      [`10:13 cannot check alpine@${C}: it has a digest but no tag, so there is nothing to compare it with`],
    );
    assert.match(
      summarize(report),
      /^Pinned 4 images, updated 1 stale digest\. 2 references left as written: line 7: cannot pin: image comes from a build argument/,
    );
    // Pinned and current now.
    const again = await pinDocument(report.text, { mode: 'check', lint: {}, context: registry(TABLE).context });
    assert.deepEqual(again.findings, []);
  });

  it('changes nothing when one registry fails, and says which', async () => {
    const r = registry({
      ...TABLE,
      'docker.io/library/golang:1.22': new RegistryError('timeout', 'golang:1.22: no answer from registry-1.docker.io within 10 s'),
    });
    const report = await pinDocument(FILE, { mode: 'pin', lint: {}, context: r.context });
    assert.deepEqual(report.edits, []);
    assert.equal(report.text, FILE);
    assert.deepEqual(
      report.errors.map((n) => `${n.line} ${n.message}`),
      ['3 golang:1.22: no answer from registry-1.docker.io within 10 s'],
    );
    assert.match(summarize(report), /^Nothing was changed: a registry could not answer\. line 3: golang:1\.22: no answer/);
  });

  it('check: the unpinned and the stale are findings; nothing is written', async () => {
    const r = registry(TABLE);
    const report = await pinDocument(FILE, { mode: 'check', lint: {}, context: r.context });
    assert.deepEqual(r.asked, ['docker.io/library/busybox:1.36'], 'only pinned images with a tag are asked about');
    assert.deepEqual(report.edits, []);
    assert.deepEqual(
      report.findings.map((f) => `${f.range.start.line + 1}:${f.range.start.character + 1} ${f.rule}`),
      ['3:32 unpinned-digest', '5:13 unpinned-digest', '6:18 unpinned-digest', '8:6 unpinned-digest', '9:26 stale-digest'],
    );
    assert.deepEqual(report.currentDigests, { 'docker.io/library/busybox:1.36': A });
    assert.match(summarize(report), /^Checked 1 pinned image: 1 stale, 0 current\. 4 images are not pinned\. line 10: cannot check/);
  });

  it('leaves an image alone when an ignore comment says so, even when the rule is off in the settings', async () => {
    const text = '# dockerfile-hardener ignore=unpinned-digest\nFROM alpine:3.20 AS a\nFROM golang:1.22\n';
    const r = registry(TABLE);
    const report = await pinDocument(text, { mode: 'pin', lint: { rules: { 'unpinned-digest': 'off' } }, context: r.context });
    assert.equal(report.text, `# dockerfile-hardener ignore=unpinned-digest\nFROM alpine:3.20 AS a\nFROM golang:1.22@${B}\n`);
    assert.deepEqual(r.asked, ['docker.io/library/golang:1.22']);
  });

  it('updates a stale digest kept in an ARG default', async () => {
    const text = `ARG BASE=alpine:3.20@${C}\nFROM \${BASE}\n`;
    const report = await pinDocument(text, { mode: 'pin', lint: {}, context: registry(TABLE).context });
    assert.equal(report.text, `ARG BASE=alpine:3.20@${A}\nFROM \${BASE}\n`);
  });

  it('without registry access nothing is pinned and the reason is given', async () => {
    const report = await pinDocument('FROM alpine:3.20\n', {
      mode: 'pin',
      lint: {},
      context: { offlineReason: 'the workspace is not trusted' },
    });
    assert.deepEqual(report.edits, []);
    assert.deepEqual(
      report.errors.map((n) => n.message),
      ['the workspace is not trusted'],
    );
  });
});

describe('fix-all never asks a registry', () => {
  it('source.fixAll gets no registry access, so "Pin to digest" cannot run there whatever its kind', async () => {
    const text = 'FROM golang:1.22 AS build\nRUN go build -o /app .\nFROM alpine:3.20\nCOPY --from=build /app /app\n';
    const { findings, model } = lint(text);
    const r = registry({ 'docker.io/library/golang:1.22': A, 'docker.io/library/alpine:3.20': B });
    const state = { uri: 'file:///x/Dockerfile', version: 1, text, model, findings, options: {} };
    const actions = await codeActions(state, model.range({ start: 0, end: text.length }), [], ['source.fixAll.dockerfile-hardener'], {
      versionedEdits: true,
      resolve: true,
      disabledSupport: true,
      context: r.context,
    });
    assert.equal(actions.length, 1, 'the safe fixes are offered');
    assert.ok(!JSON.stringify(actions).includes('@sha256:'));
    assert.deepEqual(r.asked, []);
  });
});
