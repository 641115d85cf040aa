// The probe workload the cluster checks deploy: two replicas on different workers sharing one
// ReadWriteMany volume, a ClusterIP Service with Traefik's sticky cookie, and an Ingress.
import type { KubernetesObject } from '@kubernetes/client-node';

export const namespace = 'mip-verify-e2e';
export const affinityCookie = 'mip_verify_affinity';

export function probeWorkload(image: string): KubernetesObject[] {
  const labels = { app: 'probe' };
  const fieldEnv = (name: string, fieldPath: string): object => ({ name, valueFrom: { fieldRef: { fieldPath } } });
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } },
    {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'shared', namespace },
      spec: { storageClassName: 'mip-verify-shared', accessModes: ['ReadWriteMany'], resources: { requests: { storage: '64Mi' } } },
    } as KubernetesObject,
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'probe', namespace, labels },
      spec: {
        replicas: 2,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            nodeSelector: { worker: 'true' },
            affinity: {
              podAntiAffinity: {
                requiredDuringSchedulingIgnoredDuringExecution: [
                  { labelSelector: { matchLabels: labels }, topologyKey: 'kubernetes.io/hostname' },
                ],
              },
            },
            containers: [
              {
                name: 'probe',
                image,
                imagePullPolicy: 'Never',
                ports: [{ containerPort: 8080 }],
                env: [fieldEnv('POD_NAME', 'metadata.name'), fieldEnv('NODE_NAME', 'spec.nodeName'), fieldEnv('POD_IP', 'status.podIP')],
                readinessProbe: { httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 2 },
                volumeMounts: [{ name: 'shared', mountPath: '/data' }],
              },
            ],
            volumes: [{ name: 'shared', persistentVolumeClaim: { claimName: 'shared' } }],
          },
        },
      },
    } as KubernetesObject,
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: {
        name: 'probe',
        namespace,
        annotations: {
          'traefik.ingress.kubernetes.io/service.sticky.cookie': 'true',
          'traefik.ingress.kubernetes.io/service.sticky.cookie.name': affinityCookie,
        },
      },
      spec: { selector: labels, ports: [{ port: 80, targetPort: 8080 }] },
    } as KubernetesObject,
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'probe', namespace },
      spec: {
        rules: [{ http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'probe', port: { number: 80 } } } }] } }],
      },
    } as KubernetesObject,
  ];
}
