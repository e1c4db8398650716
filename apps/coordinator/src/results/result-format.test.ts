import { describe, expect, it } from 'vitest';
import { UNSUPPORTED_FORMAT, attachmentHeader, chooseResultFormat } from './result-format.ts';

describe('chooseResultFormat', () => {
  it('answers JSON when nothing is asked, or any type is welcome', () => {
    expect(chooseResultFormat(undefined, undefined)).toBe('json');
    expect(chooseResultFormat('*/*', undefined)).toBe('json');
    expect(chooseResultFormat('text/html,application/xhtml+xml,*/*;q=0.8', undefined)).toBe('json');
  });

  it('takes the most preferred type of the Accept header it can send', () => {
    expect(chooseResultFormat('text/csv', undefined)).toBe('csv');
    expect(chooseResultFormat('application/x-ndjson', undefined)).toBe('ndjson');
    expect(chooseResultFormat('application/vnd.apache.arrow.stream', undefined)).toBe('arrow');
    expect(chooseResultFormat('application/vnd.apache.parquet', undefined)).toBe('parquet');
    expect(chooseResultFormat('application/json; charset=utf-8', undefined)).toBe('json');
    expect(chooseResultFormat('text/csv;q=0.5, application/vnd.apache.parquet', undefined)).toBe('parquet');
    expect(chooseResultFormat('image/png, text/csv;q=0.1', undefined)).toBe('csv');
  });

  it('lets a format parameter (name or media type) win over the header', () => {
    expect(chooseResultFormat('text/csv', 'parquet')).toBe('parquet');
    expect(chooseResultFormat(undefined, 'NDJSON')).toBe('ndjson');
    expect(chooseResultFormat(undefined, 'text/csv')).toBe('csv');
  });

  it('refuses an unknown format name with 400 and an Accept it cannot meet with 406, listing the formats', () => {
    expect(() => chooseResultFormat(undefined, 'xml')).toThrow(
      expect.objectContaining({
        code: UNSUPPORTED_FORMAT,
        status: 400,
        message: expect.stringContaining('parquet'),
      }),
    );
    expect(() => chooseResultFormat('text/html', undefined)).toThrow(
      expect.objectContaining({
        code: UNSUPPORTED_FORMAT,
        status: 406,
        message: expect.stringContaining('text/csv'),
      }),
    );
    expect(() => chooseResultFormat('text/csv;q=0', undefined)).toThrow(
      expect.objectContaining({ status: 406 }),
    );
  });

  it('names downloads after the job', () => {
    expect(attachmentHeader('abc', 'parquet')).toBe('attachment; filename="abc.parquet"');
  });
});
