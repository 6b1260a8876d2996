/**
 * The `config-file` input: a YAML file that lists several functions, each with its own inputs.
 *
 * ```yaml
 * functions:
 *   - function-name: orders-api
 *     max-p99-increase: 15%
 * defaults:          # optional; below each function's own keys, above the action's inputs
 *   invocations: 30
 * ```
 *
 * The file only supplies strings: each function is then parsed by the same field parsers as the
 * action's inputs, through an {@link InputReader} over the chain entry → defaults → action input.
 */
import { parse, YAMLParseError } from 'yaml';
import { z } from 'zod';
import { InputError } from '../errors.js';
import type { InputReader } from './field.js';
import { GateInputs, Inputs, SweepInputs, type InputName } from './names.js';

/** The most functions one run gates: each is a whole sweep. */
export const MAX_FUNCTIONS = 100;

/** Keys every function entry (and `defaults`) may set; run-wide inputs such as mode stay action inputs. */
export const DEFAULTS_KEYS: readonly InputName[] = [
  // run-id names the whole run, so it is never per function.
  ...Object.values(SweepInputs).filter((name) => name !== SweepInputs.RunId),
  GateInputs.MaxCostIncrease,
  GateInputs.MaxP99Increase,
  GateInputs.MaxCostPerMillion,
  GateInputs.MaxP99Ms,
  GateInputs.MaxErrorRate,
  GateInputs.MaxMonthlyIncrease,
  GateInputs.GateMemory,
  GateInputs.GateInvocations,
  GateInputs.Sampling,
  GateInputs.BaselineFile,
  GateInputs.BaselineQualifier,
  GateInputs.BaselineArtifact,
  GateInputs.MonthlyInvocations
];
/** Keys of a `functions` entry: function-name (required) and {@link DEFAULTS_KEYS}. */
export const FUNCTION_KEYS: readonly InputName[] = [Inputs.FunctionName, ...DEFAULTS_KEYS];

const value = z
  .union([z.string(), z.number(), z.boolean()])
  .meta({ description: 'The value the action input of the same name would hold.' });
const optionalKeys = Object.fromEntries(DEFAULTS_KEYS.map((key) => [key, value.optional()]));

/** The file's shape, before any value is checked by its input's parser. */
export const configFileSchema = z
  .strictObject({
    functions: z
      .array(
        z.strictObject({
          [Inputs.FunctionName]: z.string().meta({ description: 'A Lambda function name, ARN or partial ARN.' }),
          ...optionalKeys
        })
      )
      .min(1)
      .max(MAX_FUNCTIONS),
    defaults: z.strictObject(optionalKeys).optional()
  })
  .meta({ title: 'lambda-cost-gate config-file', description: 'Functions gated by one run of lambda-cost-gate.' });

/** Values as strings, exactly as an action input would hold them. */
type Values = Partial<Record<InputName, string>>;

/** A config file after its shape was checked. */
export interface ConfigFile {
  path: string;
  functions: Values[];
  defaults: Values;
}

/**
 * The file's JSON Schema, for documentation and editors.
 *
 * @example
 * JSON.stringify(configFileJsonSchema(), null, 2)
 */
export function configFileJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(configFileSchema);
}

/**
 * Reads the file and checks its shape; the values are checked later, by each input's parser.
 *
 * @example
 * readConfigFile('.github/lambda-cost-gate.yml', (path) => readFileSync(path, 'utf8'))
 * @throws {@link InputError} naming config-file (or the entry and key) for a missing file, bad YAML,
 *   a wrong shape or an unknown key
 */
export function readConfigFile(path: string, readFile: (path: string) => string): ConfigFile {
  let text: string;
  try {
    text = readFile(path);
  } catch (error) {
    throw new InputError(GateInputs.ConfigFile, path, 'a readable YAML file', { cause: error });
  }
  let data: unknown;
  try {
    data = parse(text);
  } catch (error) {
    // Only the first line: the rest of yaml's message quotes the file.
    const where = error instanceof YAMLParseError ? `; ${error.message.split('\n')[0]?.replace(/:$/, '')}` : '';
    throw new InputError(GateInputs.ConfigFile, path, `a valid YAML file${where}`);
  }
  const result = configFileSchema.safeParse(data);
  if (!result.success) throw shapeError(path, data, result.error.issues);
  return {
    path,
    functions: result.data.functions.map(asStrings),
    defaults: asStrings(result.data.defaults ?? {})
  };
}

/**
 * Runs `parse` with the inputs of one function of the file: its own keys, then `defaults`, then the
 * action's inputs. An error about a value from the file names where it was, e.g.
 * `config-file functions[1].max-p99-increase`.
 *
 * @example
 * parseEntry(file, 0, (name) => core.getInput(name), (read) => parseSweepInputs(read, name, context))
 */
export function parseEntry<T>(file: ConfigFile, index: number, read: InputReader, parse: (read: InputReader) => T): T {
  const own = file.functions[index] ?? {};
  const chained: InputReader = (name) => own[name] ?? file.defaults[name] ?? read(name);
  try {
    return parse(chained);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    const name = error.input as InputName;
    const where = name in own ? `functions[${index}]` : name in file.defaults ? 'defaults' : undefined;
    if (where === undefined) throw error;
    throw new InputError(`${GateInputs.ConfigFile} ${where}.${name}`, error.value, error.allowed, {
      cause: error.cause
    });
  }
}

function asStrings(entry: Record<string, string | number | boolean | undefined>): Values {
  const values: Values = {};
  for (const [key, raw] of Object.entries(entry)) if (raw !== undefined) values[key as InputName] = String(raw);
  return values;
}

/** The first problem with the file's shape, as an InputError naming the entry and key where it lies. */
function shapeError(path: string, data: unknown, issues: z.core.$ZodIssue[]): InputError {
  // An unknown key is the likeliest mistake (a typo), so it is reported before anything else.
  const issue = issues.find((i) => i.code === 'unrecognized_keys') ?? issues[0];
  const at = issue?.path ?? [];
  const where = at
    .map((part) => (typeof part === 'number' ? `[${part}]` : `.${String(part)}`))
    .join('')
    .replace(/^\./, '');
  const input = where ? `${GateInputs.ConfigFile} ${where}` : GateInputs.ConfigFile;
  if (issue?.code === 'unrecognized_keys') {
    const keys = at.length === 0 ? ['functions', 'defaults'] : at[0] === 'defaults' ? DEFAULTS_KEYS : FUNCTION_KEYS;
    const place = at.length === 0 ? 'the top level' : at[0] === 'defaults' ? 'defaults' : 'a functions entry';
    return new InputError(input, issue.keys[0] ?? '', `a key of ${place} in ${path}: ${keys.join(', ')}`);
  }
  const [top, entry, key] = at;
  const got = shown(valueAt(data, at));
  if (top === 'functions' && key === Inputs.FunctionName) {
    return new InputError(input, got, 'a function name, ARN or partial ARN (every entry needs one)');
  }
  // A key's value: functions[i].key or defaults.key.
  if (key !== undefined || (top === 'defaults' && entry !== undefined)) {
    return new InputError(input, got, 'text, a number, or true or false');
  }
  if (top === 'functions' && entry !== undefined) {
    return new InputError(input, got, 'a mapping of input names to values, with function-name');
  }
  if (top === 'functions') return new InputError(input, got, `a list of 1 to ${MAX_FUNCTIONS} functions in ${path}`);
  if (top === 'defaults') return new InputError(input, got, `a mapping of input names to values in ${path}`);
  return new InputError(input, path, 'a YAML mapping with a functions list (and optionally defaults)');
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let current = data;
  for (const part of path) current = (current as Record<PropertyKey, unknown> | null | undefined)?.[part];
  return current;
}

/** A value from the file as an error message shows it, cut short. */
function shown(value: unknown): string {
  const text = typeof value === 'string' ? value : value === undefined ? '' : (JSON.stringify(value) ?? String(value));
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
