import { css } from 'lit';

/**
 * The part of the shared tokens (styles.ts) that rating-stars uses, with the utilities
 * every element needs. A module of its own, so the standalone rating-stars file carries
 * no more: bundlers keep every `css` template of a module they include.
 */
export const coreTokens = css`
  :host {
    --_text: var(--reviews-color-text, #1f2328);
    --_muted: var(--reviews-color-muted, #57606a);
    --_border: var(--reviews-color-border, #d0d7de);
    --_star: var(--reviews-color-star, #b25e00);
    --_font: var(--reviews-font, inherit);
    --_focus: var(--reviews-color-focus, #0b5cad);
    font-family: var(--_font);
    color: var(--_text);
  }
  @media (prefers-color-scheme: dark) {
    :host {
      --_text: var(--reviews-color-text, #e6edf3);
      --_muted: var(--reviews-color-muted, #9da7b3);
      --_border: var(--reviews-color-border, #3d444d);
      --_star: var(--reviews-color-star, #f0b341);
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
