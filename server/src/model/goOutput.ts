/**
 * Where a Go command's binary goes (`go build -o`, the working directory, $GOBIN or $GOPATH/bin for
 * `go install`), and which stages receive it: whether it ships, and which static stages run it.
 */
import type { DockerfileModel, Stage } from './model';
import { hasGlob, globMatch, isWithin, normalizePath, resolvePath } from './paths';
import type { Span } from './text';
import { isStaticImage, toolchainOf } from './knownImages';
import { goEnv, goWorkdir, lastFlag, type GoInvocation } from './go';

/**
 * Where `go build` writes its output: an absolute file path, a directory (`{ dir }`: `-o dir/`, or
 * the working directory without `-o`), or undefined when the text does not tell.
 */
export function goOutput(inv: GoInvocation): { file?: string; dir?: string } | undefined {
  const o = lastFlag(inv, 'o');
  const cwd = goWorkdir(inv);
  // Without -o, the binary of a main package is written to the working directory.
  if (!o) return cwd === undefined ? undefined : { dir: cwd };
  if (o.value === undefined || o.dynamic) return undefined;
  const abs = resolvePath(o.value, cwd);
  if (abs === undefined) return undefined;
  return o.value.endsWith('/') ? { dir: abs } : { file: abs };
}

/**
 * Where `go install` writes its binaries: $GOBIN, else $GOPATH/bin ($GOPATH is /go in the official
 * Go images); undefined when the text does not tell. (A cross-compile writes to bin/<os>_<arch>, under
 * the same directory.)
 */
/**
 * The binary `go install` writes for a single package argument: $GOBIN or $GOPATH/bin, and the
 * package's last path element (without `@version` or a `/vN` major-version suffix); the directory
 * alone for `.`, patterns and several packages.
 */
export function goInstallOutput(inv: GoInvocation): { file?: string; dir?: string } | undefined {
  const dir = goInstallDir(inv);
  if (dir === undefined) return undefined;
  const pkgs = inv.args.filter((a) => !a.value.startsWith('-'));
  if (pkgs.length !== 1 || pkgs[0].dynamic) return { dir };
  const parts = pkgs[0].value
    .replace(/@.*$/, '')
    .split('/')
    .filter((p) => p && p !== '.');
  while (parts.length > 1 && /^v\d+$/.test(parts[parts.length - 1])) parts.pop();
  const name = parts[parts.length - 1];
  if (!name || name === '...' || name.includes('...') || name === '..') return { dir };
  return { file: `${dir}/${name}` };
}

export function goInstallDir(inv: GoInvocation): string | undefined {
  const gobin = goEnv(inv, 'GOBIN');
  if (gobin.set) return gobin.value ? resolvePath(gobin.value, undefined) : undefined;
  const gopath = goEnv(inv, 'GOPATH');
  if (gopath.set) return gopath.value && !gopath.value.includes(':') ? resolvePath(`${gopath.value}/bin`, undefined) : undefined;
  const img = inv.stage.rootImage;
  return img && toolchainOf(img) === 'the Go toolchain' ? '/go/bin' : undefined;
}

/**
 * Whether the binaries a go command writes reach the shipped image: it runs in a stage the shipped
 * one is built on, or a COPY of the shipped stages takes them from its stage (by the output's path;
 * any COPY from that stage when the path is not known).
 */
export function goOutputShips(model: DockerfileModel, inv: GoInvocation, output: { file?: string; dir?: string } | undefined): boolean {
  const shipped = model.shipped;
  if (!shipped) return false;
  if (shipped.chain.includes(inv.stage)) return true;
  for (const s of shipped.chain) {
    for (const c of s.copies) {
      if (c.from?.source.kind !== 'stage' || !c.from.source.stage.chain.includes(inv.stage)) continue;
      if (c.sources.some((src) => sourceMatches(src.value, output))) return true;
    }
  }
  return false;
}

/** Stages whose file systems hold no C library: scratch, or static-only images. */
export function isStaticStage(stage: Stage): boolean {
  if (stage.isScratch) return true;
  const img = stage.rootImage;
  return !!img && isStaticImage(img);
}

/**
 * Static stages that copy the output of a `go build` out of its stage and run it (an export stage,
 * see `Stage.isRunnable`, runs nothing).
 */
export function staticStagesReceiving(model: DockerfileModel, inv: GoInvocation): { stage: Stage; copySpan: Span }[] {
  const out: { stage: Stage; copySpan: Span }[] = [];
  const output = goOutput(inv);
  for (const stage of model.stages) {
    if (!isStaticStage(stage) || !stage.isRunnable) continue;
    for (const s of stage.chain) {
      for (const c of s.copies) {
        if (c.from?.source.kind !== 'stage' || !c.from.source.stage.chain.includes(inv.stage)) continue;
        // Only copies made after the go build could receive its output (a later stage always is).
        if (c.from.source.stage === inv.stage && c.instr.span.start < inv.run.instr.span.start) continue;
        if (c.sources.some((src) => sourceMatches(src.value, output))) {
          out.push({ stage, copySpan: c.instr.span });
        }
      }
    }
  }
  return out;
}

function sourceMatches(src: string | undefined, output: { file?: string; dir?: string } | undefined): boolean {
  if (src === undefined || output === undefined) return true;
  const p = normalizePath(src.startsWith('/') ? src : `/${src}`);
  if (output.file) return p === output.file || isWithin(output.file, p) || (hasGlob(p) && globMatch(p, output.file));
  const dir = output.dir!;
  return isWithin(p, dir) || isWithin(dir, p) || (hasGlob(p) && p.startsWith(dir));
}
