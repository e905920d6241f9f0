/**
 * Streaming input for imports: physical lines with their numbers, and CSV records framed
 * from them with the line each record starts on.
 *
 * CSV records are framed here rather than by csv-parse's own stream, because a malformed
 * record must cost only itself: csv-parse (even with `skip_records_with_error`) resumes
 * after an unterminated or stray quote at the next quote it finds, which silently swallows
 * the valid rows in between. Here a record is the run of lines that balances the quotes
 * (RFC 4180: a line break is inside a field exactly when an odd number of quotes precede
 * it); each record is then parsed strictly by csv-parse. When a record is malformed, only
 * its first line is rejected and parsing resumes on the line after it, so every later
 * well-formed row is still imported, and the memory held is bounded by the record limits.
 */
import { StringDecoder } from 'node:string_decoder';
import { parse } from 'csv-parse/sync';

/** The file as a whole cannot be imported or exported (bad header, not NDJSON, output closed). */
export class TransferError extends Error {
  override name = 'TransferError';
}

/** Lines longer than this are refused: one NDJSON object or CSV line is far smaller. */
export const MAX_LINE_CHARS = 16 * 1024 * 1024;

/** One physical line (without its `\n`; a `\r` before it is kept) and its 1-based number. */
export interface Line {
  no: number;
  text: string;
}

/** Splits a byte or text stream into lines on `\n` only, so a `\r` inside a field survives. */
export async function* readLines(input: AsyncIterable<Buffer | string> | Iterable<Buffer | string>): AsyncGenerator<Line> {
  const decoder = new StringDecoder('utf8');
  let pending = '';
  let no = 0;
  for await (const chunk of input) {
    pending += typeof chunk === 'string' ? chunk : decoder.write(chunk);
    let start = 0;
    let nl: number;
    while ((nl = pending.indexOf('\n', start)) !== -1) {
      no++;
      yield { no, text: stripBom(no, pending.slice(start, nl)) };
      start = nl + 1;
    }
    pending = pending.slice(start);
    if (pending.length > MAX_LINE_CHARS) {
      throw new TransferError(`line ${no + 1} is longer than ${MAX_LINE_CHARS / 1024 / 1024} MiB: the file is not line-oriented (NDJSON or CSV)`);
    }
  }
  pending += decoder.end();
  if (pending !== '') yield { no: no + 1, text: stripBom(no + 1, pending) };
}

function stripBom(no: number, text: string): string {
  return no === 1 && text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** A CSV record (its fields) or the reason it could not be read, with its first line. */
export type CsvRecord = { line: number; fields: string[]; error?: undefined } | { line: number; fields?: undefined; error: string };

/** A quoted field may span at most this many lines or characters before it counts as unterminated. */
export const MAX_RECORD_LINES = 10_000;
export const MAX_RECORD_CHARS = 1024 * 1024;

/**
 * Frames and parses CSV records (comma-separated, `"` quotes, RFC 4180). Blank lines
 * between records are skipped. A malformed record yields an `error` for its first line
 * and parsing resumes on the next line.
 */
export async function* csvRecords(lines: AsyncIterable<Line>): AsyncGenerator<CsvRecord> {
  const source = lines[Symbol.asyncIterator]();
  const replay: Line[] = [];
  const next = async (): Promise<Line | undefined> => replay.shift() ?? (await source.next()).value ?? undefined;
  for (;;) {
    const first = await next();
    if (!first) return;
    if (first.text.trim() === '') continue;
    const parts = [first];
    let quotes = countQuotes(first.text);
    let chars = first.text.length;
    let unterminated: string | null = null;
    while (quotes % 2 === 1) {
      if (parts.length >= MAX_RECORD_LINES || chars > MAX_RECORD_CHARS) {
        unterminated = `malformed CSV: unterminated quoted field (no closing quote within ${MAX_RECORD_LINES.toLocaleString('en-US')} lines or ${MAX_RECORD_CHARS.toLocaleString('en-US')} characters)`;
        break;
      }
      const more = await next();
      if (!more) {
        unterminated = 'malformed CSV: unterminated quoted field (a quote opened on this line is never closed)';
        break;
      }
      parts.push(more);
      quotes += countQuotes(more.text);
      chars += more.text.length + 1;
    }
    if (unterminated) {
      replay.unshift(...parts.slice(1));
      yield { line: first.no, error: unterminated };
      continue;
    }
    const text = parts.map((p) => p.text).join('\n').replace(/\r$/, '');
    let records: string[][];
    try {
      records = parse(text, { record_delimiter: '\n', relax_column_count: true }) as string[][];
    } catch (err) {
      // The quotes balance but are misplaced: the record's extent is unknown, so only its
      // first line is given up and the lines after it are read again as records.
      replay.unshift(...parts.slice(1));
      yield { line: first.no, error: describeCsvError(err) };
      continue;
    }
    if (records.length !== 1) {
      replay.unshift(...parts.slice(1));
      yield { line: first.no, error: 'malformed CSV: the line could not be read as one record' };
      continue;
    }
    yield { line: first.no, fields: records[0]! };
  }
}

function countQuotes(text: string): number {
  let n = 0;
  for (let i = text.indexOf('"'); i !== -1; i = text.indexOf('"', i + 1)) n++;
  return n;
}

function describeCsvError(err: unknown): string {
  const code = (err as { code?: string }).code;
  switch (code) {
    case 'CSV_INVALID_CLOSING_QUOTE':
      return 'malformed CSV: a closing quote must be followed by a comma or the end of the line';
    case 'INVALID_OPENING_QUOTE':
      return 'malformed CSV: a quote inside an unquoted field (quote the whole field and double the inner quote: "say ""hi""")';
    case 'CSV_QUOTE_NOT_CLOSED':
      return 'malformed CSV: unterminated quoted field (a quote opened on this line is never closed)';
    default:
      return `malformed CSV: ${(err as Error).message}`;
  }
}
