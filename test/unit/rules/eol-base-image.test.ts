import * as assert from 'node:assert/strict';
import { EOL_COMPILED, EOL_PRODUCTS, EOL_RELEASES, type EolProduct } from '../../../server/src/model/eolData';
import { formatRows, replaceTable, rowsOf } from '../../../scripts/refresh-eol';
import { messages, ruleCases } from '../helpers';

const today = '2026-12-07';
const options = { today };

describe('eol-base-image', () => {
  ruleCases('eol-base-image', {
    valid: [
      {
        name: 'supported releases',
        code: 'FROM golang:1.26\nFROM node:24-alpine3.23\nFROM python:3.13-slim-trixie\nFROM debian:bookworm\n',
        options,
      },
      {
        name: 'supported systems',
        code: 'FROM ubuntu:24.04\nFROM alpine:3.22\nFROM registry.access.redhat.com/ubi9/ubi-minimal\n',
        options,
      },
      { name: 'floating tags name no release line', code: 'FROM python:3\nFROM node:lts\nFROM golang\nFROM debian:stable-slim\n', options },
      { name: 'latest and no tag', code: 'FROM alpine:latest\nFROM ubuntu\nFROM centos\n', options },
      { name: 'before the end of life', code: 'FROM node:14\n', options: { today: '2023-04-30' } },
      { name: "the openjdk image's early-access tags, which still move", code: 'FROM openjdk:28-ea-jdk-slim\n', options },
      { name: 'not an official image', code: 'FROM example/python:3.7\nFROM ghcr.io/acme/node:14\n', options },
      { name: 'an ARG without a default', code: 'ARG GO_VERSION\nFROM golang:${GO_VERSION}\n', options },
      { name: 'a release line the data does not list', code: 'FROM nginx:1.17-alpine\n', options },
    ],
    invalid: [
      {
        name: 'the cases of the issue',
        options,
        code: `FROM golang:1.15.6 AS go
#    ^^^^^^^^^^^^^ eol-base-image
FROM node:14 AS node
#    ^^^^^^^ eol-base-image
FROM python:3.7 AS py
#    ^^^^^^^^^^ eol-base-image
FROM debian:buster AS deb
#    ^^^^^^^^^^^^^ eol-base-image
FROM alpine:3.12 AS alp
#    ^^^^^^^^^^^ eol-base-image
FROM ubuntu:18.04
#    ^^^^^^^^^^^^ eol-base-image
`,
      },
      {
        name: 'suffixes, codenames, digests',
        options,
        code: `FROM debian:buster-20240101-slim AS a
#    ^^^^^^^^^^^^^^^^^^^^^^^^^^^ eol-base-image
FROM ubuntu:bionic-20230530 AS b
#    ^^^^^^^^^^^^^^^^^^^^^^ eol-base-image
FROM node:fermium-alpine AS c
#    ^^^^^^^^^^^^^^^^^^^ eol-base-image
FROM node:14.17-alpine AS d
#    ^^^^^^^^^^^^^^^^^ eol-base-image
FROM python:3.7@sha256:0000000000000000000000000000000000000000000000000000000000000000
#    ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ eol-base-image
`,
      },
      {
        name: 'an OS named after a supported runtime',
        options,
        code: `FROM node:lts-buster AS a
#    ^^^^^^^^^^^^^^^ eol-base-image
FROM rust:1.80-alpine3.12
#    ^^^^^^^^^^^^^^^^^^^^ eol-base-image
`,
      },
      {
        name: 'other products',
        options,
        code: `FROM mcr.microsoft.com/dotnet/sdk:6.0 AS a
#    ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ eol-base-image
FROM eclipse-temurin:19-jre AS b
#    ^^^^^^^^^^^^^^^^^^^^^^ eol-base-image
FROM postgres:9 AS c
#    ^^^^^^^^^^ eol-base-image
FROM centos:7 AS d
#    ^^^^^^^^ eol-base-image
FROM registry.access.redhat.com/ubi7/ubi:7.9 AS e
#    ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ eol-base-image
FROM nginx:1.25.3-alpine AS f
#    ^^^^^^^^^^^^^^^^^^^ eol-base-image
FROM redis:6.0 AS g
#    ^^^^^^^^^ eol-base-image
FROM redhat/ubi7-minimal AS h
#    ^^^^^^^^^^^^^^^^^^^ eol-base-image
FROM public.ecr.aws/docker/library/python:3.8-slim AS i
#    ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ eol-base-image
FROM ruby:2
#    ^^^^^^ eol-base-image
`,
      },
      {
        name: 'a builder stage and COPY --from',
        options,
        code: `FROM golang:1.19 AS build
#    ^^^^^^^^^^^ eol-base-image
COPY --from=php:7.4-cli /usr/local/bin/php /usr/local/bin/php
#           ^^^^^^^^^^^ eol-base-image
FROM scratch
COPY --from=build /app /app
`,
      },
    ],
  });

  it("reports the deprecated openjdk image's release tags, a supported Java line included", () => {
    const [m] = messages('eol-base-image', 'FROM openjdk:17-jdk-slim\n', options);
    assert.match(m, /^openjdk:17-jdk-slim: The openjdk image is deprecated: its release tags get no updates since July 2022\./);
    const [both] = messages('eol-base-image', 'FROM openjdk:24-jdk\n', options);
    assert.match(both, /Java 24 reached its end of life on .*The openjdk image is deprecated/);
  });

  it('names the date, the oldest supported release and the date of its data', () => {
    assert.deepEqual(messages('eol-base-image', 'FROM debian:buster\n', options), [
      `debian:buster: Debian 10 (buster) reached its end of life on 2024-06-30; it gets no security fixes. The oldest supported Debian release is 12 (bookworm). (End-of-life data of ${EOL_COMPILED}.)`,
    ]);
  });

  it('reports a tag once, naming every release in it that ended', () => {
    const [m] = messages('eol-base-image', 'FROM python:3.7-slim-buster\n', options);
    assert.match(m, /Python 3\.7 reached its end of life on 2023-06-27 and Debian 10 \(buster\) on 2024-06-30; they get/);
    assert.match(m, /oldest supported Python release is 3\.11; the oldest supported Debian release is 12/);
  });

  it('says where a version comes from an ARG default, and what a Go build stage ships', () => {
    const [m] = messages(
      'eol-base-image',
      'ARG GO_VERSION=1.15\nFROM golang:${GO_VERSION} AS build\nFROM scratch\nCOPY --from=build /app /app\n',
      options,
    );
    assert.match(m, /^golang:1\.15: Go 1\.15 reached/);
    assert.match(m, /default of ARG GO_VERSION, which a build argument may override/);
    assert.match(m, /build stage: binaries built here carry/);
  });

  it('lists the supported lines where newer ones ended before the oldest (odd Node.js majors)', () => {
    const [m] = messages('eol-base-image', 'FROM node:16\n', options);
    assert.match(m, /The oldest supported Node\.js release is 22, and the supported ones are 22, 24 and 26\./);
    assert.match(messages('eol-base-image', 'FROM centos:8\n', options)[0], /No CentOS Linux release is supported any more\./);
  });

  it('ignores tags that are not versions', () => {
    assert.deepEqual(
      messages('eol-base-image', 'FROM node:constructor\nFROM debian:sid\nFROM alpine:edge\nFROM ubuntu:devel\n', options),
      [],
    );
  });

  it('uses the date it is given: the same image is fine the day before its end', () => {
    assert.deepEqual(messages('eol-base-image', 'FROM ubuntu:18.04\n', { today: '2023-05-30' }), []);
    assert.equal(messages('eol-base-image', 'FROM ubuntu:18.04\n', { today: '2023-06-01' }).length, 1);
  });

  it('has valid, sorted data for every product', () => {
    assert.match(EOL_COMPILED, /^\d{4}-\d{2}-\d{2}$/);
    for (const product of Object.keys(EOL_PRODUCTS) as EolProduct[]) {
      const rows = EOL_RELEASES.filter((r) => r[0] === product);
      assert.ok(rows.length > 0, product);
      const cycles = rows.map((r) => r[1]);
      assert.equal(new Set(cycles).size, cycles.length, `${product}: a release line twice`);
      for (const [, cycle, eol] of rows) {
        assert.match(cycle, /^\d+(?:\.\d+)*$/, `${product} ${cycle}`);
        if (eol !== '') assert.ok(/^\d{4}-\d{2}-\d{2}$/.test(eol) && !Number.isNaN(Date.parse(eol)), `${product} ${cycle}: ${eol}`);
      }
      assert.deepEqual(
        rowsOf(
          product,
          rows.map(([, cycle, eol, codename]) => ({ cycle, eol: eol || false, codename })),
        ),
        rows,
        `${product}: newest first`,
      );
    }
  });

  it('refresh-eol: reads upstream cycles and rewrites only the table', () => {
    const rows = rowsOf('debian', [
      { cycle: '10', codename: 'Buster', eol: '2022-09-10', extendedSupport: '2024-06-30' },
      { cycle: '13', codename: 'Trixie', eol: false },
      { cycle: '1.1', codename: 'Buzz', eol: '1996-12-12' },
      { cycle: '12', eol: true },
    ]);
    assert.deepEqual(rows, [
      ['debian', '13', '', 'trixie'],
      ['debian', '10', '2024-06-30', 'buster'],
    ]);
    const source = "export const EOL_COMPILED = '2000-01-01';\nx = [\n  // BEGIN RELEASES\n  ['old'],\n  // END RELEASES\n];\n";
    assert.equal(
      replaceTable(source, rows, '2026-12-07'),
      `export const EOL_COMPILED = '2026-12-07';\nx = [\n  // BEGIN RELEASES\n${formatRows(rows)}\n  // END RELEASES\n];\n`,
    );
  });
});
