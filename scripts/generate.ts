/**
 * Generates everything that is derived from the rules' metadata, so that nothing is kept in step by
 * hand: docs/rules/<id>.md, the rule table in README.md, and the per-rule settings in package.json.
 *
 *   npx tsx scripts/generate.ts          write the files
 *   npx tsx scripts/generate.ts --check  exit 1 when a generated file is out of date (a test runs this)
 */
import { readFileSync, writeFileSync, mkdirSync, readdirSync, existsSync, unlinkSync } from 'node:fs';
import * as path from 'node:path';
import { rules } from '../server/src/rules';
import { defaultSetting, SEVERITIES, type Rule } from '../server/src/engine/rule';
import { stripPicture } from '../server/src/engine/pictures';
import { DEFAULT_REGISTRY_TIMEOUT } from '../server/src/lsp/settings';
import { unifiedDiff } from '../server/src/engine/diff';
import { lint } from '../server/src/linter/lint';

const root = path.resolve(__dirname, '..');
const check = process.argv.includes('--check');
const stale: string[] = [];

function write(rel: string, content: string): void {
  const file = path.join(root, rel);
  const old = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
  if (old === content) return;
  stale.push(rel);
  if (!check) {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
}

function equivalents(rule: Rule): string {
  const parts: string[] = [];
  if (rule.equivalents.hadolint?.length) parts.push(`hadolint ${rule.equivalents.hadolint.join(', ')}`);
  if (rule.equivalents.buildkit?.length) parts.push(`BuildKit ${rule.equivalents.buildkit.join(', ')}`);
  return parts.join('; ');
}

function ruleDoc(rule: Rule): string {
  const lines: string[] = [];
  lines.push(`<!-- Generated from server/src/rules/${rule.id}.ts by scripts/generate.ts: edit the rule, not this file. -->`);
  lines.push(`# ${rule.id}`, '');
  lines.push(`${rule.summary}`, '');
  lines.push(
    rule.enabled === false ? `- Default: **off** (reports as ${rule.severity} when enabled)` : `- Default severity: **${rule.severity}**`,
  );
  lines.push(`- Setting: \`"dockerfileHardener.rules.${rule.id}": "off" | "hint" | "info" | "warning" | "error"\``);
  lines.push(
    `- Ignore one instruction: \`# dockerfile-hardener ignore=${rule.id}\` on the line above it; the whole file: \`# dockerfile-hardener global ignore=${rule.id}\``,
  );
  const eq = equivalents(rule);
  if (eq) lines.push(`- Equivalents: ${eq} (their ignore comments and \`# check=skip=\` are honoured)`);
  lines.push('', '## Why', '', rule.rationale, '');
  if (rule.differences) lines.push('## Differences from other tools', '', rule.differences, '');
  lines.push('## Examples', '');
  if (rule.examples.options?.trustedRegistries)
    lines.push(`With \`trustedRegistries: [${rule.examples.options.trustedRegistries.join(', ')}]\`:`, '');
  const digests = Object.entries(rule.examples.options?.currentDigests ?? {});
  if (digests.length)
    lines.push(`Where the registry answers: ${digests.map(([image, d]) => `\`${image}\` → \`${d.slice(0, 19)}…\``).join(', ')}:`, '');
  lines.push('Reported (the carets mark the range of each finding):', '');
  for (const ex of rule.examples.invalid) lines.push('```dockerfile', ex.replace(/\n$/, ''), '```', '');
  lines.push('Not reported:', '');
  for (const ex of rule.examples.valid) lines.push('```dockerfile', stripPicture(ex).replace(/\n$/, ''), '```', '');
  if (rule.examples.fixes?.length) {
    lines.push('## Fixes', '');
    lines.push(
      'Offered as quick-fixes in the editor. *Safe* fixes keep what the image does and are applied by "fix all" (also on save) and `dockerfile-hardener fix`; *suggestions* change what is built or run and are applied only when picked (or with `fix --unsafe`, which applies the preferred one). Each example below runs as a test.',
      '',
    );
    for (const ex of rule.examples.fixes) {
      const { findings } = lint(ex.before, { ...rule.examples.options, rules: { [rule.id]: rule.severity }, only: [rule.id] });
      const fixes = findings.find((f) => f.fixes?.length)?.fixes ?? [];
      const fix = ex.fix ? fixes.find((x) => x.title.startsWith(ex.fix!)) : (fixes.find((x) => x.preferred) ?? fixes[0]);
      if (!fix) throw new Error(`${rule.id}: a fix example names no fix the rule offers`);
      lines.push(
        `**${fix.title}** (${fix.kind === 'safe' ? 'safe' : 'suggestion'})`,
        '',
        '```diff',
        unifiedDiff(ex.before, ex.after, 'before', 'after').split('\n').slice(2).join('\n').replace(/\n$/, ''),
        '```',
        '',
      );
    }
  }
  return lines.join('\n').replace(/\n+$/, '\n');
}

function ruleTable(): string {
  const rows = rules.map((r) => {
    const eq = equivalents(r) || '';
    const def = r.enabled === false ? `off (${r.severity})` : r.severity;
    return `| [\`${r.id}\`](docs/rules/${r.id}.md) | ${def} | ${r.summary.replace(/\|/g, '\\|')} | ${eq} |`;
  });
  return ['| Rule | Default | What it reports | Peer equivalents |', '| --- | --- | --- | --- |', ...rows].join('\n');
}

function replaceBlock(text: string, name: string, content: string): string {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const a = text.indexOf(start);
  const b = text.indexOf(end);
  if (a < 0 || b < a) throw new Error(`README.md lacks the ${start} … ${end} markers`);
  return text.slice(0, a + start.length) + '\n' + content + '\n' + text.slice(b);
}

// docs/rules/<id>.md
for (const rule of rules) write(`docs/rules/${rule.id}.md`, ruleDoc(rule));
const docsDir = path.join(root, 'docs/rules');
if (existsSync(docsDir)) {
  for (const f of readdirSync(docsDir)) {
    if (f.endsWith('.md') && !rules.some((r) => `${r.id}.md` === f)) {
      stale.push(`docs/rules/${f} (no such rule)`);
      if (!check) unlinkSync(path.join(docsDir, f));
    }
  }
}

// README rule table
const readmePath = path.join(root, 'README.md');
write('README.md', replaceBlock(readFileSync(readmePath, 'utf8'), 'rules', ruleTable()));

// package.json settings
const pkgPath = path.join(root, 'package.json');
const pkg = JSON.parse(readFileSync(pkgPath, 'utf8'));
const properties: Record<string, unknown> = {
  'dockerfileHardener.targetStage': {
    type: 'string',
    default: '',
    markdownDescription: 'The stage that ships (a stage name or index). Empty: the last stage of the Dockerfile.',
    scope: 'resource',
  },
  'dockerfileHardener.registry.timeout': {
    type: 'number',
    default: DEFAULT_REGISTRY_TIMEOUT,
    exclusiveMinimum: 0,
    maximum: 300,
    markdownDescription:
      'Seconds a registry has to answer for one image when pinning images to digests ("Pin to digest", "Pin all images in this Dockerfile"), checking pinned digests ("Check pinned digests") completing a tag or digest, or looking up an image on hover. Registries are never contacted while linting.',
    scope: 'resource',
  },
  'dockerfileHardener.registry.lookups': {
    type: 'boolean',
    default: true,
    markdownDescription:
      'Registry lookups for completion and hover in trusted workspaces: the tags of `FROM name:` and `COPY --from=name:`, the digest after `name:tag@`, and the facts of an image hovered that the disk cache does not hold (its user, platforms, sizes, date), with the credentials pinning uses. Off: a registry is contacted only on the explicit pin and check actions. Untrusted workspaces never look up.',
    scope: 'resource',
  },
};
for (const r of rules) {
  properties[`dockerfileHardener.rules.${r.id}`] = {
    type: 'string',
    enum: ['off', ...[...SEVERITIES].reverse()],
    default: defaultSetting(r),
    markdownDescription: `${r.summary}${r.enabled === false ? ` Off by default; reports as ${r.severity} when enabled.` : ''}`,
    scope: 'resource',
  };
}
properties['dockerfileHardener.trace.server'] = {
  type: 'string',
  enum: ['off', 'messages', 'verbose'],
  default: 'off',
  description: 'Traces the communication between VS Code and the Dockerfile Hardener language server.',
  scope: 'window',
};
pkg.contributes.configuration = { title: 'Dockerfile Hardener', properties };
write('package.json', JSON.stringify(pkg, null, 2) + '\n');

if (check && stale.length) {
  console.error(`Generated files are out of date (run npm run generate):\n  ${stale.join('\n  ')}`);
  process.exit(1);
}
if (!check) console.log(stale.length ? `updated: ${stale.join(', ')}` : 'generated files are up to date');
