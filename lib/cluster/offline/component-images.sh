#!/usr/bin/env bash
# Builds the container images a node runs (control plane, kube-proxy, CoreDNS, etcd, pause, the
# pod-network and shared-volume tools, Traefik) from local binaries and a local Debian base, tags
# them with the names kubeadm and our manifests expect, and saves them into one archive.
# Inputs (environment): K8S_VERSION K8S_BIN TOOLS_BIN TRAEFIK_BIN PAUSE_BIN PROBE_BIN SLIM_IMAGE
#                       ETCD_TAG COREDNS_TAG PAUSE_TAG TOOLS_TAG TRAEFIK_TAG OUT_TAR
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT

image() { # <tag> <dockerfile body> <files to copy into the context...>
  local tag="$1" body="$2"; shift 2
  local ctx="$work/ctx"; rm -rf "$ctx"; mkdir -p "$ctx"
  for f in "$@"; do cp -L "$f" "$ctx/"; done
  printf '%s\n' "$body" > "$ctx/Dockerfile"
  # The legacy builder warns on every build that it is deprecated; show its output only on failure.
  docker build -q -t "$tag" "$ctx" > "$work/build.log" 2>&1 || { cat "$work/build.log" >&2; exit 1; }
  echo "image $tag"
  tags+=("$tag")
}
tags=()

for c in kube-apiserver kube-controller-manager kube-scheduler kube-proxy; do
  image "registry.k8s.io/$c:$K8S_VERSION" "FROM $SLIM_IMAGE
COPY $c /usr/local/bin/$c
ENTRYPOINT [\"/usr/local/bin/$c\"]" "$K8S_BIN/$c"
done
image "registry.k8s.io/etcd:$ETCD_TAG" "FROM $SLIM_IMAGE
RUN ln -sf /usr/bin/etcd /usr/local/bin/etcd && ln -sf /usr/bin/etcdctl /usr/local/bin/etcdctl
ENTRYPOINT [\"/usr/bin/etcd\"]"
image "registry.k8s.io/coredns/coredns:$COREDNS_TAG" "FROM $SLIM_IMAGE
COPY coredns /coredns
ENTRYPOINT [\"/coredns\"]" "$TOOLS_BIN/coredns"
image "registry.k8s.io/pause:$PAUSE_TAG" "FROM scratch
COPY pause /pause
ENTRYPOINT [\"/pause\"]" "$PAUSE_BIN"
image "mip-verify.local/cluster-tools:$TOOLS_TAG" "FROM $SLIM_IMAGE
COPY kubectl route-syncer shared-volume-provisioner /usr/local/bin/" \
  "$K8S_BIN/kubectl" "$here/tools/route-syncer" "$here/tools/shared-volume-provisioner"
image "mip-verify.local/traefik:$TRAEFIK_TAG" "FROM $SLIM_IMAGE
COPY traefik /usr/local/bin/traefik
ENTRYPOINT [\"/usr/local/bin/traefik\"]" "$TRAEFIK_BIN"

image "mip-verify.local/probe:$TOOLS_TAG" "FROM scratch
COPY probe /probe
ENTRYPOINT [\"/probe\"]" "$PROBE_BIN"

docker save -o "$OUT_TAR" "${tags[@]}"
echo "saved ${#tags[@]} images to $OUT_TAR ($(du -h "$OUT_TAR" | cut -f1))"
