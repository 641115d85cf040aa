#!/usr/bin/env bash
# Builds a Debian root filesystem with debootstrap and imports it as a local Docker image.
# usage: rootfs.sh <image ref> <debian suite> <comma-separated packages> [mirror]
set -euo pipefail
image="$1"; suite="$2"; packages="$3"; mirror="${4:-http://deb.debian.org/debian}"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
command -v debootstrap >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -q debootstrap >/dev/null
echo "debootstrap $suite ($packages)"
debootstrap --variant=minbase --include="$packages" "$suite" "$work/root" "$mirror" > "$work/debootstrap.log" 2>&1 || {
  tail -n 30 "$work/debootstrap.log" >&2; exit 1; }
# Keep images small: package lists and docs are not needed at run time.
rm -rf "$work/root/var/lib/apt/lists/"* "$work/root/var/cache/apt/"*.bin "$work/root/usr/share/doc" "$work/root/usr/share/man"
tar -C "$work/root" -c . | docker import -c 'ENV container=docker' - "$image" >/dev/null
echo "imported $image"
