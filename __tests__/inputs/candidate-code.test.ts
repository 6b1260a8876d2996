/**
 * The candidate code is checked when the inputs are read: each bad package is refused as the `code` input,
 * naming the path and what is wrong, before anything in AWS is touched. The table is the list of packages
 * tried.
 */
import { describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { InputError } from '../../src/errors.js';
import { checkCandidateCode } from '../../src/inputs/candidate-code.js';
import { parseGateSettings } from '../../src/inputs/gate-settings.js';
import type { CandidateCode } from '../../src/sweep/types.js';

const dir = mkdtempSync(join(tmpdir(), 'lcg-code-'));
const at = (name: string) => join(dir, name);
const validZip = zipSync({ 'index.mjs': new TextEncoder().encode('export const handler = async () => 1;') });
writeFileSync(at('good.zip'), validZip);
writeFileSync(at('text.zip'), 'this is not a zip archive');
writeFileSync(at('truncated.zip'), validZip.slice(0, Math.floor(validZip.length / 2)));
writeFileSync(at('empty-archive.zip'), zipSync({}));
writeFileSync(at('zero-bytes.zip'), '');
writeFileSync(at('big.zip'), '');
truncateSync(at('big.zip'), 51 * 1024 * 1024); // sparse: 51 MB on paper, nothing on disk
mkdirSync(at('folder.zip'));
mkdirSync(at('empty-folder'));
mkdirSync(at('good-folder'));
writeFileSync(join(at('good-folder'), 'index.mjs'), 'export const handler = async () => 1;');
writeFileSync(at('a-file'), 'x');

/** [what, the code input, what the message must say] */
const BAD_CODE: Array<[string, CandidateCode, RegExp]> = [
  ['a zip that does not exist', { kind: 'zip', path: at('missing.zip') }, /does not exist/],
  ['a text file named .zip', { kind: 'zip', path: at('text.zip') }, /not a valid zip archive/],
  ['a truncated zip', { kind: 'zip', path: at('truncated.zip') }, /not a valid zip archive/],
  ['a zip of zero bytes', { kind: 'zip', path: at('zero-bytes.zip') }, /not a valid zip archive|empty/],
  ['a zip with no files', { kind: 'zip', path: at('empty-archive.zip') }, /archive is empty/],
  ['a zip above 50 MB', { kind: 'zip', path: at('big.zip') }, /51\.0 MB: upload it to S3/],
  ['a folder named .zip', { kind: 'zip', path: at('folder.zip') }, /it is a folder/],
  ['a folder that does not exist', { kind: 'directory', path: at('missing-folder') }, /does not exist/],
  ['an empty folder', { kind: 'directory', path: at('empty-folder') }, /it is empty/],
  ['a file given as a folder', { kind: 'directory', path: at('a-file') }, /it is a file/]
];

describe('checkCandidateCode', () => {
  it.each(BAD_CODE)('refuses %s as the code input, naming the path', (_what, code, says) => {
    const error = (() => {
      try {
        checkCandidateCode(code);
      } catch (thrown) {
        return thrown;
      }
      throw new Error('expected the code to be refused');
    })();
    expect(error).toBeInstanceOf(InputError);
    expect(error).toMatchObject({ input: 'code', value: code.kind === 's3' ? '' : code.path });
    expect((error as Error).message).toMatch(says);
  });

  it('accepts a valid zip, a folder with files, and S3 code (which Lambda checks)', () => {
    expect(() => checkCandidateCode({ kind: 'zip', path: at('good.zip') })).not.toThrow();
    expect(() => checkCandidateCode({ kind: 'directory', path: at('good-folder') })).not.toThrow();
    expect(() => checkCandidateCode({ kind: 's3', bucket: 'b', key: 'k.zip' })).not.toThrow();
  });

  it('names the config file entry when a listed function has a broken package', () => {
    const config = `functions:\n  - function-name: a\n  - function-name: b\n    code: ${at('text.zip')}\n`;
    expect(() =>
      parseGateSettings((name) => (name === 'config-file' ? 'gate.yml' : ''), {
        readFile: () => config,
        newRunId: () => 'r1',
        checkCode: checkCandidateCode
      })
    ).toThrow(/config-file functions\[1\]\.code.*not a valid zip archive/);
  });
});
