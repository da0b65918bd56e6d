import Table from 'cli-table3';

/** Rows as a plain table (no colours: the output is often piped or read in logs). */
export function table(head: readonly string[], rows: readonly (readonly unknown[])[]): string {
  const t = new Table({ head: [...head], style: { head: [], border: [], compact: true } });
  for (const row of rows) t.push(row.map(cell));
  return t.toString();
}

/** Field and value, one per line. */
export function pairs(entries: readonly (readonly [string, unknown])[]): string {
  const t = new Table({ style: { head: [], border: [] } });
  for (const [key, value] of entries) t.push({ [key]: cell(value) });
  return t.toString();
}

function cell(value: unknown): string {
  if (value === null || value === undefined) return '-';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
