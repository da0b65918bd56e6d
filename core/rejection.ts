/**
 * A rejection is an expected outcome of a decision, returned as a value (never thrown).
 * `code` is the stable snake_case code that travels to the wire; `detail` is for humans.
 */
export interface Rejection<Code extends string = string> {
  readonly kind: 'rejection';
  readonly code: Code;
  readonly detail: string;
}

export function reject<Code extends string>(code: Code, detail: string): Rejection<Code> {
  return { kind: 'rejection', code, detail };
}

export function isRejection(value: unknown): value is Rejection {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'rejection';
}

/** Thrown only for programmer errors: a broken invariant the code itself owns. */
export class InvariantViolation extends Error {
  override readonly name = 'InvariantViolation';
}

export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new InvariantViolation(message);
}

/**
 * A broken invariant, for checks that run on every message: `if (!holds) violated(text)`
 * builds a template text only when the check fails; `assert(holds, text)` builds it every time.
 */
export function violated(message: string): never {
  throw new InvariantViolation(message);
}

export function assertNever(value: never, what: string): never {
  throw new InvariantViolation(`unhandled ${what}: ${JSON.stringify(value)}`);
}
