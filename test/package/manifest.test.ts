/**
 * package.json as the marketplace and VS Code read it: what the listing shows, honest capabilities,
 * described settings and commands, and an engines.vscode that matches the API the client uses.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

interface Manifest {
  name: string;
  publisher: string;
  license?: string;
  icon?: string;
  categories?: string[];
  keywords?: string[];
  repository?: { type?: string; url?: string } | string;
  engines: { vscode: string };
  capabilities?: { untrustedWorkspaces?: { supported?: boolean | 'limited'; description?: string; restrictedConfigurations?: string[] } };
  contributes?: {
    commands?: { command: string; title?: string; category?: string }[];
    configuration?: { title?: string; properties?: Record<string, { description?: string; markdownDescription?: string }> };
  };
  devDependencies?: Record<string, string>;
}

function readJson<T>(file: string): T {
  return JSON.parse(readFileSync(file, 'utf8')) as T;
}

const manifest = readJson<Manifest>(path.join(ROOT, 'package.json'));

/** The lowest version a `^x.y.z` or `>=x.y.z` range admits, as [major, minor, patch]. */
function floor(range: string): [number, number, number] {
  const m = /^(?:\^|>=\s*|~)?(\d+)\.(\d+)\.(\d+)$/.exec(range.trim());
  assert.ok(m, `cannot read the version range "${range}"`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

function compare(a: number[], b: number[]): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

describe('package.json (the extension manifest)', () => {
  it('gives the marketplace its categories, keywords, license and icon', () => {
    assert.deepEqual([...(manifest.categories ?? [])].sort(), ['Linters', 'Programming Languages']);
    assert.ok((manifest.keywords?.length ?? 0) >= 3, 'keywords');
    assert.ok((manifest.keywords?.length ?? 0) <= 30, 'the marketplace takes at most 30 keywords');
    // No repository: the project has no public address it can stand behind, and an address where no
    // page exists is worse than none (vsce would also turn the README's relative links into it).
    assert.equal(manifest.repository, undefined);
    assert.equal(manifest.license, 'MIT');
    assert.match(readFileSync(path.join(ROOT, 'LICENSE'), 'utf8'), /MIT License/);
    assert.equal(manifest.icon, 'images/icon.png');
  });

  it('links no setting to a web page that does not exist', () => {
    const text = readFileSync(path.join(ROOT, 'package.json'), 'utf8');
    assert.deepEqual(text.match(/https?:\/\/[^\s"')]+/g) ?? [], []);
  });

  it('has a 128×128 PNG icon that .vscodeignore lets into the package', () => {
    const png = readFileSync(path.join(ROOT, manifest.icon!));
    assert.equal(png.subarray(1, 4).toString('ascii'), 'PNG');
    assert.equal(png.subarray(12, 16).toString('ascii'), 'IHDR');
    assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [128, 128]);
    assert.match(readFileSync(path.join(ROOT, '.vscodeignore'), 'utf8'), /^!images\/icon\.png$/m);
  });

  it('declares whether it runs in untrusted workspaces, with a reason when limited', () => {
    const untrusted = manifest.capabilities?.untrustedWorkspaces;
    assert.ok(untrusted, 'capabilities.untrustedWorkspaces is not declared');
    assert.ok(
      untrusted.supported === true || untrusted.supported === false || untrusted.supported === 'limited',
      `supported: ${String(untrusted.supported)}`,
    );
    if (untrusted.supported !== true) assert.ok(untrusted.description?.trim(), 'a limited or unsupported mode says why in description');
  });

  it('describes every setting, and gives every command a title and a category', () => {
    const properties = Object.entries(manifest.contributes?.configuration?.properties ?? {});
    assert.ok(properties.length > 0, 'no settings contributed');
    const undescribed = properties.filter(([, p]) => !(p.description ?? p.markdownDescription)?.trim()).map(([k]) => k);
    assert.deepEqual(undescribed, [], 'settings without a description');
    const commands = manifest.contributes?.commands ?? [];
    const bare = commands.filter((c) => !c.title?.trim() || c.category !== 'Dockerfile Hardener').map((c) => c.command);
    assert.deepEqual(bare, [], 'commands without a title or without the category "Dockerfile Hardener"');
  });

  it('asks for the VS Code that its language client needs, and types the client against that same version', () => {
    const engine = floor(manifest.engines.vscode);
    const client = readJson<{ engines: { vscode: string } }>(path.join(ROOT, 'node_modules', 'vscode-languageclient', 'package.json'));
    assert.ok(
      compare(engine, floor(client.engines.vscode)) >= 0,
      `engines.vscode ${manifest.engines.vscode} is below vscode-languageclient's ${client.engines.vscode}`,
    );
    // The types must not offer API newer than the engine admits (vsce refuses that too).
    const typesRange = manifest.devDependencies?.['@types/vscode'];
    assert.ok(typesRange, '@types/vscode is not a devDependency');
    assert.deepEqual(
      floor(typesRange).slice(0, 2),
      engine.slice(0, 2),
      `@types/vscode ${typesRange} against engines.vscode ${manifest.engines.vscode}`,
    );
    const installed = readJson<{ version: string }>(path.join(ROOT, 'node_modules', '@types', 'vscode', 'package.json')).version;
    assert.deepEqual(
      floor(installed).slice(0, 2),
      engine.slice(0, 2),
      `installed @types/vscode ${installed} against engines.vscode ${manifest.engines.vscode}`,
    );
  });

  it('points main at the client bundle that .vscodeignore lets in', () => {
    const main = (readJson<{ main: string }>(path.join(ROOT, 'package.json')).main ?? '').replace(/^\.\//, '');
    assert.equal(main, 'dist/client.js');
    assert.match(readFileSync(path.join(ROOT, '.vscodeignore'), 'utf8'), /^!dist\/client\.js$/m);
  });
});
