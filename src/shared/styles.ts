import { css } from 'lit';

/**
 * Shared design tokens (with light/dark defaults) and utilities used by every element.
 * Pages theme all widgets at once through the `--reviews-*` custom properties.
 */
export const tokens = css`
  :host {
    --_text: var(--reviews-color-text, #1f2328);
    --_muted: var(--reviews-color-muted, #57606a);
    --_bg: var(--reviews-color-surface, #ffffff);
    --_subtle: var(--reviews-color-subtle, #f3f4f6);
    --_border: var(--reviews-color-border, #d0d7de);
    --_accent: var(--reviews-color-accent, #0b5cad);
    --_on-accent: var(--reviews-color-on-accent, #ffffff);
    --_star: var(--reviews-color-star, #b25e00);
    --_danger: var(--reviews-color-danger, #b42318);
    --_success: var(--reviews-color-success, #1a7f37);
    --_radius: var(--reviews-radius, 8px);
    --_font: var(--reviews-font, inherit);
    --_focus: var(--reviews-color-focus, #0b5cad);
    font-family: var(--_font);
    color: var(--_text);
  }
  @media (prefers-color-scheme: dark) {
    :host {
      --_text: var(--reviews-color-text, #e6edf3);
      --_muted: var(--reviews-color-muted, #9da7b3);
      --_bg: var(--reviews-color-surface, #161b22);
      --_subtle: var(--reviews-color-subtle, #21262d);
      --_border: var(--reviews-color-border, #3d444d);
      --_accent: var(--reviews-color-accent, #58a6ff);
      --_on-accent: var(--reviews-color-on-accent, #0d1117);
      --_star: var(--reviews-color-star, #f0b341);
      --_danger: var(--reviews-color-danger, #ff7b72);
      --_success: var(--reviews-color-success, #3fb950);
      --_focus: var(--reviews-color-focus, #58a6ff);
    }
  }
  :host([hidden]) {
    display: none !important;
  }
  :focus-visible {
    outline: 2px solid var(--_focus);
    outline-offset: 2px;
  }
  .visually-hidden {
    position: absolute !important;
    inline-size: 1px;
    block-size: 1px;
    margin: -1px;
    padding: 0;
    overflow: hidden;
    clip: rect(0 0 0 0);
    clip-path: inset(50%);
    white-space: nowrap;
    border: 0;
  }
  button {
    font: inherit;
    color: inherit;
  }
  fieldset {
    margin: 0;
    padding: 0;
    border: 0;
    min-inline-size: 0;
  }
  @media (prefers-reduced-motion: reduce) {
    *,
    *::before,
    *::after {
      transition: none !important;
      animation: none !important;
      scroll-behavior: auto !important;
    }
  }
`;
