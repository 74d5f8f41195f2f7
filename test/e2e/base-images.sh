#!/usr/bin/env bash
# Stand-in base images for the image tests (test/e2e), which have no registry to pull from: built
# from Debian (the host's release, from the host's Debian mirror) and imported with podman under the
# names the test Dockerfiles use, into an image store of their own that the tests mount read-only
# (storage.conf additionalimagestores). Each is configured like the image it stands in for, where that
# matters to what the tests check (users, entrypoints, commands, config paths):
#
#   docker.io/library/debian:bookworm-slim, :12-slim   Debian minbase; apt installs from an offline
#   localhost/acme/base:1                              repository in /srv/apt-offline (gosu, curl,
#                                                      ca-certificates, libcap2-bin and what they need)
#   docker.io/library/python:3.12-slim                 + python3 and pip (Debian's: installs need
#                                                      --break-system-packages), CMD python3
#   docker.io/library/node:22-bookworm-slim            + nodejs, the node user (uid 1000), CMD node
#   docker.io/library/nginx:1.27                       + nginx and curl as the official image sets them
#                                                      up: user nginx (101), /etc/nginx/conf.d, port 80
#   docker.io/nginxinc/nginx-unprivileged:1.27         the same on port 8080, pid and temp files in
#                                                      /tmp, USER 101
#   docker.io/library/golang:1.19, localhost/golang:1.19  Debian's Go, gcc, libc6-dev, ca-certificates,
#                                                      adduser; GOPATH=/go, WORKDIR /go
#   gcr.io/distroless/static-debian12:latest, :latest-amd64, :nonroot, :nonroot-amd64
#                                                      passwd/group (root, nobody, nonroot 65532), the CA
#                                                      bundle, /tmp; USER 65532 for the nonroot tags
#
#   test/e2e/base-images.sh DIR
#
# Makes DIR/store and prints the images' names, one per line. Made once: while this script, the
# release and the mirror are the same, a later run prints the names and reuses the store. Needs root,
# debootstrap, podman, dpkg-scanpackages (dpkg-dev) and the Debian mirror (HARDENER_DEBIAN_MIRROR
# overrides the one read from /etc/apt/sources.list*). Measured here: about 3 min from nothing
# (debootstrap about 30 s, each image's packages 5 to 20 s, the imports about 60 s); the store takes
# about 1.3 GB.
set -euo pipefail
dir=${1:?usage: test/e2e/base-images.sh DIR}
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
log() { echo "base-images: [${SECONDS} s] $*" >&2; }

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
ready() { [[ -f $dir/images && -d $dir/store && "$(cat "$dir/stamp" 2>/dev/null)" == "$stamp" ]]; }
if ready; then
  cat "$dir/images"
  exit 0
fi

mkdir -p "$dir"
# One run at a time per folder; what a killed run left is deleted (never while something is mounted).
exec 9>"$dir/lock"
flock 9
if ready; then
  cat "$dir/images"
  exit 0
fi
mounted_under() { findmnt -rn -o TARGET | grep -F "$1/" | sort -r || true; }
for old in "$dir"/work.* "$dir/store"; do
  if [[ -e $old && -z "$(mounted_under "$old")" ]]; then rm -rf "$old"; fi
done
rm -f "$dir/stamp" "$dir/images"
work=$(mktemp -d "$dir/work.XXXXXX")

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

in_root() { # ROOTFS SCRIPT: runs SCRIPT with sh in the root file system, /proc mounted
  local root=$1
  shift
  mount -t proc proc "$root/proc"
  local status=0
  chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive HOME=/root sh -ec "$1" >>"$work/chroot.log" 2>&1 || status=$?
  umount "$root/proc"
  if [[ $status != 0 ]]; then
    tail -n 30 "$work/chroot.log" >&2
    exit 1
  fi
}

log "debootstrap --variant=minbase $suite from $mirror"
debootstrap --variant=minbase "$suite" "$work/minbase" "$mirror" >"$work/debootstrap.log" 2>&1 || {
  tail -n 30 "$work/debootstrap.log" >&2
  exit 1
}
# The chroots resolve the mirror's name as the host does; the images get an empty resolv.conf.
cp /etc/resolv.conf "$work/minbase/etc/resolv.conf"
in_root "$work/minbase" 'apt-get update -qq'

# The offline repository: the .debs of what test Dockerfiles install, with what they depend on and
# recommend (curl's libcurl4 recommends ca-certificates: the apt-recommends test needs that).
log "offline apt repository"
cp -a "$work/minbase" "$work/repo-root"
in_root "$work/repo-root" 'apt-get install -y -qq --download-only gosu curl ca-certificates libcap2-bin'
mkdir -p "$work/apt-offline"
cp "$work/repo-root"/var/cache/apt/archives/*.deb "$work/apt-offline/"
(cd "$work/apt-offline" && dpkg-scanpackages -m . >Packages 2>/dev/null)
rm -rf "$work/repo-root"

# A root file system from minbase with PACKAGES installed and SCRIPT run, made ready to import: the
# offline repository as its only apt source, no lists, no caches.
rootfs() { # NAME PACKAGES SCRIPT
  local root=$work/$1
  cp -a "$work/minbase" "$root"
  in_root "$root" "${2:+apt-get install -y -qq --no-install-recommends $2; }${3:-true}; apt-get clean"
  rm -rf "$root"/var/lib/apt/lists/* "$root"/srv/apt-offline
  mkdir -p "$root/srv"
  cp -a "$work/apt-offline" "$root/srv/apt-offline"
  echo 'deb [trusted=yes] file:/srv/apt-offline ./' >"$root/etc/apt/sources.list"
  rm -f "$root"/etc/apt/sources.list.d/*
  : >"$root/etc/resolv.conf"
}

mkdir -p "$work/run" "$work/libpod" "$work/tmp"
printf '[engine]\ntmp_dir = "%s"\n' "$work/libpod" >"$work/containers.conf"
printf '[storage]\ndriver = "overlay"\ngraphroot = "%s"\nrunroot = "%s"\n' "$dir/store" "$work/run" >"$work/storage.conf"
pm() { CONTAINERS_CONF=$work/containers.conf CONTAINERS_STORAGE_CONF=$work/storage.conf TMPDIR=$work/tmp podman "$@"; }
names=()
import() { # ROOTFS NAME [MORE NAMES…] -- [--change …]
  local root=$1 name=$2
  shift 2
  local more=()
  while [[ $# -gt 0 && $1 != -- ]]; do more+=("$1"); shift; done
  shift || true
  log "podman import $name"
  tar -C "$root" --numeric-owner -cf - . | pm import --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' "$@" - "$name" >>"$work/import.log" 2>&1 || {
    tail -n 30 "$work/import.log" >&2
    exit 1
  }
  names+=("$name")
  local m
  for m in "${more[@]}"; do
    pm tag "$name" "$m" >>"$work/import.log" 2>&1
    names+=("$m")
  done
}

log "debian"
rootfs debian '' ''
import "$work/debian" docker.io/library/debian:bookworm-slim docker.io/library/debian:12-slim localhost/acme/base:1 -- --change 'CMD ["bash"]'
rm -rf "$work/debian"

log "python"
rootfs python 'python3 python3-pip' 'ln -s python3 /usr/bin/python'
import "$work/python" docker.io/library/python:3.12-slim -- --change 'CMD ["python3"]'
rm -rf "$work/python"

log "node"
rootfs node 'nodejs' 'groupadd --gid 1000 node && useradd --uid 1000 --gid node --shell /bin/bash --create-home node'
import "$work/node" docker.io/library/node:22-bookworm-slim -- --change 'CMD ["node"]'
rm -rf "$work/node"

log "nginx"
rootfs nginx 'nginx curl ca-certificates' '
  groupadd --system --gid 101 nginx
  useradd --system --gid nginx --no-create-home --home /nonexistent --shell /bin/false --uid 101 nginx
  rm -rf /etc/nginx/sites-enabled /etc/nginx/sites-available /etc/nginx/conf.d /var/www/html
  mkdir -p /etc/nginx/conf.d /usr/share/nginx/html /var/cache/nginx /docker-entrypoint.d
  echo "<h1>Welcome to nginx!</h1>" >/usr/share/nginx/html/index.html
  ln -sf /dev/stdout /var/log/nginx/access.log
  ln -sf /dev/stderr /var/log/nginx/error.log
  printf "%s\n" "#!/bin/sh" "set -e" "exec \"\$@\"" >/docker-entrypoint.sh
  chmod 755 /docker-entrypoint.sh'
cp -a "$work/nginx" "$work/nginx-unprivileged"
cat >"$work/nginx/etc/nginx/nginx.conf" <<'CONF'
user  nginx;
worker_processes  1;
error_log  /var/log/nginx/error.log notice;
pid        /var/run/nginx.pid;
events { worker_connections 1024; }
http {
    include       /etc/nginx/mime.types;
    default_type  application/octet-stream;
    access_log    /var/log/nginx/access.log;
    client_body_temp_path /var/cache/nginx/client_temp;
    proxy_temp_path       /var/cache/nginx/proxy_temp;
    fastcgi_temp_path     /var/cache/nginx/fastcgi_temp;
    uwsgi_temp_path       /var/cache/nginx/uwsgi_temp;
    scgi_temp_path        /var/cache/nginx/scgi_temp;
    include /etc/nginx/conf.d/*.conf;
}
CONF
printf '%s\n' 'server {' '    listen 80;' '    server_name localhost;' '    location / { root /usr/share/nginx/html; index index.html; }' '}' >"$work/nginx/etc/nginx/conf.d/default.conf"
import "$work/nginx" docker.io/library/nginx:1.27 -- --change 'ENTRYPOINT ["/docker-entrypoint.sh"]' --change 'CMD ["nginx", "-g", "daemon off;"]' --change 'EXPOSE 80' --change 'STOPSIGNAL SIGQUIT'
rm -rf "$work/nginx"

# As nginxinc/nginx-unprivileged changes the official image: no user directive, port 8080, the pid
# file and temporary files where uid 101 may write.
cat >"$work/nginx-unprivileged/etc/nginx/nginx.conf" <<'CONF'
worker_processes  1;
error_log  /var/log/nginx/error.log notice;
pid        /tmp/nginx.pid;
events { worker_connections 1024; }
http {
    include       /etc/nginx/mime.types;
    default_type  application/octet-stream;
    access_log    /var/log/nginx/access.log;
    client_body_temp_path /tmp/client_temp;
    proxy_temp_path       /tmp/proxy_temp_path;
    fastcgi_temp_path     /tmp/fastcgi_temp;
    uwsgi_temp_path       /tmp/uwsgi_temp;
    scgi_temp_path        /tmp/scgi_temp;
    include /etc/nginx/conf.d/*.conf;
}
CONF
printf '%s\n' 'server {' '    listen 8080;' '    server_name localhost;' '    location / { root /usr/share/nginx/html; index index.html; }' '}' >"$work/nginx-unprivileged/etc/nginx/conf.d/default.conf"
chown -R 101:0 "$work/nginx-unprivileged/var/cache/nginx" "$work/nginx-unprivileged/etc/nginx/conf.d"
import "$work/nginx-unprivileged" docker.io/nginxinc/nginx-unprivileged:1.27 -- --change 'ENTRYPOINT ["/docker-entrypoint.sh"]' --change 'CMD ["nginx", "-g", "daemon off;"]' --change 'EXPOSE 8080' --change 'STOPSIGNAL SIGQUIT' --change 'USER 101'
rm -rf "$work/nginx-unprivileged"

log "golang"
rootfs golang 'golang-go ca-certificates adduser gcc libc6-dev' 'mkdir -p /go/src /go/bin && chmod -R 1777 /go'
# The tag: Go's major.minor, as Docker Hub tags golang (go1.19.8 → 1.19).
version=$(chroot "$work/golang" /usr/bin/go version | sed -E 's/^go version go([0-9]+\.[0-9]+).*/\1/')
[[ $version =~ ^[0-9]+\.[0-9]+$ ]] || { log "cannot read the Go version: $version"; exit 1; }
cp "$work/golang/etc/ssl/certs/ca-certificates.crt" "$work/ca-certificates.crt"
import "$work/golang" "localhost/golang:$version" "docker.io/library/golang:$version" -- \
  --change 'ENV GOPATH=/go' \
  --change 'ENV PATH=/go/bin:/usr/local/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'WORKDIR /go' \
  --change 'CMD ["/bin/bash"]'
rm -rf "$work/golang"

log "distroless static"
d=$work/distroless
mkdir -p "$d/etc/ssl/certs" "$d/tmp" "$d/home/nonroot" "$d/root"
printf '%s\n' 'root:x:0:0:root:/root:/sbin/nologin' 'nobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin' 'nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin' >"$d/etc/passwd"
printf '%s\n' 'root:x:0:' 'nobody:x:65534:' 'tty:x:5:' 'staff:x:50:' 'nonroot:x:65532:' >"$d/etc/group"
cp "$work/ca-certificates.crt" "$d/etc/ssl/certs/ca-certificates.crt"
chmod 1777 "$d/tmp"
chmod 700 "$d/root"
chown 65532:65532 "$d/home/nonroot"
import "$d" gcr.io/distroless/static-debian12:latest gcr.io/distroless/static-debian12:latest-amd64 -- --change 'ENV SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt'
import "$d" gcr.io/distroless/static-debian12:nonroot gcr.io/distroless/static-debian12:nonroot-amd64 gcr.io/distroless/static:nonroot -- --change 'ENV SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt' --change 'USER 65532' --change 'WORKDIR /home/nonroot'

printf '%s\n' "${names[@]}" >"$dir/images"
echo "$stamp" >"$dir/stamp"
log "made ${#names[@]} images"
cat "$dir/images"
