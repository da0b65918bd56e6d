/**
 * Failures of the runtime, not of the domain: the outcome of the command is unknown or it
 * never ran, so a client retries with the same id. Each carries a stable wire code.
 */
export const runtimeErrorCodes = [
  'mailbox_full',
  'ask_timeout',
  'journal_failed',
  'actor_unavailable',
  'internal_error',
  'system_stopped',
  'overloaded',
  'partition_unavailable',
  'read_model_behind',
] as const;

export type RuntimeErrorCode = (typeof runtimeErrorCodes)[number];

export class ActorRuntimeError extends Error {
  override readonly name = 'ActorRuntimeError';
  constructor(
    readonly code: RuntimeErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function isRuntimeError(error: unknown): error is ActorRuntimeError {
  return error instanceof ActorRuntimeError;
}
