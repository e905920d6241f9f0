import { css } from 'lit';

/**
 * Buttons (`.button`, `.button.primary`) and alerts (`.alert`), for the elements that
 * show them. Its own module, so rating-stars (a page may show dozens) does not carry it:
 * bundlers keep every `css` template of a module they include.
 */
export const controls = css`
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
  @media (forced-colors: active) {
    .button.primary {
      border: 1px solid ButtonText;
    }
  }
`;
