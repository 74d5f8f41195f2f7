import { todayOf } from '../engine/clock';
import { defineRule } from '../engine/rule';
import type { ImageRef } from '../model/imageRef';
import { displayName } from '../model/imageRef';
import { imageUses, type ImageUse } from '../model/imageUses';
import type { DockerfileModel } from '../model/model';
import { variableReferences } from '../model/variables';
import {
  compareVersions,
  EOL_COMPILED,
  EOL_PRODUCTS,
  EOL_RELEASES,
  NODE_CODENAMES,
  VERSIONED_IMAGES,
  type EolProduct,
} from '../model/eolData';

interface Release {
  product: EolProduct;
  cycle: string;
  eol: string;
  codename?: string;
}

const RELEASES = new Map<EolProduct, Release[]>();
for (const [product, cycle, eol, codename] of EOL_RELEASES) {
  const list = RELEASES.get(product) ?? [];
  list.push({ product, cycle, eol, codename });
  RELEASES.set(product, list);
}

/**
 * The release line a version names: the longest line it is in (`1.15.6` → 1.15, `8.0` → .NET 8),
 * or for a shorter version (`postgres:9`, `python:2`) the newest line under it, when a newer line
 * outside it exists (no new release can come under it). `python:3` is none: 3 is still open.
 */
function releaseOf(product: EolProduct, version: string): Release | undefined {
  const list = RELEASES.get(product) ?? [];
  let best: Release | undefined;
  for (const r of list)
    if ((version === r.cycle || version.startsWith(`${r.cycle}.`)) && (!best || r.cycle.length > best.cycle.length)) best = r;
  if (best) return best;
  const under = list.filter((r) => r.cycle.startsWith(`${version}.`)).sort((a, b) => compareVersions(b.cycle, a.cycle));
  if (!under.length || !list.some((r) => compareVersions(r.cycle, under[0].cycle) > 0 && !r.cycle.startsWith(`${version}.`)))
    return undefined;
  return under[0];
}

function byCodename(product: EolProduct, word: string): Release | undefined {
  return RELEASES.get(product)?.find((r) => r.codename === word);
}

/** The OS a tag's later words name: `alpine3.12`, a Debian or Ubuntu codename. */
function osRelease(word: string): Release | undefined {
  const alpine = /^alpine(\d+\.\d+)$/.exec(word);
  if (alpine) return releaseOf('alpine-linux', alpine[1]);
  return byCodename('debian', word) ?? byCodename('ubuntu', word);
}

/** The version a tag's first word gives for the image's product. */
function leadingRelease(product: EolProduct, first: string): Release | undefined {
  if (product === 'eclipse-temurin') {
    const m = /^(\d+)(?:$|[u.+_])/.exec(first); // 8u392-b08, 11.0.21_9, 17
    return m ? releaseOf(product, m[1]) : undefined;
  }
  if (product === 'nodejs' && Object.hasOwn(NODE_CODENAMES, first)) return releaseOf(product, NODE_CODENAMES[first]);
  if ((product === 'debian' || product === 'ubuntu') && /^[a-z]+$/.test(first)) return byCodename(product, first);
  const word = product === 'centos' ? first.replace(/^centos/, '') : first;
  const m = /^(\d+(?:\.\d+)*)(?:[a-z]+\d*)?$/.exec(word); // 1.15.6, 3.7, 1.21rc2, 7.9.2009
  return m ? releaseOf(product, product === 'centos' ? m[1].split('.')[0] : m[1]) : undefined;
}

/** Where registries serve Docker Hub's official images: Docker Hub itself and the mirrors that keep their names. */
const OFFICIAL_PREFIXES = new Map([
  ['docker.io', 'library/'],
  ['mirror.gcr.io', 'library/'],
  ['public.ecr.aws', 'docker/library/'],
]);

/** The name of a Docker Hub official image (`golang`), where the reference is one. */
function officialName(ref: ImageRef): string | undefined {
  const prefix = OFFICIAL_PREFIXES.get(ref.registry);
  return prefix && ref.repository.startsWith(prefix) ? ref.repository.slice(prefix.length) : undefined;
}

const FROZEN_OPENJDK =
  "The openjdk image is deprecated: its release tags get no updates since July 2022. Use a maintained build of the same Java release (eclipse-temurin, or a vendor's).";

/** A release tag of Docker Hub's deprecated openjdk image (its early-access tags still move). */
function frozenOpenjdk(ref: ImageRef): boolean {
  return officialName(ref) === 'openjdk' && !!ref.tag && !/(^|[-.])ea([-.]|$)/i.test(ref.tag);
}

/** The image's product, when the tag's first word carries its version. */
function productOf(ref: ImageRef): EolProduct | undefined {
  const official = officialName(ref);
  if (official) return Object.hasOwn(VERSIONED_IMAGES, official) ? VERSIONED_IMAGES[official] : undefined;
  if (ref.registry === 'docker.io' && ref.repository === 'nginxinc/nginx-unprivileged') return 'nginx';
  if (ref.registry === 'mcr.microsoft.com' && /^dotnet\/(?:core\/)?(?:sdk|aspnet|runtime|runtime-deps)$/.test(ref.repository))
    return 'dotnet';
  return undefined;
}

/** The RHEL major of a Universal Base Image (`ubi8/ubi-minimal`, Docker Hub's `redhat/ubi9`): its tag is not needed. */
function ubiVersion(ref: ImageRef): string | undefined {
  if (ref.registry === 'registry.access.redhat.com' || ref.registry === 'registry.redhat.io')
    return /^ubi(\d+)(?:[/-]|$)/.exec(ref.repository)?.[1];
  return ref.registry === 'docker.io' ? /^redhat\/ubi(\d+)(?:-[a-z]+)?$/.exec(ref.repository)?.[1] : undefined;
}

/** The ended-or-not release lines an image reference names, each once. */
function releasesOf(ref: ImageRef): Release[] {
  const ubi = ubiVersion(ref);
  if (ubi) {
    const r = releaseOf('rhel', ubi);
    return r ? [r] : [];
  }
  if (!ref.tag) return [];
  const product = productOf(ref);
  if (!product && !officialName(ref)) return [];
  const [first, ...rest] = ref.tag.toLowerCase().split('-');
  const out: Release[] = [];
  const lead = product && leadingRelease(product, first);
  if (lead) out.push(lead);
  for (const w of product ? rest : [first, ...rest]) {
    const r = osRelease(w);
    if (r && !out.includes(r)) out.push(r);
  }
  return out;
}

function label(r: Release): string {
  return `${EOL_PRODUCTS[r.product].name} ${r.cycle}${r.codename ? ` (${r.codename})` : ''}`;
}

function oldestSupported(product: EolProduct, today: string): string {
  const all = RELEASES.get(product) ?? [];
  const live = all.filter((r) => r.eol === '' || r.eol >= today).sort((a, b) => compareVersions(a.cycle, b.cycle));
  const { name } = EOL_PRODUCTS[product];
  if (!live.length) return `no ${name} release is supported any more`;
  const oldest = live[0];
  const text = `the oldest supported ${name} release is ${oldest.cycle}${oldest.codename ? ` (${oldest.codename})` : ''}`;
  // Where newer lines ended before it (Node.js's odd releases, Java's non-LTS ones), "or later" would mislead.
  const gaps = all.some((r) => !live.includes(r) && compareVersions(r.cycle, oldest.cycle) > 0);
  return gaps && live.length <= 8
    ? `${text}, and the supported ones are ${live
        .map((r) => r.cycle)
        .join(', ')
        .replace(/, ([^,]*)$/, ' and $1')}`
    : text;
}

/** What ended, when, and what is still supported. */
function describeEnded(ended: Release[], today: string): string {
  const [first, ...more] = ended;
  const oldest = [...new Set(ended.map((r) => r.product))].map((p) => oldestSupported(p, today)).join('; ');
  const when = `${label(first)} reached its end of life on ${first.eol}${more.map((r) => ` and ${label(r)} on ${r.eol}`).join('')}`;
  return `${when}; ${more.length ? 'they get' : 'it gets'} no security fixes. ${oldest[0].toUpperCase()}${oldest.slice(1)}.`;
}

/** What the image is used for, when that matters to the message. */
function context(model: DockerfileModel, use: ImageUse, ended: Release[]): string {
  const notes: string[] = [];
  const names = [...new Set(variableReferences(use.raw, model.escapeChar).map((v) => v.name))];
  if (names.length && use.ref?.substituted) {
    // A value the build gives (--build-arg, a Compose or Bake file) is the build's, not a default.
    const given = names.filter((n) => model.buildArgs && Object.prototype.hasOwnProperty.call(model.buildArgs, n));
    const defaults = names.filter((n) => !given.includes(n));
    if (given.length) notes.push(`The reference comes from the value the build gives ARG ${given.join(', ')}.`);
    if (defaults.length)
      notes.push(`The reference comes from the default of ARG ${defaults.join(', ')}, which a build argument may override.`);
  }
  const stage = model.stages.find((s) => s.from === use.instr);
  const builder = use.where === 'FROM' && stage && model.shipped && !model.shipped.chain.includes(stage);
  if (builder && ended.some((r) => EOL_PRODUCTS[r.product].toolchain))
    notes.push("This is a build stage: binaries built here carry that toolchain's unpatched standard library.");
  return notes.length ? ` ${notes.join(' ')}` : '';
}

export default defineRule({
  id: 'eol-base-image',
  severity: 'warning',
  summary: 'The image is a release that reached its end of life: it gets no security fixes.',
  rationale: `Every release line of a language runtime, an operating system or a server has an end of
life, after which no security fix is published for it: an image on \`debian:buster\`, \`node:14\` or
\`golang:1.15\` keeps its known vulnerabilities for good, and scanners report more of them every
month. Move to a supported release (test the build: a new major can change behaviour).

The rule knows the end-of-life dates of Go, Node.js, Python, Ruby, PHP, Java (Eclipse Temurin's
dates), .NET, Debian (LTS included), Ubuntu (standard support:
ESM needs Ubuntu Pro), Alpine, Fedora, CentOS Linux, Red Hat UBI, nginx, PostgreSQL and Redis, from
the endoflife.date project; the message gives the date of its data. It reads tags that name a
release line (\`python:3.7-slim-buster\`, \`node:14.17-alpine3.12\`, \`ubuntu:bionic\`), in every
stage (a Go binary built on an old toolchain ships its standard library) and in \`COPY --from\`,
also where the version is an ARG's default. Floating tags (\`python:3\`, \`node:lts\`, \`latest\`) name
no release line and are left alone, and so is a release line the data does not list (Java 7,
nginx's older mainline lines): the rule reports only what it has a date for.

Docker Hub's \`openjdk\` image is deprecated: since July 2022 its release tags get no updates
(only its early-access \`-ea\` tags go on), so every release tag of it is reported, a Java line that
is still supported elsewhere included. Move to a maintained build of the same Java release
(\`eclipse-temurin\`, or a vendor's).

A date is compared with today's (UTC). A CI job that wants the same verdict every day fixes it with
\`DOCKERFILE_HARDENER_TODAY=YYYY-MM-DD\`. The table lives in \`server/src/model/eolData.ts\`;
\`npx tsx scripts/refresh-eol.ts\` refreshes it from endoflife.date where a network is available.`,
  equivalents: {},
  examples: {
    options: { today: '2026-12-07' },
    invalid: [
      `FROM debian:buster-slim
#    ^^^^^^^^^^^^^^^^^^ eol-base-image
`,
      `ARG GO_VERSION=1.15
FROM golang:\${GO_VERSION} AS build
#    ^^^^^^^^^^^^^^^^^^^^ eol-base-image
RUN go build -o /app .

FROM gcr.io/distroless/static-debian12
COPY --from=build /app /app
`,
    ],
    valid: [
      `FROM python:3.13-slim-bookworm
`,
      `FROM node:lts-alpine
`,
    ],
  },
  check({ model, options, report }) {
    const today = todayOf(options);
    for (const use of imageUses(model)) {
      if (!use.ref) continue;
      const ended = releasesOf(use.ref).filter((r) => r.eol !== '' && r.eol < today);
      const frozen = frozenOpenjdk(use.ref);
      if (!ended.length && !frozen) continue;
      const name = `${displayName(use.ref)}${use.ref.tag ? `:${use.ref.tag}` : ''}`;
      const what = ended.length ? `${describeEnded(ended, today)}${frozen ? ` ${FROZEN_OPENJDK}` : ''}` : FROZEN_OPENJDK;
      report({
        span: use.span,
        message: `${name}: ${what}${context(model, use, ended)} (End-of-life data of ${EOL_COMPILED}.)`,
      });
    }
  },
});
