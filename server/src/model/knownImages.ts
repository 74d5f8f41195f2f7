/**
 * What the linter knows about well-known base images without asking a registry: which are build
 * toolchains, which run as a non-root user by default, which hold no libc (so only static binaries
 * run in them). Matching is on the normalized registry + repository and, where it matters, the tag.
 *
 * This is the offline fallback. Where a registry has been asked (imageFacts.ts: hover, the pin
 * actions, `--image-facts`), the image's own config wins: its User for the default user, its Env for
 * a toolchain. Messages built on this list say so ("the tool's offline list of well-known images").
 */
import type { ImageRef } from './imageRef';
import { isUbi } from './interactiveImages';

/** Docker Hub namespaces that republish the official images for one architecture (`arm64v8/alpine`). */
const ARCH_NAMESPACES = new Set([
  'amd64',
  'arm32v5',
  'arm32v6',
  'arm32v7',
  'arm64v8',
  'i386',
  'ppc64le',
  'riscv64',
  's390x',
  'mips64le',
  'windows-amd64',
]);

function key(ref: ImageRef): string {
  const [namespace, ...rest] = ref.repository.split('/');
  if (ref.registry === 'docker.io' && rest.length === 1 && ARCH_NAMESPACES.has(namespace)) return `docker.io/library/${rest[0]}`;
  // A mirror of Docker Hub (mirror.gcr.io/library/alpine, docker.mirror.hashicorp.services/alpine): the same image.
  if (
    /(^|[.-])mirror([.-]|$)/.test(ref.registry.replace(/:\d+$/, '')) &&
    (rest.length === 0 || (namespace === 'library' && rest.length === 1))
  )
    return `docker.io/library/${rest[0] ?? namespace}`;
  return `${ref.registry}/${ref.repository}`;
}

interface Toolchain {
  /** What to call it in messages. */
  label: string;
  /** Tags that are runtimes, not toolchains (e.g. JRE tags of a JDK repository). */
  runtimeTag?: RegExp;
}

const TOOLCHAINS: Record<string, Toolchain> = {
  'docker.io/library/golang': { label: 'the Go toolchain' },
  'docker.io/library/rust': { label: 'the Rust toolchain' },
  'docker.io/rustlang/rust': { label: 'the Rust toolchain' },
  'docker.io/library/gcc': { label: 'the GCC toolchain' },
  // Only the full tags carry compilers; `-curl` and `-scm` are the download / version-control layers.
  'docker.io/library/buildpack-deps': { label: 'a build toolchain (buildpack-deps)', runtimeTag: /(^|-)(curl|scm)$/ },
  'docker.io/library/maven': { label: 'Maven and a JDK' },
  'docker.io/library/gradle': { label: 'Gradle and a JDK' },
  'docker.io/library/openjdk': { label: 'a JDK', runtimeTag: /jre/i },
  'docker.io/library/eclipse-temurin': { label: 'a JDK', runtimeTag: /jre/i },
  'docker.io/library/amazoncorretto': { label: 'a JDK', runtimeTag: /headless|headful/i },
  'docker.io/library/sapmachine': { label: 'a JDK', runtimeTag: /jre/i },
  'docker.io/library/ibmjava': { label: 'a JDK', runtimeTag: /jre/i },
  'docker.io/library/ibm-semeru-runtimes': { label: 'a JDK', runtimeTag: /jre/i },
  'docker.io/azul/zulu-openjdk': { label: 'a JDK', runtimeTag: /jre/i },
  'docker.io/library/swift': { label: 'the Swift toolchain', runtimeTag: /slim/i },
  'docker.io/library/haskell': { label: 'the Haskell toolchain' },
  'docker.io/library/clojure': { label: 'the Clojure build tools' },
  'docker.io/sbtscala/scala-sbt': { label: 'sbt and a JDK' },
  'docker.io/tinygo/tinygo': { label: 'the TinyGo toolchain' },
  'mcr.microsoft.com/dotnet/sdk': { label: 'the .NET SDK' },
  'mcr.microsoft.com/dotnet/core/sdk': { label: 'the .NET SDK' },
};

/** Whether the offline list knows the image's repository as a toolchain's (whatever the tag: JRE tags of a JDK repository too). */
export function knownToolchainRepository(ref: ImageRef): boolean {
  return TOOLCHAINS[key(ref)] !== undefined;
}

/** The toolchain an image is, or undefined when it is not (known to be) one. */
export function toolchainOf(ref: ImageRef): string | undefined {
  const t = TOOLCHAINS[key(ref)];
  if (!t) return undefined;
  if (t.runtimeTag && ref.tag && t.runtimeTag.test(ref.tag)) return undefined;
  return t.label;
}

/** Who an image runs as when nothing sets USER: root, a named user, or unknown (undefined). */
export type DefaultUser = { root: true; user?: string } | { root: false; user: string; uid?: number };

export interface ImageUser {
  uid: number;
  gid: number;
  /** Its primary group's name. */
  group: string;
  /** Its home directory, and whether the image has it. */
  home: string;
  homeExists: boolean;
}

/**
 * What an image's own ENTRYPOINT does when a Dockerfile keeps it: the user it steps down to for the
 * image's server (docker-library's docker-entrypoint.sh with gosu, su-exec or setpriv), or that PID 1
 * is the server's master process, which needs root and starts unprivileged workers itself.
 */
export interface ImageEntrypoint {
  /** The image's entrypoint as the image's documentation names it. */
  name: string;
  /** The user its entrypoint steps down to, for the commands it names (its server: any command when absent). */
  stepsDownTo?: { user: string; tool: string; commands?: string[] };
  /** nginx, httpd: a master process that binds the port and starts workers as another user. */
  server?: { name: string; workers: string; port: number };
}

interface ImageFacts {
  user?: DefaultUser;
  entrypoint?: ImageEntrypoint;
  /** Users the image defines besides those of its distribution (`node` in the node images). */
  users?: Record<string, ImageUser>;
}

const ROOT: DefaultUser = { root: true };
const nonRoot = (user: string, uid?: number): DefaultUser => ({ root: false, user, uid });
const APACHE: ImageEntrypoint = { name: 'apache2-foreground', server: { name: 'Apache httpd', workers: 'www-data', port: 80 } };
const stepsDown = (user: string, commands: string[], tool = 'gosu'): ImageFacts => ({
  user: ROOT,
  entrypoint: { name: 'docker-entrypoint.sh', stepsDownTo: { user, tool, commands } },
});

/**
 * Images whose default user is known, read from their published Dockerfiles and entrypoints. Docker
 * Hub's official images run as root unless listed otherwise; an image not listed here (nor matched by
 * a rule below) has an unknown default user, and rules say so instead of guessing.
 */
const IMAGES: Record<string, ImageFacts> = {
  // Distributions and language runtimes: root, nothing stepping down.
  ...Object.fromEntries(
    [
      'alpine',
      'debian',
      'ubuntu',
      'busybox',
      'fedora',
      'centos',
      'rockylinux',
      'almalinux',
      'amazonlinux',
      'oraclelinux',
      'archlinux',
      'photon',
      'clearlinux',
      'mageia',
      'alt',
      'sl',
      'buildpack-deps',
      'golang',
      'rust',
      'gcc',
      'python',
      'pypy',
      'ruby',
      'php',
      'perl',
      'openjdk',
      'eclipse-temurin',
      'amazoncorretto',
      'ibm-semeru-runtimes',
      'sapmachine',
      'ibmjava',
      'maven',
      'gradle',
      'groovy',
      'clojure',
      'haskell',
      'erlang',
      'elixir',
      'julia',
      'r-base',
      'swift',
      'dart',
      'mono',
      'haxe',
      'bash',
      'docker',
      'registry',
      'traefik',
      'caddy',
      'tomcat',
      'tomee',
      'composer',
      'gazebo',
      'ros',
      'hylang',
      'jruby',
    ].map((n) => [`docker.io/library/${n}`, { user: ROOT }]),
  ),
  // node: root, with a `node` user (uid 1000) ready for USER node; its entrypoint only runs the command.
  'docker.io/library/node': { user: ROOT, users: { node: { uid: 1000, gid: 1000, group: 'node', home: '/home/node', homeExists: true } } },
  'docker.io/library/nginx': {
    user: ROOT,
    entrypoint: { name: 'docker-entrypoint.sh', server: { name: 'nginx', workers: 'nginx', port: 80 } },
    users: { nginx: { uid: 101, gid: 101, group: 'nginx', home: '/nonexistent', homeExists: false } },
  },
  'docker.io/library/httpd': {
    user: ROOT,
    entrypoint: { name: 'httpd-foreground', server: { name: 'httpd', workers: 'www-data', port: 80 } },
  },
  // Apache with PHP (the -apache tags, the default of these applications): the same master and workers.
  ...Object.fromEntries(
    ['wordpress', 'drupal', 'joomla', 'nextcloud', 'mediawiki', 'matomo'].map((n) => [
      `docker.io/library/${n}`,
      { user: ROOT, entrypoint: APACHE },
    ]),
  ),
  // Servers whose docker-entrypoint.sh starts as root, fixes ownership and steps down.
  'docker.io/library/postgres': stepsDown('postgres', ['postgres']),
  'docker.io/library/mysql': stepsDown('mysql', ['mysqld']),
  'docker.io/library/mariadb': stepsDown('mysql', ['mariadbd', 'mysqld']),
  'docker.io/library/percona': stepsDown('mysql', ['mysqld']),
  'docker.io/library/mongo': stepsDown('mongodb', ['mongod', 'mongos']),
  'docker.io/library/redis': stepsDown('redis', ['redis-server', 'redis-sentinel']),
  'docker.io/library/cassandra': stepsDown('cassandra', ['cassandra']),
  'docker.io/library/couchdb': stepsDown('couchdb', ['couchdb']),
  'docker.io/library/zookeeper': stepsDown('zookeeper', ['zkServer.sh']),
  'docker.io/library/ghost': stepsDown('node', ['node']),
  'docker.io/library/redmine': stepsDown('redmine', ['rails', 'passenger', 'puma', 'unicorn']),
  'docker.io/library/flink': stepsDown('flink', ['jobmanager', 'standalone-job', 'taskmanager', 'history-server']),
  'docker.io/library/neo4j': stepsDown('neo4j', ['neo4j']),
  'docker.io/library/rabbitmq': stepsDown('rabbitmq', ['rabbitmq-server'], 'gosu or su-exec'),
  'docker.io/hashicorp/vault': stepsDown('vault', ['server'], 'su-exec'),
  'docker.io/hashicorp/consul': stepsDown('consul', ['agent'], 'su-exec'),
  // Images that set a non-root USER.
  'docker.io/library/memcached': { user: nonRoot('memcache', 11211) },
  'docker.io/library/haproxy': { user: nonRoot('haproxy', 99) },
  'docker.io/library/solr': { user: nonRoot('solr', 8983) },
  'docker.io/library/sonarqube': { user: nonRoot('sonarqube', 1000) },
  'docker.io/library/elasticsearch': { user: nonRoot('elasticsearch', 1000) },
  'docker.io/library/kibana': { user: nonRoot('kibana', 1000) },
  'docker.io/library/logstash': { user: nonRoot('logstash', 1000) },
  'docker.io/library/jetty': { user: nonRoot('jetty', 999) },
  'docker.io/library/odoo': { user: nonRoot('odoo', 101) },
  'docker.io/nginxinc/nginx-unprivileged': { user: nonRoot('nginx', 101) },
  'docker.io/jenkins/jenkins': { user: nonRoot('jenkins', 1000) },
  'docker.io/grafana/grafana': { user: nonRoot('grafana', 472) },
  'docker.io/prom/prometheus': { user: nonRoot('nobody', 65534) },
  'docker.io/prom/alertmanager': { user: nonRoot('nobody', 65534) },
  'docker.io/prom/node-exporter': { user: nonRoot('nobody', 65534) },
  'quay.io/prometheus/prometheus': { user: nonRoot('nobody', 65534) },
  'quay.io/keycloak/keycloak': { user: nonRoot('1000', 1000) },
  'cgr.dev/chainguard/static': { user: nonRoot('nonroot', 65532) },
  // Other images that run as root, checked against their published Dockerfiles.
  'docker.io/minio/minio': { user: ROOT },
  'quay.io/minio/minio': { user: ROOT },
  'docker.io/google/cloud-sdk': { user: ROOT },
  'gcr.io/google.com/cloudsdktool/cloud-sdk': { user: ROOT },
  'gcr.io/google.com/cloudsdktool/google-cloud-cli': { user: ROOT },
  'mcr.microsoft.com/azurelinux/base/core': { user: ROOT },
  'mcr.microsoft.com/cbl-mariner/base/core': { user: ROOT },
  'docker.io/tiangolo/uvicorn-gunicorn': { user: ROOT },
  'docker.io/tiangolo/uvicorn-gunicorn-fastapi': { user: ROOT },
  'docker.io/tiangolo/meinheld-gunicorn': { user: ROOT },
};

/** linuxserver.io's images: s6-overlay's /init runs as root and runs the services as `abc` (PUID/PGID). */
const LINUXSERVER: ImageFacts = { user: ROOT, entrypoint: { name: '/init', stepsDownTo: { user: 'abc', tool: 's6-setuidgid' } } };

/** An image's facts from the table, by registry and repository (and tag, where it decides). */
function factsOf(ref: ImageRef): ImageFacts | undefined {
  const k = key(ref);
  const tag = ref.tag ?? 'latest';
  const facts = IMAGES[k];
  // php's -apache tags run Apache; the applications' -fpm tags run php-fpm (root master, www-data pool).
  if (k === 'docker.io/library/php' && /apache/.test(tag)) return { user: ROOT, entrypoint: APACHE };
  if (facts?.entrypoint === APACHE && /fpm/.test(tag)) return { user: ROOT };
  if (facts) return facts;
  const [namespace] = ref.repository.split('/');
  if (namespace === 'linuxserver' && ['docker.io', 'ghcr.io', 'lscr.io'].includes(ref.registry)) return LINUXSERVER;
  // SeleniumHQ's images run as seluser (uid 1200).
  if (namespace === 'selenium' && ref.registry === 'docker.io') return { user: nonRoot('seluser', 1200) };
  // Red Hat's Universal Base Images run as root.
  if (isUbi(ref)) return { user: ROOT };
  return undefined;
}

/** Who the image runs as when nothing sets USER; undefined when the tool does not know the image. */
export function defaultUser(ref: ImageRef): DefaultUser | undefined {
  const tag = ref.tag ?? 'latest';
  if (ref.registry === 'gcr.io' && ref.repository.startsWith('distroless/'))
    return isNonrootDistrolessTag(tag) ? nonRoot('nonroot', 65532) : ROOT;
  // Chainguard's images run as nonroot (65532); their -dev variants are for building, as root.
  if (ref.registry === 'cgr.dev' && ref.repository.startsWith('chainguard/'))
    return /(^|-)dev$/.test(tag) ? undefined : nonRoot('nonroot', 65532);
  // The Jupyter Docker Stacks all end with USER ${NB_UID} (jovyan).
  if ((ref.registry === 'quay.io' || ref.registry === 'docker.io') && ref.repository.startsWith('jupyter/')) return nonRoot('jovyan', 1000);
  // Windows: Server Core and Windows run as ContainerAdministrator (an administrator), Nano Server as ContainerUser.
  if (ref.registry === 'mcr.microsoft.com' && /^windows(\/(servercore|server))?$/.test(ref.repository))
    return { root: true, user: 'ContainerAdministrator' };
  if (ref.registry === 'mcr.microsoft.com' && ref.repository === 'windows/nanoserver') return nonRoot('ContainerUser');
  // .NET's chiseled and distroless images run as the `app` user (USER $APP_UID); the others as root.
  if (ref.registry === 'mcr.microsoft.com' && ref.repository.startsWith('dotnet/'))
    return /chiseled|distroless/.test(tag) ? nonRoot('app', 1654) : ROOT;
  return factsOf(ref)?.user;
}

/** distroless tags: `nonroot`, `debug-nonroot`, and both with an architecture (`nonroot-amd64`). */
export function isNonrootDistrolessTag(tag: string): boolean {
  return /(^|-)nonroot(-[a-z0-9]+)?$/.test(tag) && !/^latest/.test(tag);
}

/** What the image's own ENTRYPOINT does, where the tool knows it. */
export function imageEntrypoint(ref: ImageRef): ImageEntrypoint | undefined {
  return factsOf(ref)?.entrypoint;
}

/** Users an image defines (beyond its distribution's). */
export function imageUsers(ref: ImageRef): Record<string, ImageUser> {
  return factsOf(ref)?.users ?? {};
}

/** Images without a C library, where only statically linked programs run (like scratch). */
export function isStaticImage(ref: ImageRef): boolean {
  const k = key(ref);
  return (
    k === 'gcr.io/distroless/static' ||
    k === 'gcr.io/distroless/static-debian11' ||
    k === 'gcr.io/distroless/static-debian12' ||
    k === 'gcr.io/distroless/static-debian13' ||
    k === 'cgr.dev/chainguard/static'
  );
}

/**
 * Images with no shell at all: distroless (every variant but :debug) and Chainguard's static. A
 * shell-form command there cannot start.
 */
export function lacksShellImage(ref: ImageRef): boolean {
  const k = key(ref);
  if (k.startsWith('gcr.io/distroless/')) return !/debug/.test(ref.tag ?? '');
  return k === 'cgr.dev/chainguard/static';
}

/** Go images built on Alpine, where cgo is off by default because there is no C compiler (Go ≥ 1.20). */
export function isGoAlpine(ref: ImageRef): boolean {
  return key(ref) === 'docker.io/library/golang' && /alpine/i.test(ref.tag ?? '');
}
