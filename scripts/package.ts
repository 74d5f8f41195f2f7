/**
 * Builds the .vsix that users install, with @vscode/vsce, offline. `npm run package` builds dist/
 * first; this script expects it built.
 *
 *   npx tsx scripts/package.ts [--out FILE]      (default: dockerfile-hardener-<version>.vsix)
 *
 * package.json's "files" lists the npm package (the CLI); .vscodeignore lists the .vsix. vsce refuses
 * a folder that has both, so the package is made in a staging folder: package.json without "files",
 * .vscodeignore, and the paths .vscodeignore lets in (`**` first, then one `!path` a line, or
 * `!folder/*.ext` for the files of a folder with that extension), copied as they are.
 * `--no-dependencies`: esbuild has already bundled what the client and server need, so vsce neither
 * runs npm nor packs node_modules. vsce reads and writes local files only.
 *
 * package.json has no repository (the project has no public address it can stand behind), so vsce is
 * told that is meant (`--allow-missing-repository`, else it asks on the terminal) and to leave the
 * README's relative links as they are (`--no-rewrite-relative-links`: it would otherwise refuse, having
 * no address to prefix them with); the links to docs/rules lead to the pages the .vsix holds.
 * secret-in-content's page shows the credentials it finds by their format (a made-up npm token and
 * GitHub token in its examples), which vsce's secret scan takes for real ones: those two kinds, and
 * only those, are allowed (`--allow-package-secrets npm github`).
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..');

/** The paths .vscodeignore lets into the .vsix: it ignores everything (`**`), then allows each path. */
export function vsixAllowList(root = ROOT): string[] {
  return vsixAllowPatterns(root).flatMap((p) => {
    const files = /^(.+)\/\*(\.[a-z]+)$/.exec(p);
    if (!files) return [p];
    const dir = path.join(root, files[1]);
    if (!existsSync(dir)) throw new Error(`${files[1]} (allowed by .vscodeignore) does not exist`);
    return readdirSync(dir)
      .filter((f) => f.endsWith(files[2]))
      .sort()
      .map((f) => `${files[1]}/${f}`);
  });
}

/** The lines of .vscodeignore after `**`, without their `!`: plain paths, or `folder/*.ext`. */
function vsixAllowPatterns(root: string): string[] {
  const lines = readFileSync(path.join(root, '.vscodeignore'), 'utf8')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  if (lines[0] !== '**') throw new Error('.vscodeignore must start with ** (ignore everything) and then allow paths one by one');
  return lines.slice(1).map((l) => {
    if (!l.startsWith('!') || /[*?[\]{}]/.test(l.replace(/\/\*\.[a-z]+$/, '')))
      throw new Error(`.vscodeignore: "${l}" is neither a plain !path nor !folder/*.ext; the packaging script copies no other patterns`);
    return l.slice(1);
  });
}

export interface Packaged {
  file: string;
  bytes: number;
  /** vsce's own report (its list of files and the summary line). */
  output: string;
}

/** Packages the built extension into `out` (a .vsix file path). */
export function packageVsix(out: string, root = ROOT): Packaged {
  const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as Record<string, unknown>;
  const stage = mkdtempSync(path.join(os.tmpdir(), 'dfh-vsix-'));
  try {
    for (const rel of vsixAllowList(root)) {
      if (rel === 'package.json') continue;
      const from = path.join(root, rel);
      if (!existsSync(from)) {
        throw new Error(`${rel} (allowed by .vscodeignore) does not exist${rel.startsWith('dist/') ? ': run npm run build first' : ''}`);
      }
      mkdirSync(path.dirname(path.join(stage, rel)), { recursive: true });
      copyFileSync(from, path.join(stage, rel));
    }
    delete manifest.files;
    writeFileSync(path.join(stage, 'package.json'), JSON.stringify(manifest, null, 2) + '\n');
    copyFileSync(path.join(root, '.vscodeignore'), path.join(stage, '.vscodeignore'));

    mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
    const vsce = path.join(path.dirname(require.resolve('@vscode/vsce/package.json')), 'vsce');
    const r = spawnSync(
      process.execPath,
      [
        vsce,
        'package',
        '--no-dependencies',
        '--allow-missing-repository',
        '--no-rewrite-relative-links',
        '--allow-package-secrets',
        'npm',
        'github',
        '--out',
        path.resolve(out),
      ],
      {
        cwd: stage,
        encoding: 'utf8',
        timeout: 120_000,
        env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
      },
    );
    const output = `${r.stdout ?? ''}${r.stderr ?? ''}`;
    if (r.error) throw new Error(`vsce could not run: ${r.error.message}\n${output}`);
    if (r.status !== 0) throw new Error(`vsce package failed (exit ${r.status ?? r.signal}):\n${output}`);
    const file = path.resolve(out);
    return { file, bytes: statSync(file).size, output };
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}

if (require.main === module) {
  try {
    const i = process.argv.indexOf('--out');
    const { name, version } = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string };
    const out = i > 0 ? process.argv[i + 1]! : path.join(ROOT, `${name}-${version}.vsix`);
    const p = packageVsix(out);
    process.stdout.write(p.output);
    console.log(`${path.relative(process.cwd(), p.file)}: ${(p.bytes / 1024).toFixed(1)} KB`);
  } catch (e) {
    console.error(e instanceof Error ? e.message : String(e));
    process.exit(1);
  }
}
