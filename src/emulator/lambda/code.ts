/**
 * Function code as Lambda stores it: a zip whose SHA-256 identifies it. The emulator unpacks
 * each distinct zip once into its own folder, so versions can share it and stay frozen.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, statSync, writeFileSync, existsSync, rmSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { unzipSync, zipSync } from 'fflate';
import { AwsError, invalidParameter } from '../http/aws-error.js';
import { MODEL_FILE_NAME, parseFunctionModel } from '../model/schema.js';
import type { CodeSource } from '../runtime/types.js';

/** Direct uploads are limited to 50 MB zipped; unzipped code to 250 MB. */
export const MAX_ZIP_BYTES = 50 * 1024 * 1024;
export const MAX_UNZIPPED_BYTES = 250 * 1024 * 1024;

export interface StoredCode {
  /** Base64 SHA-256 of the zip, as Lambda reports `CodeSha256`. */
  sha256: string;
  size: number;
  source: CodeSource;
}

/** Where an UpdateFunctionCode or CreateFunction request says the code is. */
export interface CodeLocation {
  zipFile?: Buffer;
  s3Bucket?: string;
  s3Key?: string;
  s3ObjectVersion?: string;
  imageUri?: string;
}

export class CodeRepository {
  private readonly unpacked = new Map<string, StoredCode>();
  /** The zips themselves, by hex SHA-256, for GetFunction's download link. */
  private readonly zips = new Map<string, Buffer>();

  /**
   * @param workDir a folder the emulator owns; each zip is unpacked below it
   * @param s3Dir the local folder that stands in for S3: `s3Dir/<bucket>/<key>`
   */
  constructor(
    private readonly workDir: string,
    private readonly s3Dir: string | undefined
  ) {}

  /** Resolves, validates and unpacks code; the same zip is unpacked once. */
  store(location: CodeLocation): StoredCode {
    const zip = this.readZip(location);
    if (zip.length > MAX_ZIP_BYTES) {
      throw new AwsError(
        'RequestTooLargeException',
        `Unzipped size must be smaller than ${MAX_UNZIPPED_BYTES} bytes`,
        413
      );
    }
    const sha256 = createHash('sha256').update(zip).digest('base64');
    const known = this.unpacked.get(sha256);
    if (known) return known;
    const files = unzip(zip);
    const stored: StoredCode = { sha256, size: zip.length, source: this.toSource(sha256, files) };
    this.unpacked.set(sha256, stored);
    this.zips.set(hexOf(sha256), zip);
    return stored;
  }

  /** The zip whose SHA-256 (hex) is given, as GetFunction's `Code.Location` serves it. */
  download(sha256Hex: string): Buffer | undefined {
    return this.zips.get(sha256Hex);
  }

  /** Removes every unpacked folder. */
  dispose(): void {
    rmSync(this.workDir, { recursive: true, force: true });
  }

  private readZip(location: CodeLocation): Buffer {
    if (location.imageUri !== undefined) {
      throw invalidParameter(
        'Container images (ImageUri) are not supported by the lambda-cost-gate emulator: package the function as a .zip file (ZipFile or S3Bucket/S3Key).'
      );
    }
    if (location.zipFile) return location.zipFile;
    if (location.s3Bucket !== undefined || location.s3Key !== undefined) return this.readS3(location);
    throw invalidParameter('Please provide a source for function code: ZipFile or S3Bucket and S3Key.');
  }

  private readS3(location: CodeLocation): Buffer {
    const { s3Bucket, s3Key } = location;
    if (!s3Bucket || !s3Key) throw invalidParameter('S3Bucket and S3Key must both be given.');
    if (!this.s3Dir) {
      throw invalidParameter(
        `Error occurred while GetObject. S3 Error Code: NoSuchBucket. S3 Error Message: The emulator has no S3 folder configured (start it with an "s3Dir" in its config) to resolve s3://${s3Bucket}/${s3Key}.`
      );
    }
    const root = resolve(this.s3Dir);
    const file = resolve(root, s3Bucket, s3Key);
    if (!file.startsWith(root + sep) || !existsSync(file) || !statSync(file).isFile()) {
      throw invalidParameter(
        `Error occurred while GetObject. S3 Error Code: NoSuchKey. S3 Error Message: The specified key does not exist: s3://${s3Bucket}/${s3Key}`
      );
    }
    return readFileSync(file);
  }

  private toSource(sha256: string, files: Record<string, Uint8Array>): CodeSource {
    const modelFile = files[MODEL_FILE_NAME];
    if (modelFile) {
      let json: unknown;
      try {
        json = JSON.parse(Buffer.from(modelFile).toString('utf8'));
      } catch {
        throw invalidParameter(`${MODEL_FILE_NAME} in the zip is not valid JSON.`);
      }
      try {
        return { kind: 'model', model: parseFunctionModel(json) };
      } catch (error) {
        throw invalidParameter(`${MODEL_FILE_NAME} in the zip is not a valid model: ${(error as Error).message}`);
      }
    }
    const dir = join(this.workDir, createHash('sha256').update(sha256).digest('hex').slice(0, 16));
    for (const [name, data] of Object.entries(files)) {
      if (name.endsWith('/')) continue;
      const target = resolve(dir, name);
      // A zip entry must never escape its folder ("zip slip").
      if (!target.startsWith(resolve(dir) + sep)) throw invalidParameter(`Zip entry ${name} escapes the code folder.`);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, data);
    }
    mkdirSync(dir, { recursive: true });
    return { kind: 'directory', path: dir };
  }
}

/** Base64 CodeSha256 → hex, the form used in download links. */
export function hexOf(sha256Base64: string): string {
  return Buffer.from(sha256Base64, 'base64').toString('hex');
}

function unzip(zip: Buffer): Record<string, Uint8Array> {
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(new Uint8Array(zip.buffer, zip.byteOffset, zip.length));
  } catch {
    throw new AwsError(
      'InvalidZipFileException',
      'Could not unzip uploaded file. Please check your file, then try to upload again.',
      400
    );
  }
  let total = 0;
  for (const data of Object.values(files)) total += data.length;
  if (total > MAX_UNZIPPED_BYTES) {
    throw invalidParameter(`Unzipped size must be smaller than ${MAX_UNZIPPED_BYTES} bytes`);
  }
  return files;
}

/** Zips a model declaration into a code package that the emulator runs as a modelled function. */
export function zipModel(model: Record<string, unknown>): Buffer {
  return Buffer.from(
    zipSync({ [MODEL_FILE_NAME]: [Buffer.from(JSON.stringify(model)), { mtime: new Date('2020-01-01T00:00:00Z') }] })
  );
}
