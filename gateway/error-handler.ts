import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { isRuntimeError } from '../actors/runtime/errors.js';
import { errorRegistry, HttpError, isErrorCode, type ErrorCode } from './errors.js';

interface ValidationIssue {
  readonly keyword: string;
  readonly instancePath: string;
  readonly params: Record<string, unknown>;
  readonly message?: string;
}

/** A schema violation, named after the first issue ajv found. */
export function validationError(issue: ValidationIssue | undefined, where: string): HttpError {
  if (issue === undefined) return new HttpError('invalid_field', `invalid ${where}`);
  const path = issue.instancePath === '' ? where : `${where}${issue.instancePath}`;
  switch (issue.keyword) {
    case 'additionalProperties':
      return new HttpError('unknown_field', `unknown field ${String(issue.params.additionalProperty)}`, `${path}/${String(issue.params.additionalProperty)}`);
    case 'required':
      return new HttpError('missing_field', `missing field ${String(issue.params.missingProperty)}`, `${path}/${String(issue.params.missingProperty)}`);
    case 'maxItems':
      if (issue.instancePath === '/transfers') return new HttpError('batch_too_large', `a batch holds at most ${String(issue.params.limit)} transfers`, path);
      return new HttpError('invalid_field', `${path} ${issue.message ?? 'is invalid'}`, path);
    default:
      return new HttpError('invalid_field', `${path} ${issue.message ?? 'is invalid'}`, path);
  }
}

const fastifyCodes: Record<string, ErrorCode> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'malformed_json',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'empty_body',
  FST_ERR_CTP_BODY_TOO_LARGE: 'body_too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'invalid_content_length',
  FST_ERR_BAD_URL: 'route_not_found',
  FST_ERR_MAX_PARAM_LENGTH: 'path_parameter_too_long',
};

function toHttpError(error: unknown, request: FastifyRequest): HttpError {
  if (error instanceof HttpError) return error;
  if (isRuntimeError(error)) return new HttpError(error.code, error.message);
  const fastifyError = error as FastifyError & { validation?: ValidationIssue[]; validationContext?: string };
  if (Array.isArray(fastifyError.validation)) {
    const context = fastifyError.validationContext ?? 'body';
    if (context === 'body' && (request.body === null || request.body === undefined)) return new HttpError('empty_body', 'this route needs a JSON body');
    return validationError(fastifyError.validation[0], context);
  }
  const mapped = typeof fastifyError.code === 'string' ? fastifyCodes[fastifyError.code] : undefined;
  if (mapped !== undefined) return new HttpError(mapped, fastifyError.message);
  if (typeof fastifyError.statusCode === 'number' && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
    return new HttpError('invalid_field', fastifyError.message);
  }
  return new HttpError('internal_error', 'internal error');
}

export function errorBody(error: HttpError): { error: { code: string; message: string; field?: string } } {
  return { error: { code: error.code, message: error.message, ...(error.field !== undefined ? { field: error.field } : {}) } };
}

/** Every error leaves as `{ error: { code, message } }` with its registered status; never a stack. */
export function errorHandler(error: unknown, request: FastifyRequest, reply: FastifyReply): void {
  const httpError = toHttpError(error, request);
  if (httpError.code === 'internal_error') request.log.error({ err: error }, 'unhandled error');
  if (httpError.status === 503) void reply.header('retry-after', '1');
  void reply.status(httpError.status).send(errorBody(httpError));
}

/** A refusal from the ledger, as an HTTP error. An unregistered code is a bug. */
export function refusal(code: string, detail: string): HttpError {
  return isErrorCode(code) ? new HttpError(code, detail) : new HttpError('internal_error', `unregistered code ${code}`);
}

export { errorRegistry };
