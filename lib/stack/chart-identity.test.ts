import { expect } from 'chai';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stackCharts } from './chart-identity.ts';
import type { StackSpec } from './types.ts';

describe('stack/chart-identity', () => {
  it('names each chart a stack installs by its Chart.yaml, and none of a kustomize stack', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'charts-'));
    try {
      await mkdir(join(dir, 'exaflow'));
      await writeFile(join(dir, 'exaflow', 'Chart.yaml'), 'apiVersion: v2\nname: exaflow\nversion: 1.2.0\nappVersion: 0.28.0\n');
      await mkdir(join(dir, 'web'));
      await writeFile(join(dir, 'web', 'Chart.yaml'), 'name: mip\nversion: 8\n');
      const charts = [
        { role: 'exaflow', release: 'exaflow', chart: join(dir, 'exaflow'), valuesFiles: [] },
        { role: 'web', release: 'mip', chart: join(dir, 'web'), valuesFiles: [] },
      ] as const;
      const spec: StackSpec = { name: 'mip', source: dir, namespace: 'mip', images: {}, charts };
      expect(await stackCharts(spec, 'mip')).to.deep.equal([
        { name: 'exaflow', version: '1.2.0', appVersion: '0.28.0', dir: join(dir, 'exaflow') },
        { name: 'mip', version: '8', dir: join(dir, 'web') },
      ]);
      expect(await stackCharts({ name: 'openms', source: dir, namespace: 'o', images: {} }, 'kustomize')).to.deep.equal([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
