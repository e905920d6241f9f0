import { css } from 'lit';
import { coreTokens } from '../../shared/core.styles.js';

export const styles = [
  coreTokens,
  css`
    :host {
      display: inline-block;
      vertical-align: middle;
      line-height: 1;
      --_size: var(--rating-stars-size, 1.25rem);
      --_on: var(--rating-stars-color-active, var(--_star));
      --_off: var(--rating-stars-color, var(--_muted));
      --_gap: var(--rating-stars-gap, 0.125rem);
    }
    .display {
      display: inline-flex;
      align-items: center;
      gap: 0.35em;
    }
    .stars {
      position: relative;
      display: inline-flex;
      gap: var(--_gap);
    }
    .display .stars {
      display: inline-block;
      block-size: var(--_size);
      white-space: nowrap;
    }
    .row {
      display: inline-flex;
      gap: var(--_gap);
    }
    .row.filled {
      position: absolute;
      inset-block-start: 0;
      inset-inline-start: 0;
      overflow: hidden;
    }
    .star {
      flex: none;
      inline-size: var(--_size);
      block-size: var(--_size);
    }
    .empty .star,
    .star-label .star {
      fill: none;
      stroke: var(--_off);
      stroke-width: 1.5;
    }
    .filled .star,
    .star-label.on .star {
      fill: var(--_on);
      stroke: var(--_on);
    }
    .star-label.on.preview .star {
      opacity: 0.75;
    }
    .count {
      color: var(--_muted);
      font-size: 0.9em;
    }
    .retry {
      margin-inline-start: 0.35em;
      padding: 0 0.35em;
      border: 1px solid var(--_border);
      border-radius: 4px;
      background: transparent;
      font-size: 0.8em;
      cursor: pointer;
    }
    .star-label {
      position: relative;
      display: inline-flex;
      cursor: pointer;
      border-radius: 4px;
      transition: transform 120ms ease;
    }
    .star-label:hover {
      transform: scale(1.1);
    }
    .star-label input {
      position: absolute;
      inset: 0;
      margin: 0;
      opacity: 0;
      cursor: pointer;
    }
    .star-label:has(input:focus-visible) {
      outline: 2px solid var(--_focus);
      outline-offset: 1px;
    }
    fieldset[disabled] .star-label {
      cursor: not-allowed;
      opacity: 0.6;
      transform: none;
    }
    @media (forced-colors: active) {
      .filled .star,
      .star-label.on .star {
        fill: SelectedItem;
        stroke: SelectedItem;
      }
      .empty .star,
      .star-label .star {
        stroke: CanvasText;
      }
    }
  `,
];
