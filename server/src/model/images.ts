/**
 * What a fix needs to know about a stage's base: the family of its distribution (which decides the
 * command that creates a user), whether it has a CA bundle, and how to name a stage in COPY --from.
 */
import type { Stage } from './model';

export type Family = 'alpine' | 'debian' | 'rhel' | 'distroless' | 'scratch' | 'unknown';

const DEBIAN_REPOS = new Set([
  'library/debian', 'library/ubuntu', 'library/buildpack-deps', 'library/golang', 'library/node', 'library/python', 'library/ruby',
  'library/php', 'library/perl', 'library/rust', 'library/openjdk', 'library/eclipse-temurin', 'library/maven', 'library/gradle',
  'library/nginx', 'library/httpd', 'library/postgres', 'library/redis', 'library/haproxy', 'library/elixir', 'library/erlang',
  'library/haskell', 'library/swift', 'library/gcc', 'library/r-base', 'library/julia',
]);
const RHEL_REPOS = new Set(['library/fedora', 'library/centos', 'library/rockylinux', 'library/almalinux', 'library/amazonlinux', 'library/oraclelinux']);

export function familyOf(stage: Stage): Family {
  const root = stage.root;
  if (root.kind === 'scratch') return 'scratch';
  if (root.kind !== 'image') return 'unknown';
  const ref = root.ref;
  const tag = (ref.tag ?? '').toLowerCase();
  if ((ref.registry === 'gcr.io' && ref.repository.startsWith('distroless/')) || ref.registry === 'cgr.dev') return 'distroless';
  if (/alpine/.test(tag) || ref.repository === 'library/alpine' || ref.repository === 'library/busybox' || /musl|busybox/.test(tag)) return 'alpine';
  if (/ubi\d*-(minimal|micro)|ubi-minimal|ubi-micro/.test(ref.repository)) return 'unknown';
  if (RHEL_REPOS.has(ref.repository) || /(^|\/)ubi\d*$/.test(ref.repository)) return 'rhel';
  if (DEBIAN_REPOS.has(ref.repository) || /bookworm|bullseye|buster|trixie|jammy|focal|noble|slim/.test(tag)) return 'debian';
  return 'unknown';
}

/** The command (for RUN) that creates an unprivileged user and its group, or undefined. */
export function createUserCommand(family: Family, name: string, uid: number): string | undefined {
  switch (family) {
    case 'alpine':
      return `adduser -D -H -u ${uid} ${name}`;
    case 'debian':
      return `useradd --uid ${uid} --user-group --no-create-home --shell /usr/sbin/nologin ${name}`;
    case 'rhel':
      return `useradd --uid ${uid} --user-group --no-create-home --shell /sbin/nologin ${name}`;
    default:
      return undefined;
  }
}

/** Images whose file system has /etc/ssl/certs/ca-certificates.crt without installing anything. */
export function hasCaBundle(stage: Stage): boolean {
  const ref = stage.rootImage;
  if (!ref) return false;
  const family = familyOf(stage);
  if (family === 'alpine' || family === 'distroless') return true;
  return ['library/golang', 'library/buildpack-deps', 'library/rust', 'library/node', 'library/python', 'library/ruby', 'library/maven', 'library/gradle', 'library/eclipse-temurin', 'library/openjdk'].includes(ref.repository);
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
      if (c.from?.source.kind === 'stage' && c.from.source.stage !== s) counts.set(c.from.source.stage, (counts.get(c.from.source.stage) ?? 0) + 1);
    }
  }
  let best: Stage | undefined;
  for (const [st, n] of counts) if (!best || n >= (counts.get(best) ?? 0)) best = st;
  return best;
}
