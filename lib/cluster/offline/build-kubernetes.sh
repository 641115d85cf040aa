#!/usr/bin/env bash
# Builds the Kubernetes node and control-plane binaries from the Go module proxy.
# k8s.io/kubernetes cannot be `go install`ed (its go.mod points the staging modules at local
# paths), so a throwaway wrapper module requires it and maps every staging module to its
# published v0.<minor>.<patch> tag instead.
# usage: build-kubernetes.sh <version, e.g. v1.33.13> <output dir>
set -euo pipefail
version="$1"; out="$2"
export GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS=-mod=mod
minor_patch="${version#v1.}"
major=1; minor="${minor_patch%%.*}"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
mkdir -p "$out"

echo "step: resolve k8s.io/kubernetes@$version"
gomod="$(cd "$work" && go mod download -json "k8s.io/kubernetes@$version" | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p')"
staging="$(sed -n 's#^\s*\(k8s.io/[a-z0-9-]*\) => ./staging/src/.*#\1#p' "$gomod")"

{
  echo "module mip-verify.local/kubernetes-build"
  echo "go 1.24"
  echo "require k8s.io/kubernetes $version"
  for m in $staging; do echo "replace $m => $m v0.$minor_patch"; done
} > "$work/go.mod"

cmds="kubelet kubeadm kubectl kube-apiserver kube-controller-manager kube-scheduler kube-proxy"
pkgs=""; pinned=""
for c in $cmds; do pkgs="$pkgs k8s.io/kubernetes/cmd/$c"; pinned="$pinned k8s.io/kubernetes/cmd/$c@$version"; done

echo "step: download modules"
(cd "$work" && go mod download k8s.io/kubernetes && go get $pinned 2>&1 | grep -v "^go: downloading" || true)

ldflags="-s -w"
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  ldflags="$ldflags -X $pkg.gitVersion=$version -X $pkg.gitMajor=$major -X $pkg.gitMinor=$minor"
  ldflags="$ldflags -X $pkg.gitTreeState=clean -X $pkg.buildDate=1970-01-01T00:00:00Z"
done

echo "step: compile $cmds"
(cd "$work" && go build -trimpath -ldflags "$ldflags" -o "$out/" $pkgs)
"$out/kubeadm" version -o short
