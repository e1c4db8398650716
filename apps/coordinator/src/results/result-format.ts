import { RequestError } from '@tributary/common';

/** The formats a result can be sent in, by name, with their media type and file extension. */
export const RESULT_FORMATS = {
  json: { mediaType: 'application/json', extension: 'json' },
  ndjson: { mediaType: 'application/x-ndjson', extension: 'ndjson' },
  arrow: { mediaType: 'application/vnd.apache.arrow.stream', extension: 'arrows' },
  csv: { mediaType: 'text/csv', extension: 'csv' },
  parquet: { mediaType: 'application/vnd.apache.parquet', extension: 'parquet' },
} as const;

export type ResultFormat = keyof typeof RESULT_FORMATS;

/** A format name or media type that is not one of RESULT_FORMATS (400 for a name, 406 for an Accept header). */
export const UNSUPPORTED_FORMAT = 'UNSUPPORTED_FORMAT';

const NAMES = Object.keys(RESULT_FORMATS) as ResultFormat[];
const LISTED = NAMES.map((n) => `${n} (${RESULT_FORMATS[n].mediaType})`).join(', ');

function byMediaType(mediaType: string): ResultFormat | undefined {
  return NAMES.find((n) => RESULT_FORMATS[n].mediaType === mediaType);
}

/**
 * The format a client asked for: a `format` parameter (query string or body) names it and
 * wins; otherwise the Accept header's most preferred type we can send; JSON when neither
 * says (no header, or any type welcome). A name we do not know is a 400, an Accept header
 * naming only types we cannot send a 406: both list the formats there are.
 */
export function chooseResultFormat(accept: string | undefined, format: unknown): ResultFormat {
  if (format !== undefined && format !== null && format !== '') {
    const name = typeof format === 'string' ? format.toLowerCase() : '';
    const found = (NAMES as string[]).includes(name) ? (name as ResultFormat) : byMediaType(name);
    if (!found)
      throw new RequestError(
        UNSUPPORTED_FORMAT,
        `unknown result format ${JSON.stringify(format)}; the formats are: ${LISTED}`,
        {
          status: 400,
        },
      );
    return found;
  }
  if (accept === undefined || accept.trim() === '') return 'json';
  const ranges = accept
    .split(',')
    .map((part, order) => {
      const [type, ...params] = part.split(';').map((s) => s.trim().toLowerCase());
      const q = params.find((p) => p.startsWith('q='));
      return { type, q: q ? Number(q.slice(2)) : 1, order };
    })
    .filter((r) => r.type !== '' && !(r.q <= 0))
    .sort((a, b) => b.q - a.q || a.order - b.order);
  for (const range of ranges) {
    if (range.type === '*/*' || range.type === 'application/*') return 'json';
    const found = byMediaType(range.type);
    if (found) return found;
    if (range.type === 'text/*') return 'csv';
  }
  throw new RequestError(UNSUPPORTED_FORMAT, `cannot answer in ${accept}; the formats are: ${LISTED}`, {
    status: 406,
  });
}

/** A Content-Disposition that names the download after its job. */
export function attachmentHeader(jobId: string, format: ResultFormat): string {
  return `attachment; filename="${jobId}.${RESULT_FORMATS[format].extension}"`;
}
