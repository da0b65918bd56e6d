function isPlainRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;
}

/**
 * A snapshot written before its state type gained a field: the field takes the value the
 * initial state gives it (states are plain records; a new field is added with the value
 * that means "nothing happened yet", e.g. an account never sealed). Events replayed on top
 * then set it as they would have.
 */
export function withFieldsAdded<State>(initial: State, loaded: State): State {
  if (!isPlainRecord(initial) || !isPlainRecord(loaded)) return loaded;
  for (const key of Object.keys(initial)) if (!(key in loaded)) return { ...initial, ...loaded };
  return loaded;
}
