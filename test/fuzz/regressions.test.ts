/**
 * Inputs the large fuzz run (bench/fuzz.ts, 100,000 inputs) found, reduced to the lines that matter,
 * kept as tests: each must pass every property of properties.ts `check`, and the conversion must
 * refuse (with its reason) or succeed, never throw.
 */
import * as assert from 'node:assert/strict';
import { convertToScratch } from '../../server/src/convert/convert';
import { check } from './properties';

describe('fuzz findings', () => {
  const cases: { what: string; text: string; refused?: RegExp; converted?: RegExp }[] = [
    {
      what: "a go build whose continuation runs to the end of the file (the conversion's edits overlapped)",
      text: 'FROM golang:${GOLANG_VERSION}-alpine3.23 AS builder\nRUN CGO_ENABLED=0 go build -a -installsuffix cgo \\\n\t-ldflags "-s -w" \\',
      refused: /its edits would overlap/,
    },
    {
      what: 'the same after a go get, with a FROM that is no image reference',
      text: 'FROM ?ng:${GOLANG_VERSION}-alpine3.23 AS builder\nRUN go get . && \\\n    CGO_ENABLED=0 go build -a -installsuffix cgo \\\n\t-ldflags "-s -w" \\',
      refused: /its edits would overlap/,
    },
    {
      what: 'a --platform flag that swallowed the image (FROM names no image: the conversion threw)',
      text: 'FROM --platformdocker.io/library/golang:latest\nRUN eval "$(gimme "${GO_VERSION}")" \\\n    && CGO_ENABLED=0 GOARCH=$TARGETARCH go build -o ./kindnetd ./cmd/kindnetd \\',
      refused: /^the FROM line names no image$/,
    },
    {
      what: 'an apt-get install the conversion adds ca-certificates to (kept, with a word added)',
      text: 'FROM ubuntu:20.04\nRUN apt-get update && export DEBIAN_FRONTEND=noninteractive \\\n    && apt-get -y install curl\nRUN go build -o /out/app .\n',
      converted: /^RUN apt-get update && export DEBIAN_FRONTEND=noninteractive \\\n {4}&& apt-get -y install curl ca-certificates$/m,
    },
    {
      what: 'a heredoc left open at the end of the file (the appended scratch stage became part of its body)',
      text: 'FROM golang:1.26-alpine\nWORKDIR /code\nRUN go build -o bin/backend main.go\nRUN <<EOF\naddgroup -S docker\nCMD ["/code/bin/backend"]\n',
      refused: /would not read as a builder stage and a scratch stage/,
    },
  ];

  for (const c of cases) {
    it(c.what, async () => {
      const v = await check(c.text);
      assert.deepEqual(v, { ok: true });
      const converted = convertToScratch(c.text);
      if (c.refused) {
        assert.equal(converted.ok, false);
        assert.match((converted as { reason: string }).reason, c.refused);
      }
      if (c.converted) {
        assert.ok(converted.ok, JSON.stringify(converted));
        assert.match(converted.text, c.converted);
      }
    });
  }
});
