import t from 'tap';
import { curvePrefixes, flatness, hotCurveWorkload, repaymentCurveWorkload, svgCurves } from '../../bench/curves.js';
import type { Row } from '../../bench/report.js';

const row = (workload: string, system: string, rate: number): Row => ({
  workload,
  system,
  ours: system.startsWith('fundcore'),
  saturation: { transfersPerSec: rate, p50Ms: 1, p99Ms: 2, p999Ms: 3, rssMiB: 1, completed: 1, failed: 0 },
  fixed: null,
});

const rows = [
  row(repaymentCurveWorkload(20_000), 'fundcore (request → bank → split)', 150),
  row(repaymentCurveWorkload(1_000), 'fundcore (request → bank → split)', 200),
  row(repaymentCurveWorkload(1_000), 'postgres (split only)', 300),
  row(repaymentCurveWorkload(20_000), 'postgres (split only)', 330),
  row(hotCurveWorkload(1_000), 'fundcore, 8 sub-accounts', 9_000),
  row('(a) hot account, 10,000 wallets', 'fundcore, 8 sub-accounts', 1),
];

t.test('flatness: the rate at the largest size over the rate at the smallest, per system, sizes read from the workload', async (t) => {
  t.same(
    flatness(rows, curvePrefixes.repayment).map((f) => [f.system, f.from.size, f.to.size, f.ratio]),
    [
      ['fundcore (request → bank → split)', 1_000, 20_000, 0.75],
      ['postgres (split only)', 1_000, 20_000, 1.1],
    ],
  );
  t.same(flatness(rows, curvePrefixes.hot), [], 'one point is no curve');
});

t.test('the SVG draws a line per system of each curve, and nothing for the other workloads', async (t) => {
  const svg = svgCurves(rows, 'test run');
  t.equal(svg.match(/<polyline/g)?.length, 3, 'two repayment lines and one hot line');
  t.equal(svg.match(/<circle/g)?.length, 5, 'a dot per measured size; the (a) row is not on a curve');
  t.match(svg, /<title>20000: 150\/s<\/title>/);
});
