/**
 * Query compiler: turns a WQL query (`filter`, `sort`, `cursorPaging`, `search`) into
 * parameterised SQL over a whitelist of fields. Nothing from the request is ever
 * written into SQL text: field names map to known columns and every value is a
 * bind parameter. Paging is keyset (seek) based, so pages stay correct while rows are
 * inserted between requests, and the cursor carries the whole query (the Wix SDK sends
 * only the cursor for the next page).
 */
import { badRequest, fieldError } from './errors.js';

/** `textArray`: a `text[]` column, filtered with `$hasSome` / `$hasAll` (never sorted). */
export type FieldType = 'text' | 'int' | 'number' | 'date' | 'bool' | 'enum' | 'empty' | 'textArray';

export interface FieldSpec {
  /** SQL expression (a column) for the field. */
  column: string;
  type: FieldType;
  ops: readonly string[];
  sortable?: boolean;
  values?: readonly string[];
  /**
   * The column may be NULL (an optional field): `$ne` / `$nin` then also match rows
   * without a value, and `$exists` tells the two apart.
   */
  nullable?: boolean;
}

export interface ResourceSpec {
  fields: Record<string, FieldSpec>;
  /** Field names accepted as aliases (e.g. the SDK's `_id`). */
  aliases?: Record<string, string>;
  /** Unique tie-breaker column, appended to every sort. */
  idColumn: string;
  defaultSort: readonly SortKey[];
  /** tsvector column for the `search` extension, if the resource supports it. */
  searchColumn?: string;
}

export interface SortKey {
  field: string;
  desc: boolean;
}

const EQ = ['$eq', '$ne', '$in'] as const;
export const RANGE = ['$eq', '$ne', '$in', '$lt', '$lte', '$gt', '$gte'] as const;
export const EQ_OPS = EQ;
/** Operators of array fields: contains at least one of / all of the given values. */
export const ARRAY_OPS = ['$hasSome', '$hasAll'] as const;
/**
 * Every operator a `textArray` field can take, for fields of an array of objects such as
 * `items.catalogItemId`: `$eq`/`$in` match when some element matches, `$ne`/`$nin` when
 * none does, `$exists` when the array has any element.
 */
export const ELEMENT_OPS = ['$eq', '$ne', '$in', '$nin', '$exists', ...ARRAY_OPS] as const;

const MAX_DEPTH = 8;
const MAX_CONDITIONS = 200;
const MAX_IN = 1000;

/** Collects bind parameters and hands out `$n` placeholders. */
export class Params {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

const SQL_OPS: Record<string, string> = {
  $eq: '=',
  $ne: '<>',
  $lt: '<',
  $lte: '<=',
  $gt: '>',
  $gte: '>=',
};

/**
 * Compiles a WQL filter to a SQL boolean expression. Throws a 400 naming the offending
 * path for unknown fields or operators and for values of the wrong type.
 */
export function compileFilter(filter: unknown, spec: ResourceSpec, params: Params, path = 'filter'): string {
  const state = { conditions: 0 };
  if (filter === undefined || filter === null) return 'TRUE';
  return compileNode(filter, spec, params, path, 0, state);
}

function compileNode(
  node: unknown,
  spec: ResourceSpec,
  params: Params,
  path: string,
  depth: number,
  state: { conditions: number },
): string {
  if (depth > MAX_DEPTH) throw fieldError(path, `nests deeper than ${MAX_DEPTH} levels`);
  if (!isPlainObject(node)) throw fieldError(path, 'must be an object');
  const parts: string[] = [];
  for (const [key, value] of Object.entries(node)) {
    const here = `${path}.${key}`;
    if (key === '$and' || key === '$or') {
      if (!Array.isArray(value) || value.length === 0) {
        throw fieldError(here, 'must be a non-empty array of filters');
      }
      const sub = value.map((v, i) => compileNode(v, spec, params, `${here}[${i}]`, depth + 1, state));
      parts.push(`(${sub.join(key === '$and' ? ' AND ' : ' OR ')})`);
    } else if (key === '$not') {
      parts.push(`NOT (${compileNode(value, spec, params, here, depth + 1, state)})`);
    } else if (key.startsWith('$')) {
      throw fieldError(here, `is not a supported operator here (use $and, $or, $not, or a field name)`);
    } else {
      parts.push(compileField(key, value, spec, params, here, state));
    }
  }
  if (parts.length === 0) return 'TRUE';
  return parts.length === 1 ? parts[0]! : `(${parts.join(' AND ')})`;
}

function resolveField(name: string, spec: ResourceSpec, path: string): [string, FieldSpec] {
  const canonical = spec.aliases?.[name] ?? name;
  const field = Object.hasOwn(spec.fields, canonical) ? spec.fields[canonical] : undefined;
  if (!field) {
    throw fieldError(
      path,
      `names an unknown field "${name}"; filterable fields: ${Object.keys(spec.fields).join(', ')}`,
    );
  }
  return [canonical, field];
}

function compileField(
  name: string,
  value: unknown,
  spec: ResourceSpec,
  params: Params,
  path: string,
  state: { conditions: number },
): string {
  const [, field] = resolveField(name, spec, path);
  const ops: [string, unknown][] =
    isPlainObject(value) && Object.keys(value).some((k) => k.startsWith('$')) && !('$date' in value)
      ? Object.entries(value)
      : [['$eq', value]];
  const parts = ops.map(([op, operand]) => {
    if (++state.conditions > MAX_CONDITIONS) {
      throw badRequest(`The filter has more than ${MAX_CONDITIONS} conditions`);
    }
    const opPath = `${path}.${op}`;
    if (!field.ops.includes(op)) {
      throw fieldError(
        opPath,
        `is not supported for "${name}"; supported: ${field.ops.join(' ')}`,
      );
    }
    if (op === '$hasSome' || op === '$hasAll') {
      if (!Array.isArray(operand)) throw fieldError(opPath, 'must be an array');
      if (operand.length > MAX_IN) throw fieldError(opPath, `must have at most ${MAX_IN} values`);
      const vals = operand.map((v, i) => toSqlValue(v, { ...field, type: 'text' }, `${opPath}[${i}]`));
      if (vals.length === 0) return op === '$hasSome' ? 'FALSE' : 'TRUE';
      return `${field.column} ${op === '$hasSome' ? '&&' : '@>'} ${params.add(vals)}::text[]`;
    }
    if (op === '$isEmpty') {
      if (typeof operand !== 'boolean') throw fieldError(opPath, 'must be true or false');
      return operand ? `NOT ${field.column}` : field.column;
    }
    if (op === '$exists') {
      if (typeof operand !== 'boolean') throw fieldError(opPath, 'must be true or false');
      if (field.type === 'textArray') return `cardinality(${field.column}) ${operand ? '>' : '='} 0`;
      return `${field.column} IS ${operand ? 'NOT ' : ''}NULL`;
    }
    if (field.type === 'textArray') return compileElementOp(field, op, operand, params, opPath);
    if (op === '$in' || op === '$nin') {
      if (!Array.isArray(operand)) throw fieldError(opPath, 'must be an array');
      if (operand.length > MAX_IN) throw fieldError(opPath, `must have at most ${MAX_IN} values`);
      const vals = operand.map((v, i) => toSqlValue(v, field, `${opPath}[${i}]`));
      if (vals.length === 0) return op === '$in' ? 'FALSE' : 'TRUE';
      if (vals.length === 1) {
        const ne = field.nullable ? 'IS DISTINCT FROM' : '<>';
        return `${field.column} ${op === '$in' ? '=' : ne} ${cast(params.add(vals[0]), field.type)}`;
      }
      const arr = params.add(vals);
      if (op === '$in') return `${field.column} = ANY(${arr}::${sqlArrayType(field)})`;
      const none = `NOT (${field.column} = ANY(${arr}::${sqlArrayType(field)}))`;
      return field.nullable ? `(${field.column} IS NULL OR ${none})` : none;
    }
    if (op === '$ne' && field.nullable) {
      return `${field.column} IS DISTINCT FROM ${cast(params.add(toSqlValue(operand, field, opPath)), field.type)}`;
    }
    const sqlOp = SQL_OPS[op];
    if (!sqlOp) throw fieldError(opPath, 'is not a supported operator');
    // Cast to the field's type: an uncast parameter takes the column's type (rating is
    // smallint), so a large operand would fail in the database instead of matching nothing.
    return `${field.column} ${sqlOp} ${cast(params.add(toSqlValue(operand, field, opPath)), field.type)}`;
  });
  return parts.length === 1 ? parts[0]! : `(${parts.join(' AND ')})`;
}

/** `$eq`, `$ne`, `$in`, `$nin` on a `textArray` field (its elements hold no NULLs). */
function compileElementOp(field: FieldSpec, op: string, operand: unknown, params: Params, path: string): string {
  const text: FieldSpec = { ...field, type: 'text' };
  if (op === '$eq' || op === '$ne') {
    const some = `${params.add(toSqlValue(operand, text, path))}::text = ANY(${field.column})`;
    return op === '$eq' ? some : `NOT (${some})`;
  }
  if (op === '$in' || op === '$nin') {
    if (!Array.isArray(operand)) throw fieldError(path, 'must be an array');
    if (operand.length > MAX_IN) throw fieldError(path, `must have at most ${MAX_IN} values`);
    const vals = operand.map((v, i) => toSqlValue(v, text, `${path}[${i}]`));
    if (vals.length === 0) return op === '$in' ? 'FALSE' : 'TRUE';
    const overlap = `${field.column} && ${params.add(vals)}::text[]`;
    return op === '$in' ? overlap : `NOT (${overlap})`;
  }
  throw fieldError(path, 'is not a supported operator');
}

function sqlArrayType(field: FieldSpec): string {
  switch (field.type) {
    case 'int':
      return 'int[]';
    case 'number':
      return 'float8[]';
    case 'date':
      return 'timestamptz[]';
    case 'bool':
      return 'boolean[]';
    default:
      return 'text[]';
  }
}

/** Checks a filter operand against the field's type and converts it for the driver. */
function toSqlValue(value: unknown, field: FieldSpec, path: string): unknown {
  switch (field.type) {
    case 'text':
      if (typeof value !== 'string') throw fieldError(path, `must be a string (got ${kind(value)})`);
      if (value.length > 1000) throw fieldError(path, 'must be at most 1000 characters');
      // PostgreSQL text cannot hold NUL; refuse it here rather than fail in the driver.
      if (value.includes('\u0000')) throw fieldError(path, 'must not contain NUL characters');
      return value;
    case 'enum':
      if (typeof value !== 'string' || !field.values?.includes(value)) {
        throw fieldError(path, `must be one of ${field.values?.join(', ')}`);
      }
      return value;
    case 'int':
      if (typeof value !== 'number' || !Number.isInteger(value)) {
        throw fieldError(path, `must be an integer (got ${kind(value)})`);
      }
      if (Math.abs(value) >= 2 ** 31) throw fieldError(path, 'is out of range (32-bit integer)', 'OUT_OF_RANGE');
      return value;
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        throw fieldError(path, `must be a number (got ${kind(value)})`);
      }
      return value;
    case 'bool':
      if (typeof value !== 'boolean') throw fieldError(path, `must be true or false (got ${kind(value)})`);
      return value;
    case 'date': {
      const raw = isPlainObject(value) && '$date' in value ? value.$date : value;
      const d = typeof raw === 'string' && /^\d{4}-\d{2}-\d{2}/.test(raw) ? new Date(raw) : null;
      // Only years 1..9999 in UTC (PostgreSQL has no year 0, and toISOString writes
      // 5-digit years as +0YYYYY, which PostgreSQL does not read).
      if (!d || Number.isNaN(d.getTime()) || d.getUTCFullYear() < 1 || d.getUTCFullYear() > 9999) {
        throw fieldError(path, 'must be an ISO-8601 date-time string');
      }
      // JS dates stop at milliseconds (extra digits are cut off); keep up to microseconds,
      // which PostgreSQL compares exactly, so `$lt 12:00:00.1234Z` still includes `.123Z`.
      const subMs = /T[\d:]+\.\d{3}(\d{1,3})/.exec(raw as string)?.[1] ?? '';
      return d.toISOString().replace(/Z$/, `${subMs}Z`);
    }
    default:
      throw fieldError(path, 'cannot be compared');
  }
}

/** Validates and normalises `sort`; always ends with the unique id so order is total. */
export function compileSort(
  sort: readonly { fieldName: string; order?: 'ASC' | 'DESC' | undefined }[] | null | undefined,
  spec: ResourceSpec,
): SortKey[] {
  const keys: SortKey[] = [];
  const seen = new Set<string>();
  (sort ?? []).forEach((s, i) => {
    const [canonical, field] = resolveField(s.fieldName, spec, `query.sort[${i}].fieldName`);
    if (!field.sortable) {
      const sortable = Object.entries(spec.fields)
        .filter(([, f]) => f.sortable)
        .map(([n]) => n);
      throw fieldError(`query.sort[${i}].fieldName`, `"${s.fieldName}" is not sortable; sortable: ${sortable.join(', ')}`);
    }
    if (seen.has(canonical)) return;
    seen.add(canonical);
    keys.push({ field: canonical, desc: s.order === 'DESC' });
  });
  if (keys.length === 0) keys.push(...spec.defaultSort);
  return keys;
}

export function orderBy(keys: readonly SortKey[], spec: ResourceSpec, reverse = false): string {
  const dir = (desc: boolean) => ((desc !== reverse) ? 'DESC' : 'ASC');
  const cols = keys.map((k) => `${spec.fields[k.field]!.column} ${dir(k.desc)}`);
  // The tie-breaker follows the last key's direction so one composite index serves the sort.
  const lastDesc = keys.at(-1)?.desc ?? false;
  cols.push(`${spec.idColumn} ${dir(lastDesc)}`);
  return cols.join(', ');
}

/**
 * Keyset condition selecting rows strictly after (or, with `reverse`, before) the row
 * whose sort values are `values` (one per key, then the id).
 */
export function keysetCondition(
  keys: readonly SortKey[],
  values: readonly unknown[],
  spec: ResourceSpec,
  params: Params,
  reverse = false,
): string {
  const lastDesc = keys.at(-1)?.desc ?? false;
  const cols = [
    ...keys.map((k) => ({ col: spec.fields[k.field]!.column, desc: k.desc, type: spec.fields[k.field]!.type })),
    { col: spec.idColumn, desc: lastDesc, type: 'text' as FieldType },
  ];
  const placeholders = cols.map((c, i) => cast(params.add(values[i]), c.type));
  const ors: string[] = [];
  for (let i = 0; i < cols.length; i++) {
    const ands = cols.slice(0, i).map((c, j) => `${c.col} = ${placeholders[j]}`);
    const c = cols[i]!;
    const after = c.desc !== reverse ? '<' : '>';
    ands.push(`${c.col} ${after} ${placeholders[i]}`);
    ors.push(ands.length === 1 ? ands[0]! : `(${ands.join(' AND ')})`);
  }
  return `(${ors.join(' OR ')})`;
}

function cast(placeholder: string, type: FieldType): string {
  switch (type) {
    case 'int':
      return `${placeholder}::int`;
    case 'number':
      return `${placeholder}::float8`;
    case 'date':
      return `${placeholder}::timestamptz`;
    case 'bool':
      return `${placeholder}::boolean`;
    default:
      return `${placeholder}::text`;
  }
}

/** Prefix-matching full-text query from free text; `null` when it has no words. */
export function searchQuery(text: string): string | null {
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu)?.slice(0, 16) ?? [];
  return words.length ? words.map((w) => `${w}:*`).join(' & ') : null;
}

// ---------------------------------------------------------------------------
// Cursors
// ---------------------------------------------------------------------------

export interface CursorState {
  filter: unknown;
  sort: SortKey[];
  search: string | null;
  limit: number;
  private: boolean;
  /** Sort values then id of the row to continue from. */
  after: unknown[];
  /** `next` continues after `after`; `prev` returns the page before it. */
  dir: 'next' | 'prev';
}

export function encodeCursor(state: CursorState): string {
  const payload = {
    v: 1,
    f: state.filter ?? null,
    s: state.sort.map((k) => [k.field, k.desc ? 'DESC' : 'ASC']),
    q: state.search,
    l: state.limit,
    p: state.private ? 1 : 0,
    k: state.after.map((v) => (v instanceof Date ? v.toISOString() : v)),
    d: state.dir === 'prev' ? 'p' : 'n',
  };
  return Buffer.from(JSON.stringify(payload)).toString('base64url');
}

/** Decodes and re-validates a cursor; a tampered or foreign cursor is a clear 400. */
export function decodeCursor(cursor: string, spec: ResourceSpec): CursorState {
  const bad = () => fieldError('query.cursorPaging.cursor', 'is not a cursor this server issued (or it was altered)');
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw bad();
  }
  if (!isPlainObject(raw) || raw.v !== 1 || !Array.isArray(raw.s) || !Array.isArray(raw.k)) throw bad();
  const sort: SortKey[] = [];
  for (const entry of raw.s) {
    if (!Array.isArray(entry) || typeof entry[0] !== 'string') throw bad();
    const field = spec.fields[entry[0]];
    if (!Object.hasOwn(spec.fields, entry[0]) || !field?.sortable) throw bad();
    sort.push({ field: entry[0], desc: entry[1] === 'DESC' });
  }
  if (sort.length === 0 || raw.k.length !== sort.length + 1) throw bad();
  const after = raw.k.map((v, i) => {
    const type = i < sort.length ? spec.fields[sort[i]!.field]!.type : 'text';
    if (!keyValueOk(v, type)) throw bad();
    return v;
  });
  const limit = raw.l;
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > 100) throw bad();
  if (raw.q !== null && typeof raw.q !== 'string') throw bad();
  return {
    filter: raw.f,
    sort,
    search: raw.q as string | null,
    limit,
    private: raw.p === 1,
    after,
    dir: raw.d === 'p' ? 'prev' : 'next',
  };
}

function keyValueOk(v: unknown, type: FieldType): boolean {
  switch (type) {
    case 'int':
      return Number.isInteger(v) && Math.abs(v as number) < 2 ** 31;
    case 'number':
      return typeof v === 'number' && Number.isFinite(v);
    case 'bool':
      return typeof v === 'boolean';
    case 'date':
      // Exactly what encodeCursor writes (toISOString); anything else would reach SQL.
      // Year 0000 has that shape too, but PostgreSQL has no year 0.
      return typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(v) && !Number.isNaN(new Date(v).getTime()) && !v.startsWith('0000');
    default:
      return typeof v === 'string' && v.length <= 1000 && !v.includes('\u0000');
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function kind(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}
