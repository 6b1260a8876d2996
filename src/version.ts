/**
 * The package version, sent in every AWS request's user agent.
 *
 * Kept as a constant rather than read from package.json at run time: the bundled action has no
 * package.json beside it. `__tests__/version.test.ts` fails when the two drift apart.
 */
export const VERSION = '0.1.0';
