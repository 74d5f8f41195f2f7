import { defineRule } from '../engine/rule';
import { imageUses } from '../model/imageUses';
import type { ImageRef } from '../model/imageRef';
import { builtByProject, namespaceFromPipeline, repositoryFromArgument } from '../model/officialImages';
import { runtimeOf } from '../model/runtime';
import { hasVariable } from '../model/variables';
import { commandName, unwrap, type SimpleCommand } from '../model/shell';
import type { DockerfileModel, Stage } from '../model/model';

/** What the tool knows of an official image's tags: how its release lines are named, and which tags move across them. */
interface Lines {
  /** What to call it in messages. */
  label: string;
  /** Numbers that name a release line: 1 (`node:22`, `postgres:16`) or 2 (`python:3.12`, `alpine:3.20`). */
  depth: 1 | 2;
  /** How a release-line tag is written in a suggestion (`3.<minor>`). */
  line: string;
  /** Channel tags (first word of the tag) and what each follows. */
  channels?: Record<string, string>;
  /** First words of a tag that name only a variant (`alpine`, `slim`, `fpm`): the newest release's. */
  variants?: RegExp;
  /** Major versions whose series ended long ago: a prefix of them no longer moves (`python:2`). */
  ended?: string[];
}

/** Variants the official language and server images publish for their newest release (`golang:alpine`, `node:slim`). */
const DISTRO_VARIANTS =
  /^(alpine(\d+\.\d+)?|slim|bookworm|bullseye|buster|stretch|jessie|trixie|windowsservercore(-ltsc\d+|-\d+)?|nanoserver(-ltsc\d+|-\d+)?)$/;
const variants = (extra?: string) => (extra ? new RegExp(`${DISTRO_VARIANTS.source}|^(${extra})$`) : DISTRO_VARIANTS);

const DEBIAN_CHANNELS: Record<string, string> = {
  stable: 'the current Debian stable release, which moves to the next release when one comes out',
  oldstable: "Debian's previous stable release, which moves on when a new Debian release comes out",
  oldoldstable: 'the stable release before the previous one, which moves on when a new Debian release comes out',
  testing: "Debian's testing branch, which changes every day",
  unstable: "Debian's unstable branch (sid), which changes every day",
  sid: "Debian's unstable branch, which changes every day",
  experimental: "Debian's experimental branch, which changes every day",
  'rc-buggy': "Debian's experimental branch, which changes every day",
};

const LINES: Record<string, Lines> = {
  node: {
    label: 'Node.js',
    depth: 1,
    line: '<major>',
    channels: {
      lts: 'the active LTS line of Node.js, which moves to the next LTS line every year',
      current: 'the newest Node.js release line, which moves with every major release',
    },
    variants: variants(),
  },
  python: { label: 'Python', depth: 2, line: '3.<minor>', variants: variants(), ended: ['2'] },
  ruby: { label: 'Ruby', depth: 2, line: '<major>.<minor>', variants: variants(), ended: ['1', '2'] },
  php: { label: 'PHP', depth: 2, line: '<major>.<minor>', variants: variants('apache|fpm|cli|zts'), ended: ['5', '7'] },
  golang: { label: 'Go', depth: 2, line: '1.<minor>', variants: variants() },
  rust: { label: 'Rust', depth: 2, line: '1.<minor>', variants: variants() },
  perl: { label: 'Perl', depth: 2, line: '5.<minor>', variants: variants('threaded') },
  elixir: { label: 'Elixir', depth: 2, line: '1.<minor>', variants: variants('otp') },
  julia: { label: 'Julia', depth: 2, line: '1.<minor>', variants: variants() },
  dart: {
    label: 'Dart',
    depth: 2,
    line: '<major>.<minor>',
    channels: {
      stable: 'every stable Dart release',
      beta: "Dart's beta channel, which moves with every beta release",
      dev: "Dart's dev channel, which moves with every dev release",
    },
  },
  alpine: { label: 'Alpine', depth: 2, line: '3.<minor>', channels: { edge: "Alpine's development branch, which changes every day" } },
  debian: { label: 'Debian', depth: 1, line: '<codename>', channels: DEBIAN_CHANNELS },
  'buildpack-deps': {
    label: 'Debian',
    depth: 1,
    line: '<codename>',
    channels: DEBIAN_CHANNELS,
    variants: /^(curl|scm)$/,
  },
  ubuntu: {
    label: 'Ubuntu',
    depth: 2,
    line: '<YY.MM>',
    channels: {
      rolling: 'the newest Ubuntu release, interim releases included, which changes every six months',
      devel: 'the Ubuntu release in development, which changes every day',
    },
  },
  fedora: { label: 'Fedora', depth: 1, line: '<major>', channels: { rawhide: "Fedora's development branch, which changes every day" } },
  postgres: { label: 'PostgreSQL', depth: 1, line: '<major>', variants: variants() },
  redis: { label: 'Redis', depth: 1, line: '<major>', variants: variants() },
  mongo: { label: 'MongoDB', depth: 1, line: '<major>', variants: variants('jammy|noble|focal') },
  mysql: {
    label: 'MySQL',
    depth: 2,
    line: '<major>.<minor>',
    channels: {
      lts: "MySQL's LTS series, which moves to the next LTS series when one comes out",
      innovation: 'every MySQL innovation release',
    },
    variants: /^(oracle|debian|oraclelinux\d+|bookworm)$/,
    ended: ['5'],
  },
  mariadb: {
    label: 'MariaDB',
    depth: 2,
    line: '<major>.<minor>',
    channels: { lts: "MariaDB's newest LTS series, which moves to the next one when it comes out" },
    variants: /^(jammy|noble|focal|ubi\d*)$/,
    ended: ['5', '10'],
  },
  nginx: {
    label: 'nginx',
    depth: 2,
    line: '1.<minor>',
    channels: {
      mainline: 'every nginx mainline release',
      stable: "nginx's stable branch, which moves to the next stable line every year",
    },
    variants: variants('perl|otel'),
  },
  haproxy: {
    label: 'HAProxy',
    depth: 2,
    line: '<major>.<minor>',
    channels: { lts: "HAProxy's newest LTS branch, which moves to the next one when it comes out" },
    variants: variants(),
  },
  rabbitmq: { label: 'RabbitMQ', depth: 2, line: '<major>.<minor>', variants: variants('management(-alpine)?'), ended: ['3'] },
  docker: { label: 'Docker', depth: 1, line: '<major>', variants: variants('dind|dind-rootless|cli|git|windowsservercore') },
  nextcloud: {
    label: 'Nextcloud',
    depth: 1,
    line: '<major>',
    channels: {
      stable: "Nextcloud's stable channel, which moves to the next major release",
      production: "Nextcloud's production channel, which moves to the next major release",
    },
    variants: variants('apache|fpm'),
  },
};

/**
 * Distribution releases the official images stopped publishing variants for (end of life by 2025):
 * a tag naming one is frozen at the last build.
 */
const RETIRED = /^(jessie|stretch|buster|alpine3\.([0-9]|1[0-8]))$/;

/** Directories of a Dockerfile that builds a moving channel on purpose (docker-library's debian/sid/, golang's tip/). */
const TRACKING_DIRS = new Set([
  'sid',
  'unstable',
  'testing',
  'edge',
  'rawhide',
  'rolling',
  'devel',
  'tip',
  'nightly',
  'canary',
  'mainline',
]);

/** The commands that use a language image's toolchain; a builder stage on it that runs none of them only uses its shell. */
const TOOLS: Record<string, string[]> = {
  golang: ['go', 'gofmt', 'goreleaser', 'mage', 'ko'],
  rust: ['cargo', 'rustc', 'rustup', 'cross', 'wasm-pack', 'trunk'],
  node: ['node', 'npm', 'npx', 'yarn', 'pnpm', 'corepack'],
  python: ['python', 'python3', 'pip', 'pip3', 'poetry', 'uv', 'pipenv', 'pdm', 'hatch', 'tox'],
  ruby: ['ruby', 'gem', 'bundle', 'bundler', 'rake', 'rails'],
  php: ['php', 'composer', 'pecl', 'pear', 'docker-php-ext-install', 'docker-php-ext-configure', 'docker-php-ext-enable'],
  perl: ['perl', 'cpan', 'cpanm'],
  elixir: ['mix', 'elixir', 'erl'],
  julia: ['julia'],
  dart: ['dart', 'flutter'],
};
/** Commands that may run any toolchain: build tools, and scripts the tool does not read. */
const MAY_USE = new Set(['make', 'cmake', 'just', 'task', 'bazel', 'bazelisk', 'sh', 'bash', 'ash', 'xargs', 'env']);

/**
 * A builder stage on a language image (and the stages built on it) whose RUNs never use its toolchain:
 * the image is only a shell with a package manager (`FROM golang:alpine` to curl and untar a file).
 */
function toolUnused(model: DockerfileModel, stage: Stage | undefined, image: string): boolean {
  const tools = TOOLS[image];
  if (!tools || !stage) return false;
  // The stage and the stages built on it.
  const stages: Stage[] = [stage];
  for (let k = 0; k < stages.length && stages.length < 64; k++) for (const c of stages[k].children) if (!stages.includes(c)) stages.push(c);
  if (stages.some((s) => model.shipped?.chain.includes(s))) return false;
  const runs = stages.flatMap((s) => s.runs);
  if (!runs.length) return false;
  // Every command is a known other program: not the toolchain's, a build tool or a script (`./build.sh`).
  const other = (c: SimpleCommand) => {
    const argv = unwrap(c).argv;
    const name = commandName(argv);
    if (name === undefined) return argv.length === 0 && c.argv.length === 0;
    const bare = name.replace(/[\d.]+$/, '');
    return !tools.includes(name) && !tools.includes(bare) && !MAY_USE.has(name) && !name.includes('.') && !argv[0].value.includes('/');
  };
  return runs.every((r) => r.commands.every(other));
}

/** Docker Hub namespaces that republish the official images for one architecture (`arm64v8/python`). */
const ARCH = /^(amd64|arm32v[567]|arm64v8|i386|ppc64le|riscv64|s390x|mips64le|windows-amd64)$/;

/** The official image a reference names (on Docker Hub, a per-architecture namespace or a known mirror of it). */
function officialName(ref: ImageRef): string | undefined {
  const parts = ref.repository.split('/');
  const registry = ref.registry.replace(/:\d+$/, '');
  if (registry === 'docker.io') {
    if (parts.length === 2 && (parts[0] === 'library' || ARCH.test(parts[0]))) return parts[1];
    return undefined;
  }
  // Mirrors of Docker Hub's library: mirror.gcr.io/library/node, public.ecr.aws/docker/library/node.
  if (registry === 'public.ecr.aws' && parts.length === 3 && parts[0] === 'docker' && parts[1] === 'library') return parts[2];
  if (/(^|[.-])mirror([.-]|$)/.test(registry) && (parts.length === 1 || (parts.length === 2 && parts[0] === 'library')))
    return parts[parts.length - 1];
  return undefined;
}

interface Floating {
  /** The word of the tag that floats (`sid`, `alpine`, `3`). */
  word: string;
  /** What the tag follows. */
  follows: string;
  /** A release-line tag to name instead (the tag alone). */
  instead: string;
}

/** The image's name (not only its tag) comes from a build argument: `FROM $BASE`, `FROM $REPO:1`, `FROM ${NS}/app`. */
function nameFromArgument(model: DockerfileModel, raw: string): boolean {
  const text = raw.trim().replace(/^["']|["']$/g, '');
  return text.startsWith('$') || namespaceFromPipeline(model, raw) || repositoryFromArgument(raw);
}

/** Whether `tag` of the image moves across release lines, and what it follows. */
export function floatingTag(image: string, tag: string): Floating | undefined {
  const lines = LINES[image];
  const lower = tag.toLowerCase();
  if (!lines || lower === 'latest') return undefined;
  const words = lower.split('-');
  // A dated snapshot (`debian:sid-20240612`, `alpine:20240606`) does not move, nor a tag of a
  // distribution release the images no longer publish (`rust:buster`, `golang:alpine3.12`).
  if (words.some((w) => /^\d{8}(\.\d+)?$/.test(w) || RETIRED.test(w))) return undefined;
  const first = words[0];
  const rest = words.slice(1).join('-');
  const tail = rest ? `-${rest}` : '';
  const channel = lines.channels?.[first];
  if (channel) return { word: first, follows: channel, instead: `${lines.line}${tail}` };
  const version = /^v?(\d+)((?:\.\d+)*)/.exec(first);
  if (version) {
    const depth = 1 + (version[2].match(/\./g)?.length ?? 0);
    if (depth >= lines.depth || lines.ended?.includes(version[1])) return undefined;
    const major = version[1];
    return {
      word: first,
      follows: `every ${lines.label} ${major} release, minor releases included`,
      instead: `${major}.<minor>${first.slice(version[0].length)}${tail}`,
    };
  }
  if (lines.variants?.test(first))
    return { word: first, follows: `the newest ${lines.label} release, whichever line that is`, instead: `${lines.line}-${lower}` };
  return undefined;
}

export default defineRule({
  id: 'floating-tag',
  severity: 'info',
  summary: 'FROM uses a tag that moves across release lines (a variant, a channel, or a bare major version).',
  rationale: `\`latest\` is not the only tag that jumps releases. An official image's tags name a release
line (\`node:22\`, \`python:3.12\`, \`golang:1.23\`, \`alpine:3.20\`, \`debian:bookworm-slim\`,
\`ubuntu:24.04\`, \`postgres:16\`): a rebuild picks up the line's patch releases and security fixes,
and nothing else. These tags move further:

- a variant alone (\`golang:alpine\`, \`node:slim\`, \`php:fpm\`, \`postgres:alpine\`) is the variant of the
  newest release, whatever line that is;
- a channel (\`node:lts\`, \`debian:stable\`, \`debian:sid\`, \`ubuntu:rolling\`, \`alpine:edge\`,
  \`nginx:mainline\`, \`mysql:lts\`) moves to the next line when one comes out, and a development branch
  (\`sid\`, \`testing\`, \`edge\`, \`rawhide\`) changes every day;
- a version above the release line (\`python:3\`, \`golang:1\`, \`alpine:3\`, \`ruby:3\`, \`php:8\`,
  \`nginx:1\`) follows every minor release of that major version.

The same Dockerfile then builds against another runtime or distribution next month, in builder stages
too: a Go, Python or PHP minor release removes deprecated features, a new Alpine or Debian release
renames and drops packages, a database's next major release cannot read the old data directory. Name
the release line you test with, and move it on purpose; pin it by digest where builds must be
reproducible (see \`unpinned-digest\`).

The rule knows the release lines of Docker Hub's official images for Node.js, Python, Ruby, PHP,
Go, Rust, Perl, Elixir, Julia, Dart, Alpine, Debian, buildpack-deps, Ubuntu, Fedora, PostgreSQL,
Redis, MongoDB, MySQL, MariaDB, nginx, HAProxy, RabbitMQ, Docker and Nextcloud (also under a
per-architecture namespace such as \`arm64v8/\`, and through \`public.ecr.aws/docker/library/\` or a
Docker Hub mirror). Other images are not reported: a tag such as \`v1\` on another publisher's image
says nothing about how that project releases. Not reported either: \`latest\` and a missing tag (that
is \`latest-tag\`), a reference pinned by digest, a dated snapshot (\`debian:sid-20240612\`), a prefix of
a series that ended years ago (\`python:2\`, \`php:7\`) or a tag of a distribution release the images no
longer publish (\`rust:buster\`): neither moves any more; an image the project builds itself; an
image whose name comes from a build argument (\`FROM $BASE\`: the pipeline passes it); a builder stage
on a language image whose commands never use the language (\`FROM golang:alpine\` only to download and
unpack a file: the Go release does not matter there); a Dockerfile in a directory named for a moving
channel (\`debian/sid/\`, \`tip/\`, \`edge/\`), which builds that channel on purpose; and a development
or CI image or an example, which is rebuilt where it is used. A tag written with a build argument is
read with the argument's default (\`ARG GO=1\` then \`FROM golang:\${GO}-alpine\`).

No fix is offered: the tool does not know which release line the project builds with today.`,
  equivalents: {},
  examples: {
    invalid: [
      `FROM golang:alpine AS build
#           ^^^^^^ floating-tag
FROM alpine:3.20
`,
      `FROM python:3-slim
#           ^^^^^^ floating-tag
`,
      `FROM node:lts
#         ^^^ floating-tag
`,
      `FROM debian:sid-slim
#           ^^^^^^^^ floating-tag
`,
    ],
    valid: [
      `FROM golang:1.23-alpine AS build
FROM alpine:3.20
`,
      `FROM node:22-slim
`,
      `FROM debian:bookworm-slim
`,
      `FROM ubuntu:24.04
`,
      `FROM python:3@sha256:0a4eaa0eecf5f8c050e5bba433f58c052be7587ee8af3e8b3910ef9ab5fbe9f5
`,
      `FROM ghcr.io/acme/tool:v1
`,
    ],
  },
  check({ model, report }) {
    // A development or CI image (or an example) is rebuilt where it is used: a moving tag is its point.
    const role = model.shipped ? runtimeOf(model.shipped).role.kind : undefined;
    if (role === 'dev' || role === 'ci') return;
    const dirs = (model.path ?? '').toLowerCase().split(/[\\/]/).slice(0, -1);
    for (const use of imageUses(model)) {
      const ref = use.ref;
      if (!ref || ref.digest !== undefined || ref.tag === undefined || builtByProject(ref)) continue;
      // The image's name from a build argument (`FROM $BASE`, `FROM $REPO:1`): the pipeline passes the image.
      if (nameFromArgument(model, use.raw)) continue;
      const image = officialName(ref);
      const floating = image === undefined ? undefined : floatingTag(image, ref.tag);
      if (!floating) continue;
      // A Dockerfile in a directory named for a moving channel (debian/sid/, tip/) builds that channel on purpose.
      if (dirs.some((d) => d === floating.word || TRACKING_DIRS.has(d))) continue;
      if (use.where === 'FROM' && image && toolUnused(model, use.instr.stage, image)) continue;
      const written = `${ref.name}:${ref.tag}`;
      const defaults = hasVariable(use.raw, model.escapeChar) ? ' (its build arguments at their defaults)' : '';
      report({
        span: ref.tagSpan ?? ref.span,
        message: `${written}${defaults} follows ${floating.follows}: a rebuild can pull a different release than the one you tested. Name the release line you build with (${ref.name}:${floating.instead}): it still gets patches, without the jump.`,
      });
    }
  },
});
