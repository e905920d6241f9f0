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
  .button {
    display: inline-flex;
    align-items: center;
    gap: 0.35em;
    min-block-size: 2.25rem;
    padding: 0.35rem 0.85rem;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_bg);
    color: var(--_text);
    cursor: pointer;
  }
  .button:hover {
    background: var(--_subtle);
  }
  .button.primary {
    background: var(--_accent);
    border-color: var(--_accent);
    color: var(--_on-accent);
  }
  .button[disabled] {
    opacity: 0.6;
    cursor: not-allowed;
  }
  .alert {
    padding: 0.75rem 1rem;
    border: 1px solid var(--_danger);
    border-radius: var(--_radius);
    color: var(--_text);
    display: flex;
    gap: 0.75rem;
    align-items: center;
    flex-wrap: wrap;
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
  @media (forced-colors: active) {
    .button.primary {
      border: 1px solid ButtonText;
    }
  }
`;
