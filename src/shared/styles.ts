import { css } from 'lit';
import { coreTokens } from './core.styles.js';

/**
 * Shared design tokens (with light/dark defaults) and utilities used by every element.
 * Pages theme all widgets at once through the `--reviews-*` custom properties.
 */
export const tokens = [
  coreTokens,
  css`
    :host {
      --_bg: var(--reviews-color-surface, #fff);
      --_subtle: var(--reviews-color-subtle, #f3f4f6);
      --_accent: var(--reviews-color-accent, #0b5cad);
      --_on-accent: var(--reviews-color-on-accent, #fff);
      --_danger: var(--reviews-color-danger, #b42318);
      --_success: var(--reviews-color-success, #1a7f37);
      --_radius: var(--reviews-radius, 8px);
    }
    @media (prefers-color-scheme: dark) {
      :host {
        --_bg: var(--reviews-color-surface, #161b22);
        --_subtle: var(--reviews-color-subtle, #21262d);
        --_accent: var(--reviews-color-accent, #58a6ff);
        --_on-accent: var(--reviews-color-on-accent, #0d1117);
        --_danger: var(--reviews-color-danger, #ff7b72);
        --_success: var(--reviews-color-success, #3fb950);
      }
    }
  `,
];
