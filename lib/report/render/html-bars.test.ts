import { expect } from 'chai';
import { barCharts, barGroups } from './html-bars.ts';

const m = (name: string, value: number, unit = 'jobs', test = 'jobs spread') => ({ suite: 'scaling', test, name, value, unit });

describe('metric bar charts', () => {
  it('groups "<quantity> on <subject>" metrics of one check and unit', () => {
    const groups = barGroups([
      m('jobs on rq-worker-a', 5),
      m('jobs on rq-worker-b', 4),
      m('throughput', 3, 'jobs/min'),
      m('jobs on x', 1, 'ms'),
    ]);
    expect(groups).to.deep.equal([
      {
        quantity: 'jobs',
        unit: 'jobs',
        where: 'scaling › jobs spread',
        bars: [
          { subject: 'rq-worker-a', value: 5 },
          { subject: 'rq-worker-b', value: 4 },
        ],
      },
    ]);
  });

  it('draws one labelled SVG per group, with the values in its description, and nothing for lone metrics', () => {
    const html = barCharts([m('jobs on rq-worker-a', 6), m('jobs on rq-worker-<b>', 3)]);
    expect(html).to.include('<svg class="chart"');
    expect(html).to.include('rq-worker-a: 6 jobs; rq-worker-&lt;b&gt;: 3 jobs');
    expect(html.match(/<rect /g)).to.have.length(2);
    expect(barCharts([m('jobs on only-one', 1)])).to.equal('');
  });
});
