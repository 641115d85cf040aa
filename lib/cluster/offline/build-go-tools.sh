#!/usr/bin/env bash
# Builds the Go programs the kit needs besides Kubernetes, from the Go module proxy:
# kind, helm, k6 (go install) and a minimal CoreDNS (our own main package, see coredns/).
# usage: build-go-tools.sh <output dir> <kind version> <helm version> <k6 version> <coredns version>
set -euo pipefail
out="$1"; kind_v="$2"; helm_v="$3"; k6_v="$4"; coredns_v="$5"
here="$(cd "$(dirname "$0")" && pwd)"
export GOTOOLCHAIN=local CGO_ENABLED=0 GOBIN="$out" GOFLAGS=-mod=mod
mkdir -p "$out"
flags=(-trimpath -ldflags "-s -w")

echo "step: kind $kind_v"
go install "${flags[@]}" "sigs.k8s.io/kind@$kind_v"
echo "step: helm $helm_v"
go install "${flags[@]}" -ldflags "-s -w -X helm.sh/helm/v3/internal/version.version=$helm_v" "helm.sh/helm/v3/cmd/helm@$helm_v"
echo "step: k6 $k6_v"
go install "${flags[@]}" "go.k6.io/k6@$k6_v"

echo "step: coredns $coredns_v"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
cp "$here/coredns/main.go" "$work/"
printf 'module mip-verify.local/coredns\n\ngo 1.22\n\nrequire github.com/coredns/coredns %s\n' "$coredns_v" > "$work/go.mod"
(cd "$work" && { go mod tidy 2>tidy.log || { grep -v "^go: downloading" tidy.log >&2; exit 1; }; } && go build "${flags[@]}" -ldflags "-s -w -X github.com/coredns/coredns/coremain.GitCommit=$coredns_v" -o "$out/coredns" .)
"$out/coredns" -version | sed -n 1p
