/**
 * Typed errors of fleet right-sizing. The ports throw the first three so that the core can react
 * (split a batch, wait for a query slot, skip a function) without knowing the SDK's exception classes.
 */
import { LambdaCostGateError } from '../errors.js';

/** StartQuery named a log group that does not exist (the function never logged, or its logs were deleted). */
export class LogGroupNotFoundError extends LambdaCostGateError {}

/** StartQuery refused: the account's concurrent Logs Insights queries are all in use. */
export class QueryLimitError extends LambdaCostGateError {}

/** The function's configuration changed after it was read (RevisionId mismatch, HTTP 412). */
export class RevisionChangedError extends LambdaCostGateError {}

/** The run was cancelled while queries were running; they were stopped. */
export class RightSizeCancelledError extends LambdaCostGateError {}

/** A sweep report given for the run cannot be used. */
export class SweepReportError extends LambdaCostGateError {}
