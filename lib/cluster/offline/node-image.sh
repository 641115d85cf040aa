#!/usr/bin/env bash
# Assembles the kind node image: the Debian node base plus kubelet/kubeadm/kubectl, our entrypoint
# and systemd units, containerd's config, the pod-network manifest kind applies, and every
# component image preloaded (pinned) into the node's containerd so nothing is ever pulled.
# Inputs (environment): NODE_BASE K8S_BIN K8S_VERSION COMPONENTS_TAR TOOLS_TAG OUT_IMAGE
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
name="mip-verify-node-build-$$"
cleanup() { docker rm -f "$name" >/dev/null 2>&1 || true; }
trap cleanup EXIT
cleanup

# No /var volume here: `docker commit` must capture the preloaded images under /var/lib/containerd.
docker run -d --name "$name" --privileged --entrypoint sleep "$NODE_BASE" infinity >/dev/null
put() { docker cp "$1" "$name:$2"; }
run() { docker exec "$name" bash -euc "$1"; }

run 'mkdir -p /kind/manifests /etc/systemd/system/kubelet.service.d /etc/containerd /etc/kubernetes/manifests /opt/cni /var/lib/kubelet /mnt/shared'
for b in kubelet kubeadm kubectl; do put "$K8S_BIN/$b" /usr/bin/$b; done
put "$here/node/entrypoint" /usr/local/bin/entrypoint
put "$here/node/kubelet.service" /etc/systemd/system/kubelet.service
put "$here/node/10-kubeadm.conf" /etc/systemd/system/kubelet.service.d/10-kubeadm.conf
put "$here/node/kubelet.slice" /etc/systemd/system/kubelet.slice
put "$here/node/kubelet-default" /etc/default/kubelet
put "$here/node/containerd-config.toml" /etc/containerd/config.toml
put "$here/node/sysctl.conf" /etc/sysctl.d/10-mip-verify.conf
sed "s/__TOOLS_TAG__/$TOOLS_TAG/g" "$here/manifests/default-cni.yaml" > "/tmp/$name-cni.yaml"
put "/tmp/$name-cni.yaml" /kind/manifests/default-cni.yaml; rm -f "/tmp/$name-cni.yaml"
run "echo $K8S_VERSION > /kind/version"
run 'ln -sfn /usr/lib/cni /opt/cni/bin
  systemctl enable kubelet.service containerd.service >/dev/null 2>&1
  # Units that only make sense on a real machine and would leave the container "degraded".
  systemctl mask getty@tty1.service systemd-modules-load.service systemd-udevd.service \
    systemd-udev-trigger.service console-getty.service >/dev/null 2>&1 || true
  chmod +x /usr/local/bin/entrypoint'

echo "preloading component images into the node's containerd"
run 'nohup containerd >/tmp/containerd.log 2>&1 &
  for _ in $(seq 1 30); do ctr version >/dev/null 2>&1 && break; sleep 0.5; done'
docker exec -i "$name" ctr -n k8s.io images import --label io.cri-containerd.pinned=pinned --no-unpack --digests - < "$COMPONENTS_TAR" >/dev/null
run 'ctr -n k8s.io images ls -q | grep -v "^sha256:" | sort' | sed 's/^/  /'
run 'pkill -x containerd; for _ in $(seq 1 20); do pgrep -x containerd >/dev/null || break; sleep 0.5; done; rm -f /tmp/containerd.log'

docker commit -c 'ENTRYPOINT ["/usr/local/bin/entrypoint", "/sbin/init"]' -c 'ENV container=docker' "$name" "$OUT_IMAGE-unsealed" >/dev/null
# `docker commit` cannot set STOPSIGNAL; systemd shuts down cleanly on SIGRTMIN+3.
ctx="$(mktemp -d)"; printf 'FROM %s\nSTOPSIGNAL SIGRTMIN+3\n' "$OUT_IMAGE-unsealed" > "$ctx/Dockerfile"
docker build -q -t "$OUT_IMAGE" "$ctx" > "$ctx/build.log" 2>&1 || { cat "$ctx/build.log" >&2; exit 1; }
rm -rf "$ctx"
docker rmi "$OUT_IMAGE-unsealed" >/dev/null
echo "node image $OUT_IMAGE ($(docker image inspect -f '{{.Size}}' "$OUT_IMAGE" | awk '{printf "%.0f MB", $1/1e6}'))"
