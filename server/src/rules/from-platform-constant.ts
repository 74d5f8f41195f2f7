import { defineRule } from '../engine/rule';
import { expandWord, variableReferences } from '../model/variables';
import { stageUsers } from '../model/stageUsers';
import type { DockerfileModel } from '../model/model';
import type { Stage } from '../model/stage';

/** Operating systems Go (and so the builder's platform parser) knows, for a platform of one part. */
const OSES = new Set(
  'aix android darwin dragonfly freebsd hurd illumos ios js linux nacl netbsd openbsd plan9 solaris wasip1 windows zos'.split(' '),
);
/** Architectures, by the names the builder normalizes them from. */
const ARCH_ALIASES: Record<string, string> = {
  i386: '386',
  x86_64: 'amd64',
  'x86-64': 'amd64',
  aarch64: 'arm64',
  armhf: 'arm',
  armel: 'arm',
};
const ARCHES = new Set(
  '386 amd64 amd64p32 arm armbe arm64 arm64be loong64 mips mipsle mips64 mips64le mips64p32 mips64p32le ppc ppc64 ppc64le riscv riscv64 s390 s390x sparc sparc64 wasm'.split(
    ' ',
  ),
);

/** `os[/arch[/variant]]` as the builder reads it: its OS and architecture, or undefined when it would refuse it. */
export function parsePlatform(value: string): { os?: string; arch?: string } | undefined {
  const parts = value.toLowerCase().split('/');
  if (parts.length > 3 || !parts.every((p) => /^[a-z0-9_.-]+$/.test(p))) return undefined;
  const arch = (a: string) => ARCH_ALIASES[a] ?? a;
  if (parts.length === 1) {
    if (OSES.has(parts[0])) return { os: parts[0] === 'macos' ? 'darwin' : parts[0] };
    return ARCHES.has(arch(parts[0])) ? { arch: arch(parts[0]) } : undefined;
  }
  return { os: parts[0] === 'macos' ? 'darwin' : parts[0], arch: arch(parts[1]) };
}

/** Other names a platform's architecture goes by in image tags, namespaces and paths (`arm32v7`, `x86_64`). */
const ARCH_NAMES: Record<string, string[]> = {
  amd64: ['amd64', 'x86_64', 'x86-64', 'x64'],
  arm64: ['arm64', 'aarch64', 'arm64v8'],
  arm: ['arm32', 'armv7', 'armv6', 'armhf', 'armel'],
  '386': ['i386', 'i686'],
};

/** Whether `text` names the platform: its OS, its architecture, or another name of the architecture. */
function names(text: string, p: { os?: string; arch?: string }): boolean {
  const t = text.toLowerCase();
  return [p.os, p.arch, ...(p.arch ? (ARCH_NAMES[p.arch] ?? []) : [])].some((n) => n !== undefined && t.includes(n));
}

/** A stage's --platform value when it is a constant (no variable), else undefined. */
function constantPlatform(model: DockerfileModel, s: Stage): string | undefined {
  const flag = s.platform;
  if (!flag || flag.value === null || variableReferences(flag.value, model.escapeChar).length) return undefined;
  return expandWord(flag.value, new Map(), model.escapeChar);
}

/** Whether every stage that uses `s`, directly or through others, is made for the platform `value`. */
function onlyFor(model: DockerfileModel, s: Stage, value: string, p: { os?: string; arch?: string }, seen: Set<Stage>): boolean {
  const users = stageUsers(model).get(s);
  if (!users?.size || seen.has(s)) return false;
  seen.add(s);
  return [...users].every((u) => names(u.name ?? '', p) || constantPlatform(model, u) === value || onlyFor(model, u, value, p, seen));
}

export default defineRule({
  id: 'from-platform-constant',
  severity: 'info',
  enabled: false,
  summary: 'FROM --platform with a fixed platform: the stage is built for it whatever the build targets.',
  rationale: `\`FROM --platform=linux/amd64\` builds the stage for linux/amd64 on every build: a build for
arm64 still gets an amd64 stage (run under emulation, or shipped for the wrong platform), and the
Dockerfile cannot build a multi-platform image. Leave \`--platform\` out (the build's \`--platform\`
decides), use \`--platform=$BUILDPLATFORM\` for a stage that runs build tools on the build machine, or, for
a stage that is platform-specific on purpose, name it after its platform (\`AS build_amd64\`), as in
\`FROM build_\${TARGETARCH}\`.

**Off by default**: judged on real files, every fixed platform was on purpose (images that exist for
one platform only, such as NVIDIA's Jetson images, built into that platform's archive), which the
tool cannot tell from a mistake.`,
  differences: `Off by default, where both peers report it. Like BuildKit, a stage whose name contains the platform's OS or architecture (\`AS linux\`,
\`AS build_amd64\`) is not reported; hadolint (DL3029) reports those too. Unlike both, neither is a stage
whose image reference or whose Dockerfile's path names the architecture (\`…-linux-amd64\`,
\`ubuntu-arm32v7/Dockerfile\`), nor one that only stages fixed to the same platform (or named after it) use:
those are platform-specific on purpose.`,
  equivalents: { hadolint: ['DL3029'], buildkit: ['FromPlatformFlagConstDisallowed'] },
  examples: {
    invalid: [
      `FROM --platform=linux/amd64 node:22-slim AS web
#    ^^^^^^^^^^^^^^^^^^^^^^ from-platform-constant
`,
    ],
    valid: [
      `FROM --platform=$BUILDPLATFORM golang:1.22 AS build
FROM --platform=linux/arm64 alpine:3.20 AS tools_arm64
FROM alpine:3.20
`,
    ],
  },
  check({ model, report }) {
    for (const s of model.stages) {
      const flag = s.platform;
      if (!flag) continue;
      const value = constantPlatform(model, s);
      const p = value === undefined || value === '' ? undefined : parsePlatform(value);
      if (!p) continue;
      // A stage named after its platform is platform-specific on purpose (`FROM build_${TARGETARCH}` picks it).
      if (names(s.name ?? '', p)) continue;
      // An image or a Dockerfile made for one platform (`…-linux-amd64`, `ubuntu-arm32v7/Dockerfile`).
      const other = { arch: p.arch };
      if (names(s.imageRaw, other) || (model.path !== undefined && names(model.path, other))) continue;
      // Used only on the way to stages fixed to the same platform or named after it (a Jetson stage
      // that only the arm64 stage copies from): a build for another target never builds it.
      if (onlyFor(model, s, value!, p, new Set())) continue;
      report({
        span: flag.span,
        message: `--platform=${value} builds this stage for ${value} whatever platform the build targets: another target gets it under emulation or for the wrong platform. Leave --platform out, use $BUILDPLATFORM for a stage of build tools, or name the stage after its platform.`,
      });
    }
  },
});
