/**
 * The indexes of the items, grouped by their key, each group in the items' order (groups in
 * the order their first item comes); an item whose key is null is left out.
 */
export function indexesBy<T, K>(items: readonly T[], keyOf: (item: T, index: number) => K | null): Map<K, number[]> {
  const groups = new Map<K, number[]>();
  items.forEach((item, index) => {
    const key = keyOf(item, index);
    if (key === null) return;
    const indexes = groups.get(key);
    if (indexes === undefined) groups.set(key, [index]);
    else indexes.push(index);
  });
  return groups;
}
