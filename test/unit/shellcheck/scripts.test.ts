/**
 * The scripts ShellCheck is given (server/src/shellcheck/scripts.ts): which RUNs, which text (as the
 * shell reads it), which dialect, which heredocs on their own, and which RUNs are left out and why.
 * No ShellCheck needed here.
 */
import * as assert from 'node:assert/strict';
import { DockerfileModel } from '../../../server/src/model/model';
import { scriptJobs } from '../../../server/src/shellcheck/scripts';

/** Each job as `dialect: text`, and each skipped RUN as `shell`. */
function read(text: string): { jobs: string[]; skipped: string[] } {
  const { jobs, skipped } = scriptJobs(new DockerfileModel(text));
  return { jobs: jobs.map((j) => `${j.dialect}: ${j.script.text}`), skipped: skipped.map((s) => s.shell) };
}

describe('shellcheck: the scripts of a Dockerfile', () => {
  describe('shell and exec form', () => {
    it('reads a shell-form RUN without its line continuations, after its flags', () => {
      assert.deepEqual(read('FROM alpine:3.20\nRUN --mount=type=cache,target=/c a \\\n  && b $X \\\n  # dropped\n  && c\n').jobs, [
        'sh: a   && b $X   && c',
      ]);
    });

    it('reads the script of an exec-form shell, decoded, in the dialect of that shell', () => {
      const text = 'FROM alpine:3.20\nRUN ["sh", "-c", "echo \\"$X\\""]\nRUN ["/bin/bash", "-o", "pipefail", "-ec", "a | b"]\n';
      assert.deepEqual(read(text).jobs, ['sh: echo "$X"', 'bash: a | b']);
    });

    it('has no script for an exec form that runs a program, and skips one that runs PowerShell', () => {
      const r = read('FROM alpine:3.20\nRUN ["go", "build", "."]\nRUN ["bash", "build.sh"]\nRUN ["pwsh", "-Command", "Get-Item"]\n');
      assert.deepEqual(r, { jobs: [], skipped: ['pwsh'] });
    });

    it('leaves out empty scripts', () => {
      assert.deepEqual(read('FROM alpine:3.20\nRUN ["sh", "-c", " "]\n').jobs, []);
    });

    it('drops the carriage returns of a CRLF file, keeping the map to the document', () => {
      const text = 'FROM alpine:3.20\r\nRUN cat <<EOF > /f \\\r\n && x\r\nbody\r\nEOF\r\n';
      const [job] = scriptJobs(new DockerfileModel(text)).jobs;
      assert.equal(job.script.text, 'cat <<EOF > /f  && x\nbody\nEOF');
      for (let i = 0; i < job.script.text.length; i++) assert.equal(text[job.script.at(i)], job.script.text[i], `character ${i}`);
    });

    it('keeps the ONBUILD RUN triggers', () => {
      const { jobs } = scriptJobs(new DockerfileModel('FROM alpine:3.20\nONBUILD RUN make $T\n'));
      assert.deepEqual(
        jobs.map((j) => [j.script.text, j.instr.onbuild]),
        [['make $T', true]],
      );
    });
  });

  describe('dialects', () => {
    it('follows the SHELL in effect at each RUN, through the stages a stage is built on', () => {
      const text = `FROM alpine:3.20 AS base
RUN a
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
RUN b
FROM base
RUN c
SHELL ["/usr/bin/env", "dash", "-c"]
RUN d
SHELL ["/bin/mksh", "-c"]
RUN e
FROM alpine:3.20
RUN f
`;
      assert.deepEqual(read(text).jobs, ['sh: a', 'bash: b', 'bash: c', 'dash: d', 'ksh: e', 'sh: f']);
    });

    it('reads the sh of Debian-family images as dash', () => {
      const text = 'FROM ubuntu:24.04\nRUN a\nRUN ["/bin/sh", "-c", "b"]\nSHELL ["bash", "-c"]\nRUN c\nFROM node:22-alpine\nRUN d\n';
      assert.deepEqual(read(text).jobs, ['dash: a', 'dash: b', 'bash: c', 'sh: d']);
    });

    it('runs ONBUILD triggers in the shell the image ends with', () => {
      assert.deepEqual(read('FROM alpine:3.20\nONBUILD RUN a\nSHELL ["bash", "-c"]\n').jobs, ['bash: a']);
    });

    it('skips the RUNs of shells ShellCheck does not read (zsh, PowerShell), naming them', () => {
      const text = 'FROM alpine:3.20\nSHELL ["/bin/zsh", "-c"]\nRUN a\nSHELL ["pwsh", "-Command"]\nRUN b\nSHELL ["sh", "-c"]\nRUN c\n';
      assert.deepEqual(read(text), { jobs: ['sh: c'], skipped: ['zsh', 'pwsh'] });
    });

    it('skips Windows stages: cmd without a SHELL, and the SHELL they name', () => {
      const text = `FROM mcr.microsoft.com/windows/servercore:ltsc2022
RUN echo %PATH%
RUN ["cmd", "/S", "/C", "dir"]
SHELL ["powershell", "-Command"]
RUN Get-ChildItem
FROM mcr.microsoft.com/windows/nanoserver:ltsc2022 AS n
SHELL ["bash", "-c"]
RUN ls
`;
      assert.deepEqual(read(text), { jobs: [], skipped: ['cmd', 'cmd', 'powershell', 'bash'] });
    });

    it('reads the backtick escape as Windows unless the base is a known Linux image', () => {
      assert.deepEqual(read('# escape=`\nFROM $BASE\nRUN dir\n'), { jobs: [], skipped: ['cmd'] });
      assert.deepEqual(read('# escape=`\nFROM alpine:3.20\nRUN a `\n  && b\n'), { jobs: ['sh: a   && b'], skipped: [] });
    });

    it('reads a file named for Windows as Windows when its base is not a known image', () => {
      const skipped = (path: string, text = 'ARG BASE\nFROM $BASE\nRUN dir\n') =>
        scriptJobs(new DockerfileModel(text, { path })).skipped.map((s) => s.shell);
      assert.deepEqual(skipped('images/Dockerfile_windows'), ['cmd']);
      assert.deepEqual(skipped('windows/ltsc2022/Dockerfile'), ['cmd']);
      assert.deepEqual(skipped('docker/Dockerfile.nanoserver'), ['cmd']);
      assert.deepEqual(skipped('twine/Dockerfile'), []);
      assert.deepEqual(skipped('images/Dockerfile_windows', 'FROM alpine:3.20\nRUN ls\n'), []);
    });
  });

  describe('heredocs', () => {
    it('checks a bare RUN <<EOF as its body alone, in the stage shell or the one its #! line names', () => {
      const text = `FROM alpine:3.20
RUN <<EOF
set -e
echo $X
EOF
RUN <<-EOF
	#!/usr/bin/env bash
	[[ -n $X ]]
	EOF
`;
      assert.deepEqual(read(text).jobs, ['sh: set -e\necho $X\n', 'bash: \t#!/usr/bin/env bash\n\t[[ -n $X ]]\n']);
    });

    it('skips a bare heredoc that another interpreter runs', () => {
      assert.deepEqual(read('FROM python:3.12\nRUN <<EOF\n#!/usr/bin/env python3\nprint(1)\nEOF\n'), { jobs: [], skipped: ['python3'] });
    });

    it('checks a heredoc a shell reads on its own, and the RUN with it', () => {
      const text = 'FROM alpine:3.20\nRUN bash <<EOF && rm -f /tmp/x\n[[ -f /x ]]\nEOF\n';
      assert.deepEqual(read(text).jobs, ['sh: bash <<EOF && rm -f /tmp/x\n[[ -f /x ]]\nEOF', 'bash: [[ -f /x ]]\n']);
    });

    it('checks a heredoc written to a file as part of its RUN only', () => {
      const text = 'FROM alpine:3.20\nRUN cat <<EOF > /etc/app.conf\nport=$PORT\nEOF\n';
      assert.deepEqual(read(text).jobs, ['sh: cat <<EOF > /etc/app.conf\nport=$PORT\nEOF']);
    });

    it('finds the heredoc scripts inside a heredoc script', () => {
      const text = 'FROM alpine:3.20\nRUN <<EOF\nbash <<IN\n[[ 1 ]]\nIN\nEOF\n';
      assert.deepEqual(read(text).jobs, ['sh: bash <<IN\n[[ 1 ]]\nIN\n', 'bash: [[ 1 ]]\n']);
    });
  });
});
