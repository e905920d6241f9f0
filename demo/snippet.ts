/**
 * Copyable code for what the demo shows: the same elements with the same settings as
 * plain HTML (the script-tag build), React (the `storefront-reviews/react` wrappers) and
 * Vue (the elements themselves). Pure functions of the elements' current values, so the
 * snippet always matches the controls.
 */
import type { AttributeDoc, ElementDoc, Value } from './manifest.js';

/** One element as the snippets show it. */
export interface SnippetElement {
  doc: ElementDoc;
  /** Attributes whose value differs from the default, in the manifest's order. */
  values: ReadonlyArray<{ attr: AttributeDoc; value: Value }>;
  id?: string;
  /** Inline CSS declarations (custom properties), as in a `style` attribute. */
  style?: string;
}

export type SnippetLanguage = 'html' | 'react' | 'vue';

const WRAP_AT = 90;

/** `review-vote` → `ReviewVote`. */
function pascal(name: string): string {
  return name.replace(/(^|-)([a-z0-9])/g, (_, _dash: string, c: string) => c.toUpperCase());
}

/** The React prop (and Vue handler) name for an event: `review-vote` → `onReviewVote`. */
export function handlerName(event: string): string {
  return `on${pascal(event)}`;
}

function escapeAttr(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

/** `--a: b; --c: d` → [['--a', 'b'], ['--c', 'd']]. */
function declarations(style: string): Array<[string, string]> {
  return style
    .split(';')
    .map((d) => d.trim())
    .filter((d) => d.includes(':'))
    .map((d) => {
      const at = d.indexOf(':');
      return [d.slice(0, at).trim(), d.slice(at + 1).trim()];
    });
}

/** Joins a tag's parts on one line, or one part per line when that gets long. */
function tag(open: string, parts: string[], close: string, indent: string): string {
  const line = `${indent}${open}${parts.map((p) => ` ${p}`).join('')}${close}`;
  if (line.length <= WRAP_AT || parts.length < 2) return line;
  return `${indent}${open}\n${parts.map((p) => `${indent}  ${p}`).join('\n')}\n${indent}${close.trimStart()}`;
}

function htmlAttrs(el: SnippetElement): string[] {
  const parts: string[] = [];
  if (el.id) parts.push(`id="${escapeAttr(el.id)}"`);
  for (const { attr, value } of el.values) {
    if (typeof value === 'boolean') {
      if (value) parts.push(attr.name);
    } else parts.push(`${attr.name}="${escapeAttr(String(value))}"`);
  }
  if (el.style) parts.push(`style="${escapeAttr(el.style)}"`);
  return parts;
}

/** Plain HTML with the script-tag build. */
export function htmlSnippet(elements: readonly SnippetElement[], endpoint: string): string {
  const head = [
    '<!-- Once per page: the widgets (dist/storefront-reviews.js from `npm run build`) and the reviews server. -->',
    '<script type="module" src="/storefront-reviews.js"></script>',
    `<meta name="storefront-reviews:endpoint" content="${escapeAttr(endpoint)}" />`,
  ];
  const body = elements.map((el) => tag(`<${el.doc.tag}`, htmlAttrs(el), `></${el.doc.tag}>`, ''));
  return `${head.join('\n')}\n\n${body.join('\n')}\n`;
}

function jsxString(value: string): string {
  return /["\\{}\n]/.test(value) ? `{${JSON.stringify(value)}}` : `"${value}"`;
}

function eventLogger(event: { name: string; type?: string }, param: string, typed: boolean): string {
  // Plain `Event`s (change, input) carry no detail: the target holds the new value.
  if (event.type === 'Event') return `console.log('${event.name}', ${param}.target)`;
  return typed ? `console.log('${event.name}', (${param} as CustomEvent).detail)` : `console.log('${event.name}', ${param}.detail)`;
}

/** A React component using the `storefront-reviews/react` wrappers. */
export function reactSnippet(elements: readonly SnippetElement[], endpoint: string): string {
  const names = [...new Set(elements.map((el) => el.doc.className))];
  const styled = elements.some((el) => el.style);
  const imports = [
    `import { ${names.join(', ')} } from 'storefront-reviews/react';`,
    ...(styled ? [`import type { CSSProperties } from 'react';`] : []),
  ];
  const multiple = elements.length > 1;
  const indent = multiple ? '      ' : '    ';
  const body = elements.map((el) => {
    const parts: string[] = [];
    if (el.id) parts.push(`id=${jsxString(el.id)}`);
    for (const { attr, value } of el.values) {
      if (value === true) parts.push(attr.field);
      else if (typeof value === 'string') parts.push(`${attr.field}=${jsxString(value)}`);
      else parts.push(`${attr.field}={${String(value)}}`);
    }
    if (el.style) {
      const props = declarations(el.style).map(([k, v]) => `'${k}': ${JSON.stringify(v)}`);
      parts.push(`style={{ ${props.join(', ')} } as CSSProperties}`);
    }
    for (const event of el.doc.events) parts.push(`${handlerName(event.name)}={(event) => ${eventLogger(event, 'event', false)}}`);
    return tag(`<${el.doc.className}`, parts, ' />', indent);
  });
  const jsx = multiple ? `    <>\n${body.join('\n')}\n    </>` : body.join('\n');
  return `${imports.join('\n')}

// The widgets ask the server named by <meta name="storefront-reviews:endpoint"
// content="${endpoint}"> in index.html, or by an endpoint prop.
export function Reviews() {
  return (
${jsx}
  );
}
`;
}

/** A Vue single-file component using the elements directly. */
export function vueSnippet(elements: readonly SnippetElement[], endpoint: string): string {
  const events = new Map<string, { name: string; type?: string }>();
  for (const el of elements) for (const e of el.doc.events) events.set(e.name, e);
  const handlers = [...events.values()].map((e) => `function ${handlerName(e.name)}(event: Event) {\n  ${eventLogger(e, 'event', true)};\n}`);
  const body = elements.map((el) => {
    const parts: string[] = [];
    if (el.id) parts.push(`id="${escapeAttr(el.id)}"`);
    for (const { attr, value } of el.values) {
      if (typeof value === 'string') parts.push(`${attr.name}="${escapeAttr(value)}"`);
      else parts.push(`:${attr.name}="${String(value)}"`);
    }
    if (el.style) parts.push(`style="${escapeAttr(el.style)}"`);
    for (const event of el.doc.events) parts.push(`@${event.name}="${handlerName(event.name)}"`);
    return tag(`<${el.doc.tag}`, parts, ' />', '  ');
  });
  return `<script setup lang="ts">
// Defines the elements. Vue must know they are custom elements (vite.config.ts):
//   vue({ template: { compilerOptions: { isCustomElement: (tag) => tag.includes('-') } } })
// They ask the server named by <meta name="storefront-reviews:endpoint"
// content="${endpoint}"> in index.html, or by an endpoint attribute.
import 'storefront-reviews';
${handlers.length ? `\n${handlers.join('\n\n')}\n` : ''}</script>

<template>
${body.join('\n')}
</template>
`;
}

/** The snippet in one language. */
export function snippet(language: SnippetLanguage, elements: readonly SnippetElement[], endpoint: string): string {
  if (language === 'react') return reactSnippet(elements, endpoint);
  if (language === 'vue') return vueSnippet(elements, endpoint);
  return htmlSnippet(elements, endpoint);
}
