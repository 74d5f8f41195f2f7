/**
 * What the conversion needs to know of the program it moves into scratch, from the Dockerfile and the
 * build context: which language a program that is not Go is written in (to name the right runtime
 * image when it refuses), the run-time files the image's COPYs take from the build context
 * (templates, static directories, config and env files: everything but Go sources and paperwork),
 * and whether a prebuilt binary is static (its ELF header).
 */
import type { BuildContext } from '../model/context';
import type { Stage } from '../model/model';
import { basename, normalizePath, resolvePath } from '../model/paths';
import { landingPath } from '../model/files';

/** Languages by the program that runs them, and what to run instead of scratch. */
const LANGUAGES: { name: string; programs: RegExp; images: RegExp; advice: string }[] = [
  {
    name: 'Node.js',
    programs: /^(node|nodejs|npm|npx|yarn|pnpm|bun|deno)$/,
    images: /(^|\/)(node|bun|deno)$/,
    advice: 'use gcr.io/distroless/nodejs22-debian12 (or node:22-slim) as the runtime stage instead',
  },
  {
    name: 'Python',
    programs: /^(python[\d.]*|gunicorn|uvicorn|uwsgi|celery|flask|django-admin|hypercorn|daphne|streamlit|poetry|uv|pipenv)$/,
    images: /(^|\/)python$/,
    advice: 'use gcr.io/distroless/python3-debian12 (or python:3.12-slim) as the runtime stage instead',
  },
  {
    name: 'Java',
    programs: /^(java|catalina\.sh|mvn|gradle|jshell)$/,
    images: /(^|\/)(openjdk|eclipse-temurin|amazoncorretto|ibm-semeru-runtimes|sapmachine|maven|gradle|tomcat|jetty)$/,
    advice: 'build the jar in a builder and run it on gcr.io/distroless/java21-debian12 (or eclipse-temurin:21-jre)',
  },
  {
    name: '.NET',
    programs: /^dotnet$/,
    images: /^dotnet\//,
    advice: 'publish in the SDK image and run on mcr.microsoft.com/dotnet/aspnet or runtime (or runtime-deps for a self-contained build)',
  },
  {
    name: 'Ruby',
    programs: /^(ruby|bundle|rails|puma|unicorn|rake|sidekiq)$/,
    images: /(^|\/)ruby$/,
    advice: 'use ruby:3-slim as the runtime stage instead',
  },
  {
    name: 'PHP',
    programs: /^(php|php-fpm[\d.]*|apache2-foreground|composer|frankenphp)$/,
    images: /(^|\/)(php|wordpress|drupal|nextcloud)$/,
    advice: 'scratch has no PHP runtime; use a php:*-fpm or *-cli slim image',
  },
];

/**
 * Why a file without a go build cannot be converted, naming what it is: by the program its command
 * runs first (a Python app that builds its assets with npm is a Python program), then by its base
 * image; an image with no command of its own is no program at all (a base or CI image).
 */
export function runtimeAdvice(stage: Stage, program: string | undefined): string {
  const name = program === undefined ? undefined : basename(program);
  const repo = stage.rootImage?.repository ?? '';
  const byProgram = name === undefined ? undefined : LANGUAGES.find((l) => l.programs.test(name));
  const lang = byProgram ?? LANGUAGES.find((l) => l.images.test(repo));
  if (lang)
    return `this is a ${lang.name} program${byProgram ? ` (it runs ${name})` : ` (on ${stage.rootImage!.shortName})`}: ${lang.advice}`;
  if (name === undefined) return 'the image sets no command of its own: it is a base, CI or tool image, not a program to move into scratch';
  return `no go build, go install or go run makes ${name}, and it is not a prebuilt binary the Dockerfile copies in: scratch only runs static binaries`;
}

/** Names of the build context that are Go sources or the project's paperwork, not run-time files. */
const SOURCE_NAME =
  /(\.go|\.mod|\.sum|\.work|\.md|\.txt|\.sh|\.mk|\.proto|\.s|\.c|\.h)$|^(go\.(mod|sum|work(\.sum)?)|vendor|\.git.*|\.github|\.gitlab.*|\.circleci|\.vscode|\.idea|\.devcontainer|\.dockerignore|\.editorconfig|\.golangci.*|\.goreleaser.*|Dockerfile.*|.*\.Dockerfile|Containerfile.*|docker-compose.*|compose\.ya?ml|Makefile|Taskfile.*|LICENSE.*|COPYING.*|NOTICE.*|AUTHORS.*|CHANGELOG.*|README.*|CONTRIBUTING.*|SECURITY.*|CODEOWNERS|docs?|tests?|testdata|hack|scripts?|build|ci|cmd|internal|pkg|tools|third_party|examples?|bin|dist)$/i;

/** A name is a run-time file unless it is a Go source or paperwork; a directory of Go packages is source. */
function isRuntimeName(ctx: BuildContext | undefined, rel: string): boolean {
  const name = basename(rel.replace(/\/+$/, ''));
  if (!name || SOURCE_NAME.test(name)) return false;
  const inside = ctx?.list?.(rel);
  return !(inside && inside.length && inside.some((n) => n.endsWith('.go')));
}

/**
 * The run-time files a stage's COPY and ADD take from the build context, as the paths they land on
 * (to copy into scratch at the same place); or why they cannot be known.
 */
export function runtimeFiles(s: Stage, ctx: BuildContext | undefined): { name: string; path: string }[] | string {
  const out: { name: string; path: string }[] = [];
  for (const c of s.copies) {
    if (c.from || c.heredocs.length) continue;
    for (const src of c.sources) {
      const v = src.value;
      if (v === undefined || !c.destPath)
        return `${c.keyword} ${src.raw} takes a path from a build argument: the conversion cannot tell what the program needs at run time`;
      if (/^[a-z]+:\/\//i.test(v)) continue;
      const rel = normalizePath(v)
        .replace(/^\/+/, '')
        .replace(/^\.\/?/, '');
      if (rel === '' || rel === '*') {
        // The whole context: what in it the program reads at run time is what it holds besides sources.
        const entries = ctx?.list?.('');
        if (!entries) {
          return `${c.keyword} ${src.raw} copies the whole build context, which the tool cannot list here, and the program may read files from it at run time (templates, static files, config): convert the saved file in its project, or copy those files into the scratch stage by hand`;
        }
        for (const e of entries.filter((n) => isRuntimeName(ctx, n))) out.push({ name: e, path: normalizePath(`${c.destPath}/${e}`) });
        continue;
      }
      if (!isRuntimeName(ctx, rel)) continue;
      if (/[*?[]/.test(rel))
        return `${c.keyword} ${src.raw} copies files by a pattern: the conversion cannot tell which the program reads at run time`;
      // A directory's contents go into the destination; a file goes into it when it is a directory.
      const isDir = v.endsWith('/') || !!ctx?.list?.(rel)?.length;
      out.push({ name: rel, path: isDir ? c.destPath : landingPath(c, rel)! });
    }
  }
  return out;
}

/** The ELF header of a binary says whether it is linked statically (no PT_INTERP program header). */
export function elfLinking(bytes: Uint8Array | undefined): 'static' | 'dynamic' | 'not-elf' | undefined {
  if (!bytes || bytes.length < 64) return undefined;
  if (bytes[0] !== 0x7f || bytes[1] !== 0x45 || bytes[2] !== 0x4c || bytes[3] !== 0x46) return 'not-elf';
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const is64 = bytes[4] === 2;
  const le = bytes[5] === 1;
  const phoff = is64 ? Number(view.getBigUint64(32, le)) : view.getUint32(28, le);
  const phentsize = view.getUint16(is64 ? 54 : 42, le);
  const phnum = view.getUint16(is64 ? 56 : 44, le);
  if (phoff + phentsize * phnum > bytes.length) return undefined;
  for (let k = 0; k < phnum; k++) if (view.getUint32(phoff + k * phentsize, le) === 3 /* PT_INTERP */) return 'dynamic';
  return 'static';
}

/** The build-context file a COPY puts at the program's path (by name when the command names no path). */
export function copiedProgram(s: Stage, program: string): { rel: string; path: string } | undefined {
  for (const c of [...s.copies].reverse()) {
    if (c.from || !c.destPath) continue;
    for (const src of c.sources) {
      if (src.value === undefined || /^[a-z]+:\/\//i.test(src.value)) continue;
      const rel = normalizePath(src.value).replace(/^\/+/, '');
      const at = landingPath(c, rel)!;
      const wanted = program.includes('/') ? resolvePath(program, c.instr.workdir) : undefined;
      if (wanted ? at === wanted : basename(at) === program) return { rel, path: at };
    }
  }
  return undefined;
}
