/**
 * Verdicts on the peers' own test cases (../shared/corpus/peers): hadolint's rule specs and BuildKit's
 * lint checks, for every case whose rule has an equivalent here.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { lint } from '../../server/src/linter/lint';
import { rules } from '../../server/src/rules';
import type { Rule } from '../../server/src/engine/rule';
import type { LintOptions } from '../../server/src/engine/findings';

export interface Verdict {
  key: string;
  peer: 'hadolint' | 'buildkit';
  code: string;
  expected: string;
  actual: string;
  dockerfile: string;
}

function equivalentRules(kind: 'hadolint' | 'buildkit', code: string): Rule[] {
  return rules.filter((r) => r.equivalents[kind]?.includes(code));
}

function readJsonl(file: string): Record<string, unknown>[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
}

/** Every rule enabled (some are off by default), findings of `ids` that stand for `code` (a rule may stand for several). */
function findingsFor(
  text: string,
  ids: Rule[],
  kind: 'hadolint' | 'buildkit',
  code: string,
  extra: Pick<LintOptions, 'trustedRegistries' | 'buildContext' | 'labelSchema' | 'strictLabels' | 'buildArgs'> = {},
) {
  const enabled = Object.fromEntries(ids.map((r) => [r.id, r.severity]));
  return lint(text, {
    only: ids.map((r) => r.id),
    rules: enabled,
    ...extra,
    onRuleError: (id, e) => {
      throw new Error(`${id}: ${String(e)}`);
    },
  }).findings.filter((f) => f.peerCodes![kind].includes(code));
}

/**
 * The label schema each of hadolint's label specs sets in its test configuration (the cases record
 * no config): one label per spec, of the type that spec checks; DL3050's spec has strict labels on.
 */
const LABEL_SPEC_CONFIG: Record<string, Pick<LintOptions, 'labelSchema' | 'strictLabels'>> = {
  DL3049: { labelSchema: { foo: 'text' } },
  DL3050: { labelSchema: { required: 'text' }, strictLabels: true },
  DL3051: { labelSchema: { emptylabel: 'text' } },
  DL3052: { labelSchema: { urllabel: 'url' } },
  DL3053: { labelSchema: { datelabel: 'rfc3339' } },
  DL3054: { labelSchema: { spdxlabel: 'spdx' } },
  DL3055: { labelSchema: { githash: 'hash' } },
  DL3056: { labelSchema: { semver: 'semver' } },
  DL3058: { labelSchema: { maintainer: 'email' } },
};

export function hadolintVerdicts(dir: string): Verdict[] {
  const out: Verdict[] = [];
  for (const file of ['hadolint-cases.jsonl', 'hadolint-cases-extra.jsonl']) {
    for (const c of readJsonl(path.join(dir, file))) {
      const code = c.rule as string;
      const ids = equivalentRules('hadolint', code);
      if (!ids.length) continue;
      const config = c.config as string | null;
      const trusted = config
        ? /allowedRegistries = \[(.*?)\]/
            .exec(config)?.[1]
            .split(',')
            .map((x) => x.trim().replace(/"/g, ''))
            .filter(Boolean)
        : undefined;
      // hadolint's spec helper appends a newline before parsing.
      const text = `${c.dockerfile as string}\n`;
      const fires = findingsFor(text, ids, 'hadolint', code, { trustedRegistries: trusted, ...LABEL_SPEC_CONFIG[code] }).length > 0;
      out.push({
        key: `${(c.source as string).replace(/^.*Rule\//, '')}:${c.spec_line}:${c.variant}`,
        peer: 'hadolint',
        code,
        expected: c.fires ? 'fires' : 'silent',
        actual: fires ? 'fires' : 'silent',
        dockerfile: c.dockerfile as string,
      });
    }
  }
  return out;
}

/** A build context that holds only the case's `.dockerignore` (the cases' files are not known). */
function ignoreOnlyContext(text: string): NonNullable<LintOptions['buildContext']> {
  return {
    readFile: (p) => (p.replace(/^\.?\//, '') === '.dockerignore' ? text : undefined),
    exists: () => undefined,
    ignoreFile: () => ({ name: '.dockerignore', text }),
  };
}

/** The build arguments among a case's frontend attributes (`build-arg:NAME`). */
function buildArgsOf(attrs: unknown): Record<string, string> | undefined {
  if (!attrs || typeof attrs !== 'object') return undefined;
  const args = Object.entries(attrs as Record<string, string>)
    .filter(([k]) => k.startsWith('build-arg:'))
    .map(([k, v]) => [k.slice('build-arg:'.length), v]);
  return args.length ? Object.fromEntries(args) : undefined;
}

/** BuildKit cases compared line by line: the lines each check reports on, as a sorted list. */
export function buildkitVerdicts(dir: string): Verdict[] {
  const cases = new Map<
    string,
    { code: string; dockerfile: string; dockerignore: string | null; buildArgs?: Record<string, string>; lines: number[] }
  >();
  for (const c of readJsonl(path.join(dir, 'buildkit-cases.jsonl'))) {
    const code = c.rule as string;
    if (!equivalentRules('buildkit', code).length) continue;
    const key = `${c.case_id}:${code}`;
    const entry = cases.get(key) ?? {
      code,
      dockerfile: c.dockerfile as string,
      dockerignore: (c.dockerignore as string | null) ?? null,
      buildArgs: buildArgsOf(c.frontend_attrs),
      lines: [],
    };
    if (c.fires && typeof c.line === 'number') entry.lines.push(c.line);
    cases.set(key, entry);
  }
  const out: Verdict[] = [];
  for (const [key, c] of cases) {
    const ids = equivalentRules('buildkit', c.code);
    const extra = {
      ...(c.dockerignore === null ? {} : { buildContext: ignoreOnlyContext(c.dockerignore) }),
      ...(c.buildArgs ? { buildArgs: c.buildArgs } : {}),
    };
    const lines = findingsFor(c.dockerfile, ids, 'buildkit', c.code, extra).map((f) => f.range.start.line + 1);
    out.push({
      key,
      peer: 'buildkit',
      code: c.code,
      expected: c.lines.sort((a, b) => a - b).join(',') || 'silent',
      actual: lines.sort((a, b) => a - b).join(',') || 'silent',
      dockerfile: c.dockerfile,
    });
  }
  return out;
}
