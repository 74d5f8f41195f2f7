/**
 * What a fix needs to know about a stage's base: the family of its distribution (which decides the
 * command that creates a user), whether it has a CA bundle, and how to name a stage in COPY --from.
 */
import type { Stage } from './model';
import { isUbi } from './interactiveImages';

export type Family = 'alpine' | 'debian' | 'rhel' | 'distroless' | 'windows' | 'scratch' | 'unknown';

const DEBIAN_REPOS = new Set([
  'library/debian',
  'library/ubuntu',
  'library/buildpack-deps',
  'library/golang',
  'library/node',
  'library/python',
  'library/ruby',
  'library/php',
  'library/perl',
  'library/rust',
  'library/openjdk',
  'library/eclipse-temurin',
  'library/maven',
  'library/gradle',
  'library/nginx',
  'library/httpd',
  'library/postgres',
  'library/redis',
  'library/haproxy',
  'library/elixir',
  'library/erlang',
  'library/haskell',
  'library/swift',
  'library/gcc',
  'library/r-base',
  'library/julia',
]);
const RHEL_REPOS = new Set([
  'library/fedora',
  'library/centos',
  'library/rockylinux',
  'library/almalinux',
  'library/amazonlinux',
  'library/oraclelinux',
]);

export function familyOf(stage: Stage): Family {
  return stage.model.cached(`family.${stage.index}`, () => readFamily(stage));
}

function readFamily(stage: Stage): Family {
  const root = stage.root;
  if (root.kind === 'scratch') return 'scratch';
  if (root.kind !== 'image') return 'unknown';
  const ref = root.ref;
  const tag = (ref.tag ?? '').toLowerCase();
  if (ref.registry === 'gcr.io' && ref.repository.startsWith('distroless/')) return 'distroless';
  if (ref.registry === 'mcr.microsoft.com' && /^(windows(\/|$)|powershell)/.test(ref.repository)) return 'windows';
  if (/nanoserver|servercore|windowsservercore|ltsc20\d\d/.test(tag)) return 'windows';
  // Chainguard's images (and any other image) whose user tools the tool does not know.
  if (ref.registry === 'cgr.dev') return 'unknown';
  // Minimal Red Hat-family images ship without shadow-utils: no useradd (amazonlinux:2023 neither).
  if (/(^|-)(minimal|micro|slim)(-|$)/.test(tag) && /^library\/(oraclelinux|rockylinux|almalinux|fedora|centos)$/.test(ref.repository))
    return 'unknown';
  if (ref.repository === 'library/amazonlinux' && !/^(1|2)(\.|$|-)/.test(tag)) return 'unknown';
  if (/alpine/.test(tag) || ref.repository === 'library/alpine' || ref.repository === 'library/busybox' || /musl|busybox/.test(tag))
    return 'alpine';
  // UBI minimal and micro have no useradd (microdnf only; micro no package manager at all).
  const ubi = isUbi(ref);
  if (ubi === 'minimal') return 'unknown';
  if (RHEL_REPOS.has(ref.repository) || ubi) return 'rhel';
  if (DEBIAN_REPOS.has(ref.repository) || /bookworm|bullseye|buster|trixie|jammy|focal|noble|slim/.test(tag)) return 'debian';
  return 'unknown';
}

/** Images whose file system has /etc/ssl/certs/ca-certificates.crt without installing anything. */
export function hasCaBundle(stage: Stage): boolean {
  const ref = stage.rootImage;
  if (!ref) return false;
  const family = familyOf(stage);
  if (family === 'alpine' || family === 'distroless' || ref.registry === 'cgr.dev') return true;
  return [
    'library/golang',
    'library/buildpack-deps',
    'library/rust',
    'library/node',
    'library/python',
    'library/ruby',
    'library/maven',
    'library/gradle',
    'library/eclipse-temurin',
    'library/openjdk',
  ].includes(ref.repository);
}

/** How COPY --from names a stage: its name, else its index. */
export function stageRef(stage: Stage): string {
  return stage.name ?? String(stage.index);
}

/**
 * The stage a stage's files come from: the stage its COPY --from instructions name most (ties: the
 * last one), following the stages it inherits from. Undefined when it copies from no stage.
 */
export function builderOf(stage: Stage): Stage | undefined {
  const counts = new Map<Stage, number>();
  for (const s of stage.chain) {
    for (const c of s.copies) {
      if (c.from?.source.kind === 'stage' && c.from.source.stage !== s)
        counts.set(c.from.source.stage, (counts.get(c.from.source.stage) ?? 0) + 1);
    }
  }
  let best: Stage | undefined;
  for (const [st, n] of counts) if (!best || n >= (counts.get(best) ?? 0)) best = st;
  return best;
}
