#!/usr/bin/env bash
# A local Go base image for test/e2e/scratch-build.test.ts, which has no registry to pull
# `golang:<tag>` from: Debian minbase (the host's release, from the host's Debian mirror) with Debian's
# Go, gcc, libc6-dev, ca-certificates and adduser, which Docker Hub's golang image has too, configured
# like that image (GOPATH=/go, WORKDIR /go), imported with podman as localhost/golang:<tag> into an
# image store of its own that the test mounts read-only (storage.conf additionalimagestores).
#
#   scripts/go-base-image.sh DIR
#
# Makes DIR/store and prints the image's name (localhost/golang:1.19 on Debian 12). Made once: while
# this script, the release and the mirror are the same, a later run prints the name and reuses it.
# Needs root, debootstrap, podman and the Debian mirror (HARDENER_DEBIAN_MIRROR overrides the one
# read from /etc/apt/sources.list*). Measured here: about 100 s (debootstrap about 40 s, apt-get about
# 20 s, podman import about 30 s, deleting the root file system about 10 s); the store takes about
# 810 MB, the root file system about 1.1 GB more while this runs.
set -euo pipefail
dir=${1:?usage: scripts/go-base-image.sh DIR}
log() { echo "go-base-image: [${SECONDS} s] $*" >&2; }

# shellcheck source=/dev/null
. /etc/os-release
suite=${VERSION_CODENAME:?no VERSION_CODENAME in /etc/os-release}

# The host's mirror for its own release: a deb822 stanza or a one-line entry whose suite is exactly
# the codename (not -updates or -security, nor a third-party repository).
host_mirror() {
  local f
  for f in /etc/apt/sources.list.d/*.sources; do
    [[ -f $f ]] || continue
    awk -v suite="$suite" 'BEGIN { RS = ""; FS = "\n" }
      {
        types = ""; uris = ""; suites = ""; enabled = "yes"
        for (i = 1; i <= NF; i++) {
          line = $i
          if (line ~ /^[ \t]*#/) continue
          if (line ~ /^Types:/) types = " " substr(line, 7) " "
          else if (line ~ /^URIs:/) uris = substr(line, 6)
          else if (line ~ /^Suites:/) suites = " " substr(line, 8) " "
          else if (line ~ /^Enabled:/) enabled = substr(line, 9)
        }
        gsub(/[ \t]+/, " ", types); gsub(/[ \t]+/, " ", suites); gsub(/[ \t]/, "", enabled)
        if (enabled != "no" && types ~ / deb / && suites ~ (" " suite " ")) { split(uris, u, " "); for (k in u) if (u[k] != "") { print u[k]; exit } }
      }' "$f"
  done
  cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
    sed -e 's/#.*//' -e 's/\[[^]]*\]//' |
    awk -v suite="$suite" '$1 == "deb" && $3 == suite { print $2 }'
}
mirror=${HARDENER_DEBIAN_MIRROR:-}
[[ -n $mirror ]] || mirror=$(host_mirror 2>/dev/null | head -n 1) || true
mirror=${mirror:-http://deb.debian.org/debian}

stamp="$(sha256sum "$0" | cut -c1-16) $suite $mirror"
ready() { [[ -f $dir/image && -d $dir/store && "$(cat "$dir/stamp" 2>/dev/null)" == "$stamp" ]]; }
if ready; then
  cat "$dir/image"
  exit 0
fi

mkdir -p "$dir"
# One run at a time per folder; what a killed run left is deleted (never while something is mounted).
exec 9>"$dir/lock"
flock 9
if ready; then
  cat "$dir/image"
  exit 0
fi
mounted_under() { findmnt -rn -o TARGET | grep -F "$1/" | sort -r || true; }
for old in "$dir"/work.* "$dir/store"; do
  if [[ -e $old && -z "$(mounted_under "$old")" ]]; then rm -rf "$old"; fi
done
rm -f "$dir/stamp" "$dir/image"
work=$(mktemp -d "$dir/work.XXXXXX")
rootfs=$work/rootfs

cleanup() {
  local m
  for m in $(mounted_under "$work"); do umount "$m" || umount -l "$m" || true; done
  if [[ -n "$(mounted_under "$work")" ]]; then
    log "still mounted under $work: not deleting it"
  else
    rm -rf "$work"
  fi
}
trap cleanup EXIT
trap 'exit 143' TERM
trap 'exit 130' INT

log "debootstrap --variant=minbase $suite from $mirror"
debootstrap --variant=minbase "$suite" "$rootfs" "$mirror" >"$work/debootstrap.log" 2>&1 || {
  tail -n 30 "$work/debootstrap.log" >&2
  exit 1
}

log "apt-get install golang-go ca-certificates adduser gcc libc6-dev"
mount -t proc proc "$rootfs/proc"
chroot "$rootfs" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive sh -c '
  apt-get update -qq &&
  apt-get install -y -qq --no-install-recommends golang-go ca-certificates adduser gcc libc6-dev &&
  apt-get clean' >"$work/apt.log" 2>&1 || {
  tail -n 30 "$work/apt.log" >&2
  exit 1
}
umount "$rootfs/proc"
rm -rf "$rootfs"/var/lib/apt/lists/*
: >"$rootfs/etc/resolv.conf"
mkdir -p "$rootfs/go/src" "$rootfs/go/bin"
chmod -R 1777 "$rootfs/go"

# The tag: Go's major.minor, as Docker Hub tags golang (go1.19.8 → 1.19).
version=$(chroot "$rootfs" /usr/bin/go version | sed -E 's/^go version go([0-9]+\.[0-9]+).*/\1/')
[[ $version =~ ^[0-9]+\.[0-9]+$ ]] || { log "cannot read the Go version: $version"; exit 1; }
image=localhost/golang:$version

log "podman import $image"
mkdir -p "$work/run" "$work/libpod" "$work/tmp"
printf '[engine]\ntmp_dir = "%s"\n' "$work/libpod" >"$work/containers.conf"
printf '[storage]\ndriver = "overlay"\ngraphroot = "%s"\nrunroot = "%s"\n' "$dir/store" "$work/run" >"$work/storage.conf"
tar -C "$rootfs" --numeric-owner -cf - . |
  CONTAINERS_CONF=$work/containers.conf CONTAINERS_STORAGE_CONF=$work/storage.conf TMPDIR=$work/tmp \
    podman import \
    --change 'ENV GOPATH=/go' \
    --change 'ENV PATH=/go/bin:/usr/local/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'WORKDIR /go' \
    --change 'CMD ["/bin/bash"]' \
    - "$image" >"$work/import.log" 2>&1 || {
  tail -n 30 "$work/import.log" >&2
  exit 1
}
echo "$image" >"$dir/image"
echo "$stamp" >"$dir/stamp"
log "made $image"
echo "$image"
