import { describe, expect, it } from '@jest/globals';
import { zipSync } from 'fflate';
import { BaselineArtifactError, readReportFromZip, reportFileName } from '../../src/baseline/artifact-files.js';

const zip = (files: Record<string, string>): Uint8Array =>
  zipSync(Object.fromEntries(Object.entries(files).map(([k, v]) => [k, new TextEncoder().encode(v)])));

describe('reportFileName', () => {
  it('keeps a plain function name', () => {
    expect(reportFileName('orders-api_v2')).toBe('orders-api_v2.run-report.json');
  });

  it('makes ARNs and odd names safe, and keeps them apart from the plain names they resemble', () => {
    const arn = reportFileName('arn:aws:lambda:eu-west-1:123456789012:function:orders-api:live');
    expect(arn).toMatch(
      /^arn_aws_lambda_eu-west-1_123456789012_function_orders-api_live\.[0-9a-f]{8}\.run-report\.json$/
    );
    expect(reportFileName('a:b')).not.toBe(reportFileName('a_b'));
    for (const name of ['../../etc/passwd', '.hidden', 'a/b\\c', '']) {
      expect(reportFileName(name)).toMatch(/^[A-Za-z0-9_-]+(\.[0-9a-f]{8})?\.run-report\.json$/);
    }
  });
});

describe('readReportFromZip', () => {
  it('reads the function report at the top of the archive', () => {
    const bytes = zip({ 'orders-api.run-report.json': '{"a":1}', 'payments.run-report.json': '{"b":2}' });
    expect(readReportFromZip(bytes, 'payments')).toBe('{"b":2}');
  });

  it('finds the report in a sub-directory', () => {
    expect(readReportFromZip(zip({ 'reports/orders-api.run-report.json': 'x' }), 'orders-api')).toBe('x');
  });

  it('names the files that are there when the function has no report', () => {
    const bytes = zip({ 'payments.run-report.json': '{}', 'notes.txt': '' });

    expect(() => readReportFromZip(bytes, 'orders-api')).toThrow(
      new BaselineArtifactError(
        "The baseline artifact has no report for function orders-api (looked for 'orders-api.run-report.json'; it holds 'payments.run-report.json', 'notes.txt')",
        []
      )
    );
  });

  it('says when the archive is not a zip', () => {
    expect(() => readReportFromZip(new TextEncoder().encode('<html>Not Found</html>'), 'f')).toThrow(
      'The baseline artifact is not a readable zip archive'
    );
  });
});
