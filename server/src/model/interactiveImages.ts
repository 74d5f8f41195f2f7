/**
 * Images by what their own default command does: a shell or REPL waiting at a prompt, or nothing
 * (distributions, Docker Hub's language and toolchain images, Windows, .NET, UBI, the Cloud SDK).
 */
import type { ImageRef } from './imageRef';

/** Red Hat's Universal Base Images (`ubi9`, `ubi9/ubi-minimal`, `redhat/ubi9-micro`…), and which variant. */
export function isUbi(ref: ImageRef): 'full' | 'minimal' | undefined {
  const m = /^(?:redhat\/)?ubi\d*(?:\/ubi)?(-minimal|-micro|-init)?$/.exec(
    ref.repository.replace(/^(ubi\d*)\/ubi(-minimal|-micro|-init)$/, '$1$2'),
  );
  if (!m) return undefined;
  return m[1] === '-minimal' || m[1] === '-micro' ? 'minimal' : 'full';
}

/**
 * Images whose own default command waits at a prompt (a shell, a REPL) or that set none: a
 * Dockerfile built on one that sets no command of its own makes an image to build on or to run
 * commands in, not a service. Distributions, Docker Hub's language and toolchain images, Windows,
 * .NET, Azure Linux, UBI and the Cloud SDK.
 */
const INTERACTIVE = new Set([
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
  'opensuse/leap',
  'opensuse/tumbleweed',
  'buildpack-deps',
  'golang',
  'rust',
  'gcc',
  'python',
  'pypy',
  'node',
  'ruby',
  'php',
  'perl',
  'openjdk',
  'eclipse-temurin',
  'amazoncorretto',
  'ibm-semeru-runtimes',
  'sapmachine',
  'ibmjava',
  'haskell',
  'erlang',
  'elixir',
  'julia',
  'r-base',
  'swift',
  'dart',
  'mono',
  'clojure',
  'groovy',
  'bash',
  'docker',
  'jruby',
  'hylang',
  'haxe',
]);

export function isInteractiveImage(ref: ImageRef): boolean {
  if (
    ref.registry === 'docker.io' &&
    (INTERACTIVE.has(ref.repository.startsWith('library/') ? ref.repository.slice(8) : ref.repository) ||
      ref.repository === 'google/cloud-sdk')
  )
    return true;
  if (ref.registry === 'mcr.microsoft.com')
    return /^(windows(\/(servercore|nanoserver|server))?|powershell|dotnet\/.*|azurelinux\/base\/core|cbl-mariner\/base\/core)$/.test(
      ref.repository,
    );
  if (ref.registry === 'gcr.io') return /^google\.com\/cloudsdktool\/(google-)?cloud-(sdk|cli)$/.test(ref.repository);
  return isUbi(ref) !== undefined;
}
