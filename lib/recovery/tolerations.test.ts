import { ApiException, type V1Deployment } from '@kubernetes/client-node';
import { expect } from 'chai';
import { tolerationPatch, withShortTolerations, withTolerations } from './tolerations.ts';

function deployment(name: string, tolerations?: { key: string }[]): V1Deployment {
  return { metadata: { name }, spec: { selector: {}, template: { spec: { containers: [], ...(tolerations ? { tolerations } : {}) } } } };
}

/** An apps API over an in-memory set of Deployments; `conflicts` replaces fail with 409 first. */
function fakeApps(items: V1Deployment[], conflicts = 0): { apps: never; stored: Map<string, V1Deployment> } {
  const stored = new Map(items.map((d) => [d.metadata?.name ?? '', d]));
  let left = conflicts;
  const apps = {
    listNamespacedDeployment: () => Promise.resolve({ items: [...stored.values()] }),
    readNamespacedDeployment: (r: { name: string }) => Promise.resolve(structuredClone(stored.get(r.name))),
    replaceNamespacedDeployment: (r: { name: string; body: V1Deployment }) => {
      if (left > 0) {
        left -= 1;
        return Promise.reject(new ApiException(409, 'conflict', {}, {}));
      }
      stored.set(r.name, r.body);
      return Promise.resolve(r.body);
    },
  };
  return { apps: apps as never, stored };
}

function tolerationsOf(stored: Map<string, V1Deployment>, name: string): unknown {
  return stored.get(name)?.spec?.template.spec?.tolerations;
}

describe('recovery/tolerations', () => {
  it('replaces node-down tolerations and keeps the others', () => {
    const result = withShortTolerations(
      [
        { key: 'dedicated', operator: 'Exists' },
        { key: 'node.kubernetes.io/unreachable', tolerationSeconds: 300 },
      ],
      30,
    );
    expect(result).to.deep.equal([
      { key: 'dedicated', operator: 'Exists' },
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 30 },
      { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 30 },
    ]);
  });

  it('removes the field when restoring a template that had none', () => {
    const d = withTolerations(deployment('web', [{ key: 'x' }]), undefined);
    expect(d.spec?.template.spec).to.not.have.property('tolerations');
  });

  it("applies short tolerations to every Deployment and restores each one's own", async () => {
    const { apps, stored } = fakeApps([deployment('web'), deployment('redis', [{ key: 'dedicated' }])], 1);
    const patch = await tolerationPatch({ apps }, 'openms');
    expect(patch.names).to.deep.equal(['web', 'redis']);
    const tolerations = (name: string): unknown => tolerationsOf(stored, name);
    await patch.apply(30);
    expect((tolerations('web') as { tolerationSeconds: number }[]).map((t) => t.tolerationSeconds)).to.deep.equal([30, 30]);
    expect(tolerations('redis')).to.have.length(3);
    await patch.restore();
    expect(tolerations('web')).to.equal(undefined);
    expect(tolerations('redis')).to.deep.equal([{ key: 'dedicated' }]);
  });

  it('restores nothing when nothing was applied', async () => {
    const { apps, stored } = fakeApps([deployment('web', [{ key: 'keep' }])]);
    const patch = await tolerationPatch({ apps }, 'openms');
    stored.set('web', deployment('web', [{ key: 'changed-by-someone' }]));
    await patch.restore();
    expect(stored.get('web')?.spec?.template.spec?.tolerations).to.deep.equal([{ key: 'changed-by-someone' }]);
  });
});
