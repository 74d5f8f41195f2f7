/**
 * A rule that stands for several peer codes: each finding carries its own, and ignores, .hadolint.yaml
 * settings and BuildKit's check=skip act on that finding's code alone.
 */
import * as assert from 'node:assert/strict';
import { lint } from '../../server/src/linter/lint';

const TEXT = `FROM python:3.12-slim
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
RUN pip install --no-cache-dir requests
`;
const unpinned = (options: Parameters<typeof lint>[1]) =>
  lint(TEXT, { only: ['package-version-unpinned'], ...options }).findings.map(
    (f) => `${f.range.start.line + 1} ${f.severity} ${f.peerCodes!.hadolint.join()}`,
  );

describe('findings that stand for one of several peer codes', () => {
  it('an off rule switched on by a .hadolint.yaml override reports only the overridden code', () => {
    assert.deepEqual(unpinned({}), []);
    assert.deepEqual(unpinned({ hadolint: { ignored: new Set(), override: new Map([['DL3013', 'error']]) } }), ['3 error DL3013']);
  });

  it('an ignore of one code leaves the others', () => {
    const on = { rules: { 'package-version-unpinned': 'warning' as const } };
    assert.deepEqual(unpinned(on), ['2 warning DL3008', '3 warning DL3013']);
    const both = new Map([
      ['DL3008', 'warning' as const],
      ['DL3013', 'warning' as const],
    ]);
    assert.deepEqual(unpinned({ hadolint: { ignored: new Set(), override: both } }), ['2 warning DL3008', '3 warning DL3013']);
    assert.deepEqual(unpinned({ hadolint: { ignored: new Set(['DL3008']), override: both } }), ['3 warning DL3013']);
    const commented = lint(`FROM python:3.12-slim\n# hadolint ignore=DL3013\nRUN apt-get install -y curl && pip install requests\n`, {
      only: ['package-version-unpinned'],
      ...on,
    }).findings.map((f) => f.peerCodes!.hadolint.join());
    assert.deepEqual(commented, ['DL3008']);
  });
});
