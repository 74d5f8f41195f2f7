/**
 * Where completion offers what (server/src/lsp/completion.ts `completionSpot`): the text an item
 * replaces is marked with a caret picture under the line, the cursor at `|`.
 */
import * as assert from 'node:assert/strict';
import { completionSpot } from '../../server/src/lsp/completion';
import { parseSettings } from '../../server/src/lsp/settings';

/** The spot at `|` as `kind image «replaced»`, or undefined. */
function spot(written: string): string | undefined {
  const character = written.indexOf('|');
  const line = written.replace('|', '');
  const s = completionSpot(line, character);
  if (!s) return undefined;
  const image =
    s.kind === 'stage' ? (s.fromCopy ? 'copy' : 'from') : `${s.name.registry}/${s.name.repository}${s.name.tag ? `:${s.name.tag}` : ''}`;
  return `${s.kind} ${image} «${line.slice(s.start, s.end)}» prefix=${s.prefix}`;
}

describe('completion spots', () => {
  it('a tag after FROM name:, with or without flags, replacing the whole tag', () => {
    assert.equal(spot('FROM golang:|'), 'tag docker.io/library/golang «» prefix=');
    assert.equal(spot('FROM golang:1.2|6 AS build'), 'tag docker.io/library/golang «1.26» prefix=1.2');
    assert.equal(spot('from --platform=$BUILDPLATFORM ghcr.io/org/app:v|'), 'tag ghcr.io/org/app «v» prefix=v');
    assert.equal(spot('FROM 127.0.0.1:5000/team/app:1|@sha256:ab'), 'tag 127.0.0.1:5000/team/app «1» prefix=1');
  });

  it('a tag in COPY --from=name: (an image)', () => {
    assert.equal(spot('COPY --chown=1:1 --from=alpine:3.|2 /a /b'), 'tag docker.io/library/alpine «3.2» prefix=3.');
  });

  it('a digest after name:tag@', () => {
    assert.equal(spot('FROM alpine:3.23@|'), 'digest docker.io/library/alpine:3.23 «» prefix=');
    assert.equal(spot('COPY --from=alpine:3.23@sha|256:0 / /'), 'digest docker.io/library/alpine:3.23 «sha256:0» prefix=sha');
    assert.equal(spot('FROM alpine@|'), undefined, 'no tag: nothing to resolve');
  });

  it('stage names where a name without tag is written', () => {
    assert.equal(spot('COPY --from=|'), 'stage copy «» prefix=');
    assert.equal(spot('COPY --from=bu|ild /a /b'), 'stage copy «build» prefix=bu');
    assert.equal(spot('FROM bu|'), 'stage from «bu» prefix=bu');
  });

  it('nothing elsewhere, for variables, or while a registry host is typed', () => {
    assert.equal(spot('RUN echo golang:|'), undefined);
    assert.equal(spot('FROM golang:1.26 AS |'), undefined);
    assert.equal(spot('FROM ${BASE}:|'), undefined);
    assert.equal(spot('FROM localhost:|'), undefined);
    assert.equal(spot('FROM 127.0.0.1:|'), undefined);
    assert.equal(spot('FROM registry.example.com/|'), undefined);
  });
});

describe('registry.lookups setting', () => {
  it('defaults to on; nested or flattened; anything but a boolean is reported and ignored', () => {
    assert.equal(parseSettings({}).registryLookups, true);
    assert.equal(parseSettings({ registry: { lookups: false } }).registryLookups, false);
    assert.equal(parseSettings({ 'registry.lookups': false }).registryLookups, false);
    const bad = parseSettings({ 'registry.lookups': 'no' });
    assert.deepEqual([bad.registryLookups, bad.problems], [true, ['registry.lookups: "no" is not true or false']]);
  });
});
