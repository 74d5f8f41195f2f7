import * as assert from 'node:assert/strict';
import { lint } from '../../../server/src/linter/lint';
import { floatingTag } from '../../../server/src/rules/floating-tag';
import { messages, ruleCases } from '../helpers';

describe('floating-tag', () => {
  ruleCases('floating-tag', {
    invalid: [
      {
        name: 'a variant alone: golang:alpine in a builder stage',
        code: `FROM golang:alpine AS build
#           ^^^^^^ floating-tag
RUN go build -o /app .
FROM alpine:3.20
COPY --from=build /app /app
`,
      },
      {
        name: 'node:slim',
        code: `FROM node:slim
#         ^^^^ floating-tag
`,
      },
      {
        name: 'channels: lts, stable, current, rolling, edge, sid, testing',
        code: `FROM node:lts AS web
#         ^^^ floating-tag
FROM debian:stable-slim AS a
#           ^^^^^^^^^^^ floating-tag
FROM node:current-alpine AS b
#         ^^^^^^^^^^^^^^ floating-tag
FROM ubuntu:rolling AS c
#           ^^^^^^^ floating-tag
FROM alpine:edge AS d
#           ^^^^ floating-tag
FROM debian:sid-slim AS e
#           ^^^^^^^^ floating-tag
FROM debian:testing AS f
#           ^^^^^^^ floating-tag
`,
      },
      {
        name: 'version prefixes above the release line: python:3, golang:1, alpine:3, ruby:3, php:8',
        code: `FROM python:3 AS a
#           ^ floating-tag
FROM golang:1 AS b
#           ^ floating-tag
FROM alpine:3 AS c
#           ^ floating-tag
FROM ruby:3 AS d
#         ^ floating-tag
FROM php:8-apache
#        ^^^^^^^^ floating-tag
`,
      },
      {
        name: 'a variant of a server image, and nginx channels',
        code: `FROM postgres:alpine AS db
#             ^^^^^^ floating-tag
FROM nginx:mainline-alpine
#          ^^^^^^^^^^^^^^^ floating-tag
`,
      },
      {
        name: 'in COPY --from and through a per-architecture namespace or a mirror',
        code: `FROM arm64v8/python:3-slim AS a
#                   ^^^^^^ floating-tag
FROM public.ecr.aws/docker/library/node:lts-alpine AS b
#                                       ^^^^^^^^^^ floating-tag
FROM alpine:3.20
COPY --from=golang:alpine /usr/local/go /usr/local/go
#                  ^^^^^^ floating-tag
`,
      },
      {
        name: 'a tag from a build argument, read with its default',
        code: `ARG GO=1
FROM golang:\${GO}-alpine AS build
#    ^^^^^^^^^^^^^^^^^^^ floating-tag
RUN go build -o /app .
FROM alpine:3.20
COPY --from=build /app /app
`,
      },
    ],
    valid: [
      { name: 'release lines', code: 'FROM node:22 AS a\nFROM python:3.12-slim AS b\nFROM golang:1.23-alpine AS c\nFROM alpine:3.20\n' },
      {
        name: 'distribution releases',
        code: 'FROM debian:bookworm-slim AS a\nFROM debian:12 AS b\nFROM ubuntu:24.04 AS c\nFROM ubuntu:noble\n',
      },
      { name: 'full versions', code: 'FROM python:3.12.4-alpine3.20 AS a\nFROM node:22.4.1\n' },
      { name: 'a release line named by codename (node LTS)', code: 'FROM node:iron-alpine\n' },
      {
        name: 'pinned by digest',
        code: 'FROM python:3@sha256:0a4eaa0eecf5f8c050e5bba433f58c052be7587ee8af3e8b3910ef9ab5fbe9f5\n',
      },
      { name: 'latest and no tag are latest-tag cases', code: 'FROM golang:latest AS a\nFROM node\n' },
      { name: 'an image the tool does not know the releases of', code: 'FROM ghcr.io/acme/tool:v1 AS a\nFROM acme/app:stable\n' },
      { name: 'an image the project builds', code: 'FROM myproject-base:3\n' },
      { name: 'a dated snapshot', code: 'FROM debian:sid-20240612-slim AS a\nFROM alpine:20240606\n' },
      { name: 'a series that ended (python 2, php 7)', code: 'FROM python:2 AS a\nFROM php:7-apache\n' },
      { name: 'a retired distribution variant, frozen', code: 'FROM rust:buster AS a\nFROM node:lts-buster-slim\n' },
      { name: 'the image name from a build argument', code: 'ARG BASE=nginx:mainline\nFROM $BASE\n' },
      { name: 'a tag from a build argument without a default', code: 'ARG TAG\nFROM python:${TAG}\n' },
      {
        name: 'a builder on a language image that only uses its shell',
        code: `FROM golang:alpine AS fetch
RUN apk add --no-cache curl && curl -fsSLo /tool.tgz https://example.com/tool.tgz && tar -xzf /tool.tgz -C /
FROM debian:12-slim
COPY --from=fetch /tool /usr/local/bin/tool
`,
      },
      {
        name: 'a development image',
        code: 'FROM python:3\nRUN pip install -r requirements.txt\n',
        options: { path: '.devcontainer/Dockerfile' },
      },
      {
        name: 'a Dockerfile that builds a channel on purpose (debian/sid/)',
        code: 'FROM buildpack-deps:sid-curl\n',
        options: { path: 'debian/sid/scm/Dockerfile' },
      },
    ],
  });

  it('says what the tag follows and suggests a release-line tag', () => {
    assert.deepEqual(messages('floating-tag', 'FROM python:3-slim\n'), [
      'python:3-slim follows every Python 3 release, minor releases included: a rebuild can pull a different release than the one you tested. Name the release line you build with (python:3.<minor>-slim): it still gets patches, without the jump.',
    ]);
    assert.match(messages('floating-tag', 'FROM golang:alpine\n')[0], /follows the newest Go release.*\(golang:1\.<minor>-alpine\)/);
    assert.match(messages('floating-tag', 'FROM debian:sid\n')[0], /unstable branch, which changes every day.*\(debian:<codename>\)/);
    assert.match(messages('floating-tag', 'ARG V=3\nFROM python:${V}\n')[0], /^python:3 \(its build arguments at their defaults\) follows/);
  });

  it('does not double-report what latest-tag reports', () => {
    const text = 'FROM node\nFROM golang:latest\n';
    const ids = lint(text, { only: ['floating-tag', 'latest-tag'], rules: { 'latest-tag': 'warning' } }).findings.map((f) => f.rule);
    assert.deepEqual(ids, ['latest-tag', 'latest-tag']);
  });

  it('classifies tags per image', () => {
    const moves = (image: string, tag: string) => floatingTag(image, tag) !== undefined;
    for (const [image, tag] of [
      ['php', 'fpm-alpine'],
      ['mysql', '8'],
      ['mysql', 'lts'],
      ['mariadb', '11'],
      ['buildpack-deps', 'scm'],
      ['nextcloud', 'apache'],
      ['docker', 'dind'],
      ['redis', 'alpine'],
      ['rabbitmq', 'management-alpine'],
      ['rust', '1-slim'],
      ['fedora', 'rawhide'],
    ])
      assert.ok(moves(image, tag), `${image}:${tag}`);
    for (const [image, tag] of [
      ['postgres', '16-alpine'],
      ['redis', '7'],
      ['mysql', '8.4'],
      ['mariadb', '10'],
      ['debian', 'trixie'],
      ['ubuntu', 'jammy'],
      ['buildpack-deps', 'bookworm-scm'],
      ['docker', '27-dind'],
      ['rabbitmq', '3-management'],
      ['nginx', '1.27-alpine'],
      ['alpine', '3.20.1'],
      ['node', 'jod'],
      ['tomcat', '10'],
    ])
      assert.ok(!moves(image, tag), `${image}:${tag}`);
  });
});
