/**
 * One input, validated: its schema and the words an error message uses for what it accepts.
 * Shared by every group of inputs so each bad value gets the same kind of message.
 */
import type { z } from 'zod';
import { InputError } from '../errors.js';
import type { InputName } from './names.js';

/** Reads one raw input by name: `core.getInput` in the action, a CLI flag, a map in tests. */
export type InputReader = (name: InputName) => string;

export interface FieldSpec<T> {
  allowed: string;
  schema: z.ZodType<T, string>;
}

/** An input that may be left empty: '' means "not set". */
export const EMPTY = '';

/**
 * Validates one input; throws {@link InputError} naming the input, the value and what is allowed.
 *
 * @example
 * readField(read, 'invocations', { allowed: 'a whole number', schema: z.string().transform(Number) })
 */
export function readField<T>(read: InputReader, name: InputName, spec: FieldSpec<T>): T {
  const raw = read(name).trim();
  const result = spec.schema.safeParse(raw);
  // Zod's issue list is not passed on as the cause: InputError already says all a user needs.
  if (!result.success) throw new InputError(name, raw, spec.allowed);
  return result.data;
}
