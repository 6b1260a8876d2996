/**
 * Masks values that look like secrets in text a function or AWS supplied (error types, error messages,
 * warnings), before it can reach a log, an annotation, a comment or the run report. A function under test
 * may echo its configuration or its input in an error ("login failed for password=…"), and AWS itself
 * echoes environment variables in some validation messages.
 *
 * What counts as a secret: AWS access key ids (AKIA…/ASIA…), the values of secret-like keys (password,
 * secret, token, api key, authorization, private key, access key, credentials) in JSON, `key=value` and
 * `key: value` forms, bearer/basic credentials, GitHub tokens (ghp_, gho_, ghu_, ghs_, ghr_, github_pat_),
 * JSON web tokens, passwords in URLs and PEM private keys. The patterns lean towards masking too much:
 * a masked word in an error message costs little, a leaked key costs a rotation.
 */

/** What a secret is replaced with (the runner's own mask). */
export const MASK = '***';

/** Keys whose value is a secret: `dbPassword`, `client_secret`, `X-Api-Key`, `aws_session_token`, … */
const SECRET_KEY = String.raw`[\w.-]*(?:passw(?:or)?d|pwd|secret|token|api[-_]?key|authorization|private[-_]?key|access[-_]?key|credentials?)[\w.-]*`;
/** In the unquoted `key: value` form, a bare "token" is too common in prose ("Unexpected token: }"). */
const SECRET_KEY_PROSE = String.raw`[\w.-]*(?:passw(?:or)?d|secret|api[-_]?key|authorization|private[-_]?key|access[-_]?key|credentials?|[a-z_-]token)[\w.-]*`;

interface Rule {
  pattern: RegExp;
  /** Index of the capture group that holds the secret; 0 = the whole match. */
  group: number;
}

// Order matters: the whole-value rules run first, so that a key rule does not mask only a key's prefix.
const RULES: Rule[] = [
  // PEM private keys (a truncated one, without its END line, is masked to the end of the text).
  {
    pattern: /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|$)/g,
    group: 0
  },
  // AWS access key ids: long-term (AKIA) and temporary (ASIA).
  { pattern: /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/g, group: 0 },
  // GitHub tokens: classic and app tokens, and fine-grained personal access tokens.
  { pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})\b/g, group: 0 },
  // JSON web tokens: header.payload.signature, the first two base64url JSON objects.
  { pattern: /\beyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, group: 0 },
  // Bearer and basic credentials, as in an Authorization header.
  { pattern: /\b(?:Bearer|Basic)\s+([A-Za-z0-9._~+/=-]{6,})/g, group: 1 },
  // A password in a URL: scheme://user:password@host.
  { pattern: /\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:([^\s@/]+)@/gi, group: 1 },
  // "key": "value" in JSON, also JSON escaped inside a string (\"key\":\"value\") and single quotes.
  { pattern: new RegExp(String.raw`"${SECRET_KEY}"\s*:\s*"((?:[^"\\]|\\[^"])*)"`, 'gi'), group: 1 },
  { pattern: new RegExp(String.raw`\\"${SECRET_KEY}\\"\s*:\s*\\"((?:[^"\\]|\\[^"])*)\\"`, 'gi'), group: 1 },
  { pattern: new RegExp(String.raw`'${SECRET_KEY}'\s*:\s*'([^'\\]*)'`, 'gi'), group: 1 },
  // key=value (environment, query strings, connection strings).
  { pattern: new RegExp(String.raw`\b${SECRET_KEY}=([^\s&;,'"]+)`, 'gi'), group: 1 },
  // key: value (headers, YAML, prose), where the value is not quoted and not an auth scheme.
  {
    pattern: new RegExp(String.raw`(?:^|[\s{(,;])${SECRET_KEY_PROSE}:[ \t]*(?!(?:Bearer|Basic)\s)([^\s,;'"]+)`, 'gim'),
    group: 1
  }
];

/** Values that hold nothing secret, even after a secret-like key. */
const HARMLESS = new Set(['', MASK, 'null', 'undefined', 'true', 'false', 'none', '[redacted]', '<redacted>']);

/**
 * The secret values in `text`, each once, in the order found.
 *
 * @example
 * ```ts
 * findSecrets('login failed: {"password":"hunter2"} with AKIAIOSFODNN7EXAMPLE');
 * // ['AKIAIOSFODNN7EXAMPLE', 'hunter2']
 * ```
 */
export function findSecrets(text: string): string[] {
  const found = new Set<string>();
  scan(text, (secret) => found.add(secret));
  return [...found];
}

/**
 * `text` with every secret replaced by {@link MASK}.
 *
 * @example
 * ```ts
 * redact('Authorization: Bearer abc.def.ghi, password=hunter2');
 * // 'Authorization: Bearer ***, password=***'
 * ```
 */
export function redact(text: string): string {
  return scan(text, () => undefined);
}

/**
 * Masks the secrets in `text` and registers each one with `setSecret` (in the action: `core.setSecret`),
 * so the runner masks it too wherever else it might be printed, e.g. in a debug line.
 *
 * A multi-line secret (a private key) is registered line by line, as the runner masks line by line;
 * values shorter than 4 characters are masked here but not registered, since the runner would then
 * mask every occurrence of, say, "abc" in the whole log.
 *
 * @example
 * ```ts
 * import * as core from '@actions/core';
 * core.setFailed(maskSecretsIn(errorMessage(error), core.setSecret));
 * ```
 */
export function maskSecretsIn(text: string, setSecret: (secret: string) => void): string {
  const registered = new Set<string>();
  return scan(text, (secret) => {
    for (const line of secret.split(/\r?\n/)) {
      const value = line.trim();
      // A PEM key's BEGIN/END lines are not secret; its body lines are.
      if (value.length < 4 || value.startsWith('-----') || registered.has(value)) continue;
      registered.add(value);
      setSecret(value);
    }
  });
}

/** Applies every rule in order; `onSecret` sees each value before it is masked. */
function scan(text: string, onSecret: (secret: string) => void): string {
  let result = text;
  for (const { pattern, group } of RULES) {
    result = result.replace(pattern, (match: string, ...rest: unknown[]) => {
      const secret = group === 0 ? match : rest[group - 1];
      if (typeof secret !== 'string' || HARMLESS.has(secret.toLowerCase())) return match;
      onSecret(secret);
      if (group === 0) return MASK;
      // A grouped secret comes after its key, so its last occurrence in the match is the value itself.
      const at = match.lastIndexOf(secret);
      return `${match.slice(0, at)}${MASK}${match.slice(at + secret.length)}`;
    });
  }
  return result;
}
