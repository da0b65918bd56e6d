import type { CaseResult } from './case.js';

/** One row of the report: a system on a workload, at saturation and at a fixed offered load. */
export interface Row {
  readonly workload: string;
  readonly system: string;
  /** A fundcore row (drawn in blue). */
  readonly ours: boolean;
  /** The fundcore row the baselines of this workload are compared with. */
  readonly headline?: boolean;
  readonly saturation: CaseResult;
  readonly fixed: (CaseResult & { readonly offeredRate: number }) | null;
  readonly note?: string;
}

const num = (n: number) => Math.round(n).toLocaleString('en');
const lat = (r: CaseResult) => `${r.p50Ms} / ${r.p99Ms} / ${r.p999Ms}`;

/** Ours divided by this row's system, on the same workload (ours = the first row of ours). */
function ratio(rows: readonly Row[], row: Row): string {
  if (row.headline === true) return '';
  const ours = rows.find((r) => r.workload === row.workload && r.headline === true) ?? rows.find((r) => r.workload === row.workload && r.ours);
  if (ours === row) return '';
  if (ours === undefined || row.saturation.transfersPerSec === 0) return '';
  return `${(ours.saturation.transfersPerSec / row.saturation.transfersPerSec).toFixed(row.saturation.transfersPerSec > ours.saturation.transfersPerSec ? 2 : 1)}×`;
}

export function markdownTable(rows: readonly Row[]): string {
  const header = '| workload | system | transfers/s | p50 / p99 / p999 ms at saturation | p50 / p99 / p999 ms at fixed load (rate/s) | RSS MiB | ours ÷ this |';
  const lines = [header, '|---|---|---:|---|---|---:|---:|'];
  for (const row of rows) {
    const fixed = row.fixed === null ? '—' : `${lat(row.fixed)} (${num(row.fixed.offeredRate)})`;
    const rss = row.saturation.rssMiB === 0 ? 'n/a' : String(row.saturation.rssMiB);
    const system = row.note === undefined ? row.system : `${row.system} — ${row.note}`;
    lines.push(`| ${row.workload} | ${system} | ${num(row.saturation.transfersPerSec)} | ${lat(row.saturation)} | ${fixed} | ${rss} | ${ratio(rows, row)} |`);
  }
  return lines.join('\n');
}

/** A bar chart of transfers/s (log scale), one bar per row, grouped by workload. */
export function svgChart(rows: readonly Row[], title: string): string {
  const barHeight = 18;
  const gap = 6;
  const left = 520;
  const width = 1_180;
  const plot = width - left - 90;
  const top = 40;
  const max = Math.max(...rows.map((r) => r.saturation.transfersPerSec), 10);
  const logMax = Math.log10(max * 1.2);
  const x = (v: number) => (Math.log10(Math.max(v, 1)) / logMax) * plot;
  const height = top + rows.length * (barHeight + gap) + 40;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${left}" y="20" font-size="14" font-weight="bold">${escape(title)}</text>`,
  ];
  for (const tick of [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000].filter((t) => t <= max * 1.2)) {
    const tx = left + x(tick);
    parts.push(`<line x1="${tx}" y1="${top - 6}" x2="${tx}" y2="${height - 30}" stroke="#ddd"/>`);
    parts.push(`<text x="${tx}" y="${height - 14}" text-anchor="middle" fill="#666">${num(tick)}</text>`);
  }
  rows.forEach((row, i) => {
    const y = top + i * (barHeight + gap);
    const w = x(row.saturation.transfersPerSec);
    const color = row.ours ? '#2f6fdf' : '#9aa3ad';
    parts.push(`<text x="${left - 8}" y="${y + 13}" text-anchor="end">${escape(`${row.workload} · ${row.system}`)}</text>`);
    parts.push(`<rect x="${left}" y="${y}" width="${Math.max(w, 1)}" height="${barHeight}" fill="${color}"/>`);
    parts.push(`<text x="${left + w + 6}" y="${y + 13}">${num(row.saturation.transfersPerSec)}/s</text>`);
  });
  parts.push(`<text x="${left}" y="${height - 2}" fill="#666">durable transfers per second at saturation, log scale; blue: fundcore</text>`);
  parts.push('</svg>');
  return parts.join('\n');
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
