/**
 * Errors in the shape AWS returns them, so that the unmodified SDK v3 clients raise their
 * exported exception classes (ResourceNotFoundException, …) and the AWS CLI prints the code.
 */

/** A failed API call: the error code (`x-amzn-ErrorType`), the HTTP status and a message. */
export class AwsError extends Error {
  override readonly name = 'AwsError';
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
    /** Extra members of the error body, e.g. `Reason` of a throttle. */
    readonly fields: Record<string, unknown> = {},
    /** Extra response headers, e.g. `Retry-After`. */
    readonly headers: Record<string, string> = {}
  ) {
    super(message);
  }
}

export const resourceNotFound = (message: string): AwsError => new AwsError('ResourceNotFoundException', message, 404);

export const invalidParameter = (message: string): AwsError =>
  new AwsError('InvalidParameterValueException', message, 400);

export const resourceConflict = (message: string): AwsError => new AwsError('ResourceConflictException', message, 409);

export const preconditionFailed = (message: string): AwsError =>
  new AwsError('PreconditionFailedException', message, 412);

export const serviceError = (message: string): AwsError =>
  new AwsError('ServiceException', message, 500, { Type: 'Service' });

/** 429 with Lambda's reason, and `Retry-After` when the caller should wait. */
export const tooManyRequests = (reason: string, message: string, retryAfterSeconds?: number): AwsError =>
  new AwsError(
    'TooManyRequestsException',
    message,
    429,
    { Reason: reason, ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds: String(retryAfterSeconds) }) },
    retryAfterSeconds === undefined ? {} : { 'Retry-After': String(retryAfterSeconds) }
  );
