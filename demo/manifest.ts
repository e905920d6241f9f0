/**
 * The elements' public API, read from custom-elements.json (generated from their JSDoc by
 * `cem analyze --litelement`). The controls panel, the event log, the snippets and the API
 * reference of the demo are all built from it, so a new attribute or event shows up in the
 * demo without touching the demo. main.ts imports the JSON through Vite, so the static
 * build carries it.
 */
import { array, boolean, object, optional, parse, string, type output } from 'zod/mini';
import { REVIEW_SORTS } from '../src/api/client.js';
import type { AuthorDisplay } from '../src/shared/review-card.js';

const Named = object({ name: string(), description: optional(string()) });
const TypeText = optional(object({ text: string() }));

const ManifestSchema = object({
  modules: array(
    object({
      path: string(),
      declarations: optional(
        array(
          object({
            kind: string(),
            name: string(),
            tagName: optional(string()),
            customElement: optional(boolean()),
            summary: optional(string()),
            description: optional(string()),
            attributes: optional(
              array(object({ name: string(), fieldName: optional(string()), type: TypeText, default: optional(string()), description: optional(string()) })),
            ),
            events: optional(array(object({ name: optional(string()), type: TypeText, description: optional(string()) }))),
            slots: optional(array(Named)),
            cssParts: optional(array(Named)),
            cssProperties: optional(array(object({ name: string(), description: optional(string()), default: optional(string()) }))),
          }),
        ),
      ),
      exports: optional(array(object({ kind: string(), name: string(), declaration: optional(object({ name: string() })) }))),
    }),
  ),
});

type Manifest = output<typeof ManifestSchema>;

/** How an attribute is edited in the controls panel. */
export type ControlType =
  | { kind: 'boolean' }
  | { kind: 'number' }
  | { kind: 'enum'; options: readonly string[] }
  | { kind: 'string' };

/** A value an attribute can hold, as its property sees it. */
export type Value = string | number | boolean;

export interface AttributeDoc {
  /** Attribute name (`page-size`). */
  name: string;
  /** Property name (`pageSize`): what React props and the live element use. */
  field: string;
  /** The type as written in the source (`ReviewSort`, `number | undefined`). */
  typeText: string;
  control: ControlType;
  /** The default value, when the manifest records a literal one. */
  default?: Value;
  description: string;
}

export interface EventDoc {
  name: string;
  /** `Event` or `CustomEvent` (with a `detail`), when the manifest says. */
  type?: string;
  description: string;
}

export interface Documented {
  name: string;
  description: string;
}

export interface ElementDoc {
  tag: string;
  /** The element class, which is also the React wrapper's name (`ReviewList`). */
  className: string;
  summary: string;
  description: string;
  attributes: AttributeDoc[];
  events: EventDoc[];
  slots: Documented[];
  cssParts: Documented[];
  cssProperties: Documented[];
}

/**
 * Named union types the analyzer leaves unexpanded (it records `ReviewSort`, not the
 * strings), resolved from the sources so the select offers exactly what the type allows.
 */
const AUTHOR_DISPLAYS = ['full', 'initial'] as const satisfies readonly AuthorDisplay[];
// Fails to compile when AuthorDisplay gains a member that the list above lacks.
const _exhaustive: Exclude<AuthorDisplay, (typeof AUTHOR_DISPLAYS)[number]> extends never ? true : never = true;
void _exhaustive;
export const TYPE_ALIASES: Readonly<Record<string, readonly string[]>> = {
  ReviewSort: REVIEW_SORTS,
  AuthorDisplay: AUTHOR_DISPLAYS,
};

/** Splits a type on its top-level `|` (not inside quotes, brackets or generics). */
function unionMembers(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quote = '';
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
    } else if (c === "'" || c === '"' || c === '`') quote = c;
    else if ('([{<'.includes(c)) depth++;
    else if (')]}>'.includes(c)) depth--;
    else if (c === '|' && depth === 0) {
      out.push(text.slice(start, i));
      start = i + 1;
    }
  }
  out.push(text.slice(start));
  return out.map((s) => s.trim()).filter(Boolean);
}

const STRING_LITERAL = /^(['"])(.*)\1$/;

/**
 * The control for a TypeScript type: `boolean` → checkbox, `number` → number input, a
 * union of string literals (or a known alias of one) → select, anything else → text.
 * `undefined` and `null` members are ignored (they mean "not set").
 */
export function controlTypeOf(typeText: string, aliases: Readonly<Record<string, readonly string[]>> = TYPE_ALIASES): ControlType {
  const members = unionMembers(typeText).filter((m) => m !== 'undefined' && m !== 'null');
  if (members.length === 0) return { kind: 'string' };
  if (members.every((m) => m === 'boolean' || m === 'true' || m === 'false')) return { kind: 'boolean' };
  if (members.length === 1 && members[0] === 'number') return { kind: 'number' };
  const options: string[] = [];
  for (const m of members) {
    const literal = STRING_LITERAL.exec(m);
    if (literal) options.push(literal[2]!);
    else if (aliases[m]) options.push(...aliases[m]);
    else return { kind: 'string' };
  }
  return { kind: 'enum', options: [...new Set(options)] };
}

/** A default written in the source (`'newest'`, `10`, `false`) as a value; undefined otherwise. */
export function parseDefault(text: string | undefined): Value | undefined {
  if (text === undefined) return undefined;
  const t = text.trim();
  const literal = STRING_LITERAL.exec(t);
  if (literal) return literal[2]!.replace(/\\(.)/g, '$1');
  if (t === 'true' || t === 'false') return t === 'true';
  if (/^-?\d+(\.\d+)?$/.test(t)) return Number(t);
  return undefined;
}

/** Every custom element in a manifest, by tag, in the manifest's order. */
export function elementsOf(raw: unknown): Map<string, ElementDoc> {
  const manifest: Manifest = parse(ManifestSchema, raw);
  // Tags come from the declaration or from the module's custom-element-definition export.
  const tagOf = new Map<string, string>();
  for (const mod of manifest.modules) {
    for (const ex of mod.exports ?? []) {
      if (ex.kind === 'custom-element-definition' && ex.declaration) tagOf.set(`${mod.path}#${ex.declaration.name}`, ex.name);
    }
  }
  const elements = new Map<string, ElementDoc>();
  for (const mod of manifest.modules) {
    for (const d of mod.declarations ?? []) {
      const tag = d.tagName ?? tagOf.get(`${mod.path}#${d.name}`);
      if (!d.customElement || !tag) continue;
      elements.set(tag, {
        tag,
        className: d.name,
        summary: d.summary ?? '',
        description: d.description ?? '',
        attributes: (d.attributes ?? []).map((a) => {
          const typeText = a.type?.text ?? 'string';
          const def = parseDefault(a.default);
          return {
            name: a.name,
            field: a.fieldName ?? camelCase(a.name),
            typeText,
            control: controlTypeOf(typeText),
            ...(def === undefined ? {} : { default: def }),
            description: a.description ?? '',
          };
        }),
        events: (d.events ?? []).flatMap((e) =>
          e.name ? [{ name: e.name, ...(e.type ? { type: e.type.text } : {}), description: e.description ?? '' }] : [],
        ),
        slots: (d.slots ?? []).map(documented),
        cssParts: (d.cssParts ?? []).map(documented),
        cssProperties: (d.cssProperties ?? []).map(documented),
      });
    }
  }
  return elements;
}

function documented(x: { name: string; description?: string | undefined }): Documented {
  return { name: x.name, description: x.description ?? '' };
}

/** `review-vote` → `reviewVote`. */
export function camelCase(name: string): string {
  return name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}
