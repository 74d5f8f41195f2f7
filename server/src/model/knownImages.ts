/**
 * What the linter knows about well-known base images without asking a registry: which are build
 * toolchains, which run as a non-root user by default, which hold no libc (so only static binaries
 * run in them). Matching is on the normalized registry + repository and, where it matters, the tag.
 */
import type { ImageRef } from './imageRef';

/** Docker Hub namespaces that republish the official images for one architecture (`arm64v8/alpine`). */
const ARCH_NAMESPACES = new Set(['amd64', 'arm32v5', 'arm32v6', 'arm32v7', 'arm64v8', 'i386', 'ppc64le', 'riscv64', 's390x', 'mips64le', 'windows-amd64']);

function key(ref: ImageRef): string {
  const [namespace, ...rest] = ref.repository.split('/');
  if (ref.registry === 'docker.io' && rest.length === 1 && ARCH_NAMESPACES.has(namespace)) return `docker.io/library/${rest[0]}`;
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

/** The toolchain an image is, or undefined when it is not (known to be) one. */
export function toolchainOf(ref: ImageRef): string | undefined {
  const t = TOOLCHAINS[key(ref)];
  if (!t) return undefined;
  if (t.runtimeTag && ref.tag && t.runtimeTag.test(ref.tag)) return undefined;
  return t.label;
}

/** Images whose default user is not root. */
export function runsAsNonRoot(ref: ImageRef): boolean {
  const k = key(ref);
  const tag = ref.tag ?? 'latest';
  if (ref.registry === 'gcr.io' && ref.repository.startsWith('distroless/')) return tag === 'nonroot' || tag.endsWith('-nonroot');
  if (k === 'cgr.dev/chainguard/static') return true;
  if (k === 'docker.io/nginxinc/nginx-unprivileged') return true;
  // The Jupyter Docker Stacks all end with USER ${NB_UID} (jovyan).
  if ((ref.registry === 'quay.io' || ref.registry === 'docker.io') && ref.repository.startsWith('jupyter/')) return true;
  // .NET's chiseled and distroless images run as the `app` user (USER $APP_UID).
  if (ref.registry === 'mcr.microsoft.com' && ref.repository.startsWith('dotnet/') && /chiseled|distroless/.test(tag)) return true;
  return false;
}

/** Images without a C library, where only statically linked programs run (like scratch). */
export function isStaticImage(ref: ImageRef): boolean {
  const k = key(ref);
  return k === 'gcr.io/distroless/static' || k === 'gcr.io/distroless/static-debian11' || k === 'gcr.io/distroless/static-debian12' ||
    k === 'gcr.io/distroless/static-debian13' || k === 'cgr.dev/chainguard/static';
}

/** Go images built on Alpine, where cgo is off by default because there is no C compiler (Go ≥ 1.20). */
export function isGoAlpine(ref: ImageRef): boolean {
  return key(ref) === 'docker.io/library/golang' && /alpine/i.test(ref.tag ?? '');
}
