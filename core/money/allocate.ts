import { assert } from '../rejection.js';

/**
 * Splits `total` minor units by non-negative `weights` with the largest-remainder method:
 * each part gets floor(total × weight / Σweights), and the units left over go one each
 * to the parts with the largest remainders; ties go to the lower index (a stable order the
 * caller controls by ordering the weights). The parts always sum exactly to `total`.
 *
 * A negative total is split as the mirror image of its absolute value, so that
 * allocate(-x) = -allocate(x) part by part.
 */
export function allocate(total: bigint, weights: readonly bigint[]): bigint[] {
  assert(weights.length > 0, 'allocate needs at least one weight');
  assert(weights.every((w) => w >= 0n), 'allocate weights must be non-negative');
  const weightSum = weights.reduce((sum, w) => sum + w, 0n);
  assert(weightSum > 0n, 'allocate weights must not all be zero');
  if (total < 0n) return allocate(-total, weights).map((part) => -part);

  const parts = weights.map((w) => (total * w) / weightSum);
  const remainders = weights.map((w, index) => ({ index, remainder: (total * w) % weightSum }));
  let leftover = total - parts.reduce((sum, p) => sum + p, 0n);
  remainders.sort((a, b) => (a.remainder === b.remainder ? a.index - b.index : a.remainder > b.remainder ? -1 : 1));
  for (const { index } of remainders) {
    if (leftover === 0n) break;
    parts[index] = (parts[index] ?? 0n) + 1n;
    leftover -= 1n;
  }
  assert(leftover === 0n, 'allocate must hand out every unit');
  return parts;
}
