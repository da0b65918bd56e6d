import type { Row } from './report.js';

/** The scale curves' workloads: one row per system and size, the size in the workload's name. */
export const curvePrefixes = {
  repayment: '(i) scale curve: repayment day,',
  hot: '(j) scale curve: hot account,',
} as const;

export const repaymentCurveWorkload = (loans: number) => `${curvePrefixes.repayment} ${loans.toLocaleString('en')} loans × 20 claims`;
export const hotCurveWorkload = (wallets: number) => `${curvePrefixes.hot} ${wallets.toLocaleString('en')} wallets`;

interface Point {
  readonly size: number;
  readonly rate: number;
}

/** Per system, the (size, rate) points of one curve, sizes ascending. */
function seriesOf(rows: readonly Row[], prefix: string): Map<string, Point[]> {
  const series = new Map<string, Point[]>();
  for (const row of rows.filter((r) => r.workload.startsWith(prefix))) {
    const size = Number((/([\d,]+) (loans|wallets)/.exec(row.workload)?.[1] ?? '0').replace(/,/g, ''));
    const points = series.get(row.system) ?? [];
    points.push({ size, rate: row.saturation.transfersPerSec });
    series.set(row.system, points);
  }
  for (const points of series.values()) points.sort((a, b) => a.size - b.size);
  return series;
}

/** The rate at the largest size over the rate at the smallest, per system: 1 is flat cost, less is cost growing with size. */
export function flatness(rows: readonly Row[], prefix: string): { system: string; from: Point; to: Point; ratio: number }[] {
  return [...seriesOf(rows, prefix)]
    .filter(([, points]) => points.length >= 2)
    .map(([system, points]) => {
      const from = points[0] as Point;
      const to = points[points.length - 1] as Point;
      return { system, from, to, ratio: from.rate === 0 ? 0 : to.rate / from.rate };
    });
}

const palette = ['#2f6fdf', '#9aa3ad', '#e07b39', '#4caf50'];
const panelWidth = 560;
const panelHeight = 300;
const margin = { left: 70, right: 40, top: 40, bottom: 50 };

/** One panel: rate against size, both on log scales, a line and dots per system. */
function panel(series: Map<string, Point[]>, title: string, sizeLabel: string, rateLabel: string, offsetX: number): string[] {
  const all = [...series.values()].flat();
  if (all.length === 0) return [];
  const [minSize, maxSize] = [Math.min(...all.map((p) => p.size)), Math.max(...all.map((p) => p.size))];
  const [minRate, maxRate] = [Math.max(1, Math.min(...all.map((p) => p.rate)) / 2), Math.max(...all.map((p) => p.rate)) * 2];
  const w = panelWidth - margin.left - margin.right;
  const h = panelHeight - margin.top - margin.bottom;
  const lx = (v: number) => (maxSize === minSize ? 0.5 : (Math.log10(v) - Math.log10(minSize)) / (Math.log10(maxSize) - Math.log10(minSize)));
  const x = (v: number) => offsetX + margin.left + lx(v) * w;
  const y = (v: number) => margin.top + h - ((Math.log10(v) - Math.log10(minRate)) / (Math.log10(maxRate) - Math.log10(minRate))) * h;
  const parts = [`<text x="${offsetX + margin.left}" y="24" font-size="14" font-weight="bold">${title}</text>`];
  parts.push(`<rect x="${offsetX + margin.left}" y="${margin.top}" width="${w}" height="${h}" fill="none" stroke="#ccc"/>`);
  for (const tick of [1, 10, 100, 1_000, 10_000, 100_000].filter((t) => t >= minRate && t <= maxRate)) {
    parts.push(`<line x1="${offsetX + margin.left}" y1="${y(tick)}" x2="${offsetX + margin.left + w}" y2="${y(tick)}" stroke="#eee"/>`);
    parts.push(`<text x="${offsetX + margin.left - 6}" y="${y(tick) + 4}" text-anchor="end" fill="#666">${tick.toLocaleString('en')}</text>`);
  }
  for (const size of [...new Set(all.map((p) => p.size))]) {
    parts.push(`<text x="${x(size)}" y="${margin.top + h + 16}" text-anchor="middle" fill="#666">${size.toLocaleString('en')}</text>`);
  }
  parts.push(`<text x="${offsetX + margin.left + w / 2}" y="${margin.top + h + 36}" text-anchor="middle" fill="#666">${sizeLabel} (log); ${rateLabel} (log)</text>`);
  [...series].forEach(([system, points], i) => {
    const color = system.startsWith('fundcore') ? (palette[0] as string) : (palette[1 + (i % 3)] as string);
    parts.push(`<polyline fill="none" stroke="${color}" stroke-width="2" points="${points.map((p) => `${x(p.size)},${y(p.rate)}`).join(' ')}"/>`);
    for (const p of points) parts.push(`<circle cx="${x(p.size)}" cy="${y(p.rate)}" r="3" fill="${color}"><title>${p.size}: ${p.rate}/s</title></circle>`);
    const last = points[points.length - 1] as Point;
    parts.push(`<text x="${x(last.size) - 4}" y="${y(last.rate) - 8}" text-anchor="end" fill="${color}">${escape(system.split(/[ ,]/)[0] ?? system)}</text>`);
  });
  return parts;
}

/** Both scale curves side by side: how throughput holds as the platform grows. */
export function svgCurves(rows: readonly Row[], title: string): string {
  const repayment = panel(seriesOf(rows, curvePrefixes.repayment), 'Repayment day: payments/s by loans (20 claims each)', 'loans', 'payments/s', 0);
  const hot = panel(seriesOf(rows, curvePrefixes.hot), 'Hot account: transfers/s by wallets', 'wallets', 'transfers/s', panelWidth);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${panelWidth * 2}" height="${panelHeight + 20}" font-family="sans-serif" font-size="12">`,
    '<rect width="100%" height="100%" fill="white"/>',
    ...repayment,
    ...hot,
    `<text x="${margin.left}" y="${panelHeight + 12}" fill="#666">${escape(title)}; blue: fundcore</text>`,
    '</svg>',
  ].join('\n');
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
