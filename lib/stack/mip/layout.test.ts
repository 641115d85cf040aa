import { expect } from 'chai';
import { parseAllDocuments } from 'yaml';
import type { Manifest } from '../manifest-fields.ts';
import { globalWorker, localWorkers, missingSecrets } from './layout.ts';

// `helm template x fixtures/stacks/mip/exaflow --set managed_cluster=false`, trimmed to the workers
// (probes, most of the environment and the Services left out).
const RENDERED_UNMANAGED = `
apiVersion: apps/v1
kind: Deployment
metadata: {name: exaflow-controller-deployment, labels: {app: exaflow-controller}}
spec:
  replicas: 1
  template:
    metadata: {labels: {app: exaflow-controller}}
    spec:
      nodeSelector: {master: "true"}
      containers:
        - name: controller
          image: "mip-verify.local/exaflow_controller:reference"
          env:
            - {name: WORKER_LANDSCAPE_AGGREGATOR_UPDATE_INTERVAL, value: "30"}
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: exaflow-globalworker, labels: {app: exaflow-worker, nodeType: globalworker}}
spec:
  serviceName: exaflow-globalworker
  replicas: 1
  template:
    metadata: {labels: {app: exaflow-worker, nodeType: globalworker}}
    spec:
      nodeSelector: {master: "true"}
      volumes:
        - {name: duckdb-data, emptyDir: {}}
        - name: csv-data
          hostPath: {path: "/opt/exaflow/globalworker/csvs", type: DirectoryOrCreate}
      containers:
        - name: worker
          image: "mip-verify.local/exaflow_worker:reference"
          volumeMounts:
            - {name: duckdb-data, mountPath: /opt/data}
            - {name: csv-data, mountPath: /opt/csvs}
          env:
            - {name: WORKER_ROLE, value: "GLOBALWORKER"}
            - {name: DATA_PATH, value: "/opt/csvs"}
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: exaflow-localworker, labels: {app: exaflow-worker, nodeType: localworker}}
spec:
  serviceName: exaflow-worker
  podManagementPolicy: Parallel
  replicas: 2
  template:
    metadata: {labels: {app: exaflow-worker, nodeType: localworker}}
    spec:
      nodeSelector: {worker: "true"}
      volumes:
        - {name: duckdb-data, emptyDir: {}}
        - name: csv-data
          hostPath: {path: "/opt/exaflow/localworker/csvs", type: DirectoryOrCreate}
      containers:
        - name: worker
          image: "mip-verify.local/exaflow_worker:reference"
          volumeMounts:
            - {name: duckdb-data, mountPath: /opt/data}
            - {name: csv-data, mountPath: /opt/csvs}
          env:
            - name: WORKER_IDENTIFIER
              valueFrom: {fieldRef: {fieldPath: spec.nodeName}}
            - {name: WORKER_ROLE, value: "LOCALWORKER"}
            - {name: DATA_PATH, value: "/opt/csvs"}
`;

// The same local workers with managed_cluster=true: no nodeSelector, the CSVs from a claim template.
const RENDERED_MANAGED_LOCALWORKER = `
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: exaflow-localworker, labels: {app: exaflow-worker, nodeType: localworker}}
spec:
  replicas: 3
  template:
    metadata: {labels: {app: exaflow-worker, nodeType: localworker}}
    spec:
      volumes:
        - {name: duckdb-data, emptyDir: {}}
      containers:
        - name: worker
          volumeMounts:
            - {name: duckdb-data, mountPath: /opt/data}
            - {name: csv-data, mountPath: /opt/csvs}
          env:
            - {name: DATA_PATH, value: "/opt/csvs"}
  volumeClaimTemplates:
    - metadata: {name: csv-data}
      spec:
        storageClassName: "ceph-corbo-cephfs-retain"
        accessModes: [ReadWriteMany]
        resources: {requests: {storage: 4Gi}}
`;

function docsOf(text: string): Manifest[] {
  return parseAllDocuments(text).map((doc) => doc.toJS() as Manifest);
}

/** A local-worker workload of `kind`: `podSpec` fields, and one container with `container` fields. */
function localWorker(kind: string, podSpec: Manifest, container: Manifest): Manifest {
  return {
    kind,
    metadata: { name: 'workers' },
    spec: {
      template: { metadata: { labels: { nodeType: 'localworker' } }, spec: { ...podSpec, containers: [{ name: 'worker', ...container }] } },
    },
  };
}

/** Secret name → sorted keys, for comparing. */
function plain(map: Map<string, Set<string>>): Record<string, string[]> {
  return Object.fromEntries([...map].map(([name, keys]) => [name, [...keys].sort()]));
}

describe('stack/mip/layout', () => {
  it('reads the local and global workers of the rendered unmanaged chart: replicas, nodeSelector and CSV host path', () => {
    const docs = docsOf(RENDERED_UNMANAGED);
    expect(localWorkers(docs)).to.deep.equal({
      name: 'StatefulSet/exaflow-localworker',
      replicas: 2,
      nodeSelector: { worker: 'true' },
      hostPath: '/opt/exaflow/localworker/csvs',
      claim: false,
    });
    expect(globalWorker(docs)).to.deep.equal({
      name: 'StatefulSet/exaflow-globalworker',
      replicas: 1,
      nodeSelector: { master: 'true' },
      hostPath: '/opt/exaflow/globalworker/csvs',
      claim: false,
    });
  });

  it('sees the data coming from a claim when the CSV mount has a volume claim template (managed cluster)', () => {
    expect(localWorkers(docsOf(RENDERED_MANAGED_LOCALWORKER))).to.deep.equal({
      name: 'StatefulSet/exaflow-localworker',
      replicas: 3,
      nodeSelector: {},
      claim: true,
    });
  });

  it('finds the host path through the mount at DATA_PATH, and at /opt/csvs when DATA_PATH is not set', () => {
    const volumes = [
      { name: 'default-csvs', hostPath: { path: '/srv/default' } },
      { name: 'moved-csvs', hostPath: { path: '/srv/moved' } },
    ];
    const volumeMounts = [
      { name: 'default-csvs', mountPath: '/opt/csvs' },
      { name: 'moved-csvs', mountPath: '/data/csvs' },
    ];
    const moved = localWorker('Deployment', { volumes }, { volumeMounts, env: [{ name: 'DATA_PATH', value: '/data/csvs' }] });
    expect(localWorkers([moved])).to.deep.equal({
      name: 'Deployment/workers',
      replicas: 1,
      nodeSelector: {},
      hostPath: '/srv/moved',
      claim: false,
    });
    const unset = localWorker('StatefulSet', { volumes }, { volumeMounts });
    expect(localWorkers([unset])?.hostPath).to.equal('/srv/default');
  });

  it('sees a claim mounted at the data path, and neither a host path nor a claim when nothing is mounted there', () => {
    const claimed = localWorker(
      'StatefulSet',
      { volumes: [{ name: 'csvs', persistentVolumeClaim: { claimName: 'shared-csvs' } }] },
      { volumeMounts: [{ name: 'csvs', mountPath: '/opt/csvs' }] },
    );
    expect(localWorkers([claimed]))
      .to.include({ claim: true })
      .and.not.have.property('hostPath');
    const bare = localWorker(
      'StatefulSet',
      { volumes: [{ name: 'tmp', emptyDir: {} }] },
      { volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }] },
    );
    expect(localWorkers([bare]))
      .to.include({ claim: false })
      .and.not.have.property('hostPath');
  });

  it('finds no workers when the charts render none', () => {
    const docs = docsOf(RENDERED_UNMANAGED).filter((d) => d.kind === 'Deployment');
    expect(localWorkers(docs)).to.equal(undefined);
    expect(globalWorker(docs)).to.equal(undefined);
    expect(localWorkers([{ kind: 'Service', metadata: { name: 'x', labels: { nodeType: 'localworker' } } }])).to.equal(undefined);
  });

  describe('Secrets the pods use but no chart creates', () => {
    const backend: Manifest = {
      kind: 'Deployment',
      metadata: { name: 'platform-backend-deployment' },
      spec: {
        template: {
          spec: {
            initContainers: [{ name: 'wait', envFrom: [{ secretRef: { name: 'init-env' } }] }],
            containers: [
              {
                name: 'backend',
                env: [
                  {
                    name: 'PLATFORM_DB_USER',
                    valueFrom: { secretKeyRef: { name: 'mip-secret', key: 'platform-backend-db.PLATFORM_DB_USER' } },
                  },
                  {
                    name: 'PLATFORM_DB_PASSWORD',
                    valueFrom: { secretKeyRef: { name: 'mip-secret', key: 'platform-backend-db.PLATFORM_DB_PASSWORD' } },
                  },
                  { name: 'KEYCLOAK_CLIENT_ID', valueFrom: { secretKeyRef: { name: 'keycloak-credentials', key: 'client-id' } } },
                  { name: 'OPTIONAL', valueFrom: { secretKeyRef: { name: 'maybe-secret', key: 'x', optional: true } } },
                  { name: 'NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
                  { name: 'PLAIN', value: 'x' },
                ],
                envFrom: [
                  { secretRef: { name: 'backend-env' } },
                  { secretRef: { name: 'optional-env', optional: true } },
                  { configMapRef: { name: 'mip-config' } },
                ],
              },
            ],
            volumes: [
              { name: 'tls', secret: { secretName: 'platform-ui-tls' } },
              { name: 'extra', secret: { secretName: 'optional-files', optional: true } },
              { name: 'defined', secret: { secretName: 'chart-made' } },
              { name: 'data', emptyDir: {} },
            ],
          },
        },
      },
    };
    const db: Manifest = {
      kind: 'StatefulSet',
      metadata: { name: 'platform-backend-db' },
      spec: {
        template: {
          spec: {
            containers: [
              {
                name: 'postgres',
                env: [
                  { name: 'POSTGRES_USER', valueFrom: { secretKeyRef: { name: 'mip-secret', key: 'platform-backend-db.DB_ADMIN_USER' } } },
                  { name: 'CHART_SECRET', valueFrom: { secretKeyRef: { name: 'chart-made', key: 'token' } } },
                ],
              },
            ],
          },
        },
      },
    };
    const chartSecret: Manifest = { kind: 'Secret', metadata: { name: 'chart-made' }, stringData: { token: 'x' } };

    it('collects secretKeyRef keys, envFrom and secret volumes across pods and init containers', () => {
      expect(plain(missingSecrets([backend, db, chartSecret]))).to.deep.equal({
        'mip-secret': [
          'platform-backend-db.DB_ADMIN_USER',
          'platform-backend-db.PLATFORM_DB_PASSWORD',
          'platform-backend-db.PLATFORM_DB_USER',
        ],
        'keycloak-credentials': ['client-id'],
        'backend-env': [],
        'init-env': [],
        'platform-ui-tls': [],
      });
    });

    it('ignores optional references and Secrets defined among the rendered objects', () => {
      const names = [...missingSecrets([backend, db, chartSecret]).keys()];
      expect(names).to.not.include.members(['maybe-secret', 'optional-env', 'optional-files', 'chart-made']);
      expect(missingSecrets([backend, db]).get('chart-made')).to.deep.equal(new Set(['token']));
    });

    it('finds none in the rendered Exaflow chart', () => {
      expect(missingSecrets(docsOf(RENDERED_UNMANAGED)).size).to.equal(0);
    });
  });
});
