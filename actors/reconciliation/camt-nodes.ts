/** A parsed XML element: child elements by name, attributes as `@_name`, text as `#text`. */
export type Node = Record<string, unknown>;

/** The element's text (or an element with attributes: its `#text`); null when there is none. */
export function text(node: unknown): string | null {
  if (typeof node === 'string') return node;
  if (node !== null && typeof node === 'object' && '#text' in node) return String((node as Node)['#text']);
  return null;
}

/** The element at the end of the path of child names, or undefined. */
export function path(node: unknown, ...keys: string[]): unknown {
  let current = node;
  for (const key of keys) current = current !== null && typeof current === 'object' ? (current as Node)[key] : undefined;
  return current;
}

/**
 * A camt date: `Dt` (ISODate), or `DtTm` (ISODateTime) whose date part is the day the bank
 * meant, in its own offset; or a bare date-time (CreDtTm).
 */
export function dateOf(node: unknown): string | null {
  const bare = text(node);
  if (bare !== null) return bare.slice(0, 10);
  return text(path(node, 'Dt')) ?? text(path(node, 'DtTm'))?.slice(0, 10) ?? null;
}
