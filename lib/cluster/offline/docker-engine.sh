#!/usr/bin/env bash
# Makes a Docker engine available: installs Debian's docker.io if needed, starts dockerd with a
# runtime that tolerates a capability bounding set without CAP_SYS_RESOURCE, and raises the
# inotify limits a multi-node kind cluster needs. Does nothing when a daemon already answers.
# usage: docker-engine.sh <state dir>
set -euo pipefail
state="$1"; here="$(cd "$(dirname "$0")" && pwd)"
mkdir -p "$state"
log() { echo "$(date +%H:%M:%S) docker: $*"; }

sysctl -q -w fs.inotify.max_user_instances=512 fs.inotify.max_user_watches=524288 2>/dev/null || true

if docker info >/dev/null 2>&1; then log "engine already running"; exit 0; fi

if ! command -v dockerd >/dev/null 2>&1; then
  log "installing docker.io from Debian"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q docker.io containerd runc jq iptables >/dev/null
fi
command -v jq >/dev/null 2>&1 || DEBIAN_FRONTEND=noninteractive apt-get install -y -q jq >/dev/null

# Bit 24 of the bounding set is CAP_SYS_RESOURCE; without it `docker run --privileged` fails.
capbnd="$(awk '/^CapBnd/ {print $2}' /proc/self/status)"
config="$state/daemon.json"
if (( (16#$capbnd >> 24) & 1 )); then
  echo '{}' > "$config"
else
  install -m 0755 "$here/runc-nosysres" "$state/runc-nosysres"
  printf '{"runtimes":{"runc-nosysres":{"path":"%s"}},"default-runtime":"runc-nosysres"}\n' "$state/runc-nosysres" > "$config"
  log "capability bounding set lacks CAP_SYS_RESOURCE: using the runc-nosysres runtime"
fi

log "starting dockerd (log: $state/dockerd.log)"
setsid nohup dockerd --config-file "$config" >"$state/dockerd.log" 2>&1 < /dev/null &
echo $! > "$state/dockerd.pid"
for _ in $(seq 1 60); do
  if docker info >/dev/null 2>&1; then log "engine ready"; exit 0; fi
  sleep 1
done
log "dockerd did not answer within 60 s; last lines of its log:"
tail -n 20 "$state/dockerd.log" >&2
exit 1
