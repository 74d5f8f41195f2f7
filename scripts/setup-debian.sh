#!/usr/bin/env bash
# Installs, on Debian (12), the programs the test suite drives for real. Run as root, or with sudo
# available. Without them `npm test` still runs, and the tests that need a missing program skip
# with a message (under CI they fail instead).
#
# - The VS Code tests (test/vscode) run the real extension host: the VS Code server from npm
#   code-server (installed into .cache/vscode-host by the test runner, about 2 min), shown in
#   Debian's Chromium. Its install compiles native modules: g++, make, python3, pkg-config and the
#   Kerberos headers. fonts-dejavu-core gives the screenshots readable text. About 15 s.
# - The other LSP clients of test/editors: neovim (0.7.2; about 6 s) and emacs-nox with elpa-eglot
#   and elpa-dockerfile-mode (Emacs 28.2, eglot 1.9; about 15 s).
# - docker-registry (distribution 2.8, 5 MB; about 2 s) is the real OCI registry of the pinning tests
#   (test/registry, test/protocol/pin, test/cli/pin, test/vscode/suite/pin): they start it on
#   127.0.0.1 with a random port themselves. The package may start a system service on :5000 with
#   htpasswd auth; it is stopped, the tests never use it.
# - buildah 1.28, podman 4.3, runc, debootstrap and dpkg-dev (about 15 s) build and run the images of
#   test/e2e, whose stand-in base images (Debian, Python, Node.js, nginx, Go, distroless) are made with
#   debootstrap from the Debian mirror, with an offline apt repository indexed by dpkg-scanpackages
#   (test/e2e/base-images.sh, into .cache/e2e, about 2 min from nothing); containers run with runc.
# - shellcheck (0.9.0) checks RUN scripts, as the CLI and the server run it when it is installed
#   (test/unit/shellcheck, test/cli); about 2 s.
# - libxml2-utils (xmllint, libxml2 2.9) validates the CLI's checkstyle and junit XML against their
#   XSDs (test/cli/ciFormats.test.ts); about 1 s.
# - curl, wget and busybox-static (BusyBox 1.35: its sh, tar and sha256sum stand for Alpine's) run
#   the commands download-without-checksum's fix writes, against a loopback server
#   (test/e2e/downloadCheck.test.ts); about 1 s.
# - pre-commit (3.0.4, with nodeenv) installs and runs the repository's pre-commit hook in a
#   temporary repository (test/package/precommit.test.ts); about 5 s.
set -euo pipefail
SUDO=
if [ "$(id -u)" != 0 ]; then SUDO=sudo; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core libkrb5-dev g++ make python3 pkg-config \
  neovim emacs-nox elpa-eglot elpa-dockerfile-mode docker-registry buildah podman runc debootstrap dpkg-dev shellcheck libxml2-utils \
  curl wget busybox-static pre-commit >/dev/null
$SUDO invoke-rc.d docker-registry stop >/dev/null 2>&1 || true
