/**
 * `{ ...base, ...fields }`, built so that V8 keeps one hidden class for it. On Node 20 (V8
 * 11.3) a spread followed by a key the spread object lacks — `{ ...message.data, at }` —
 * makes a new hidden class on every call: ~1.4 µs instead of ~0.1 µs, a map object to collect
 * each time, and every reader of the result turned megamorphic. Overriding keys the object
 * has is not affected; `Object.assign` onto a fresh object follows the shared transitions.
 * The same result, key order included (a key named `__proto__` would be assigned, not
 * defined; no record of ours has one): use it where a record gains keys on a hot path.
 */
export function withFields<T extends object, U extends object>(base: T, fields: U): T & U {
  return Object.assign({}, base, fields);
}
