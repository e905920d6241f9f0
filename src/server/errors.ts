/** API errors in the Wix envelope: `{message, details: {applicationError | validationError}}`. */
import type { core } from 'zod/mini';
import { toFieldViolations, type ErrorEnvelope, type FieldViolation } from '../api/schema.js';

export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 428 | 429 | 500 | 503;

export class ApiError extends Error {
  constructor(
    readonly status: ErrorStatus,
    message: string,
    readonly code: string,
    readonly violations?: FieldViolation[],
    readonly data?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  toJSON(): ErrorEnvelope {
    if (this.violations?.length) {
      return { message: this.message, details: { validationError: { fieldViolations: this.violations } } };
    }
    return {
      message: this.message,
      details: {
        applicationError: {
          code: this.code,
          description: this.message,
          ...(this.data === undefined ? {} : { data: this.data }),
        },
      },
    };
  }
}

export const badRequest = (message: string, code = 'INVALID_ARGUMENT') =>
  new ApiError(400, message, code);
export const notFound = (what: string) => new ApiError(404, `${what} not found`, 'NOT_FOUND');
export const forbidden = (message: string) => new ApiError(403, message, 'PERMISSION_DENIED');
export const unauthorized = (message = 'This operation needs the owner API key in the Authorization header') =>
  new ApiError(401, message, 'UNAUTHENTICATED');
export const conflict = (message: string, code: string, data?: unknown) =>
  new ApiError(409, message, code, undefined, data);

/** A 400 listing every field that failed validation. */
export function invalid(issues: readonly core.$ZodIssue[], prefix = ''): ApiError {
  const violations = toFieldViolations(issues, prefix);
  const first = violations[0];
  const message =
    violations.length === 1 && first
      ? `${first.field} ${first.description}`
      : `Invalid request: ${violations.map((v) => `${v.field} ${v.description}`).join('; ')}`;
  return new ApiError(400, message, 'INVALID_ARGUMENT', violations);
}

/** A single-field violation, for checks made outside zod. */
export function fieldError(field: string, description: string, ruleName = 'INVALID_ARGUMENT'): ApiError {
  return new ApiError(400, `${field} ${description}`, 'INVALID_ARGUMENT', [
    { field, description, ruleName },
  ]);
}
