import { css } from 'lit';
import { controls } from '../../shared/controls.styles.js';
import { tokens } from '../../shared/styles.js';

export const styles = [
  tokens,
  controls,
  css`
    :host {
      display: block;
      --_bar: var(--rating-summary-bar-color, var(--_star));
      --_bar-height: var(--rating-summary-bar-height, 0.5rem);
    }
    .head {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 0.25rem 0.75rem;
      margin-block-end: 0.75rem;
    }
    .average {
      min-inline-size: 2.2ch;
      font-size: 2.5rem;
      font-weight: 700;
      line-height: 1;
    }
    .total {
      flex-basis: 100%;
      margin: 0;
      color: var(--_muted);
    }
    .bars {
      display: grid;
      grid-template-columns: auto auto 1fr auto auto;
      gap: 0.25rem 0;
      margin: 0;
      padding: 0;
      list-style: none;
    }
    li,
    .bar {
      display: grid;
      grid-column: 1 / -1;
      grid-template-columns: subgrid;
      align-items: center;
    }
    .bar {
      gap: 0.5rem;
      min-block-size: 2rem;
      padding: 0.15rem 0.5rem;
      border: 2px solid transparent;
      border-radius: var(--_radius);
      background: none;
      text-align: start;
      cursor: pointer;
    }
    .bar:hover:not([disabled]) {
      background: var(--_subtle);
    }
    .bar[aria-pressed='true'] {
      border-color: var(--_accent);
      background: var(--_subtle);
      font-weight: 700;
    }
    .bar[disabled] {
      cursor: default;
    }
    .check {
      visibility: hidden;
      color: var(--_accent);
    }
    .bar[aria-pressed='true'] .check {
      visibility: visible;
    }
    .value {
      white-space: nowrap;
    }
    .track {
      position: relative;
      display: block;
      block-size: var(--_bar-height);
      min-inline-size: 4rem;
      border-radius: calc(var(--_bar-height) / 2);
      background: var(--_subtle);
      box-shadow: inset 0 0 0 1px var(--_border);
      overflow: hidden;
    }
    .fill {
      display: block;
      block-size: 100%;
      background: var(--_bar);
      transition: inline-size 200ms ease;
    }
    .count,
    .pct {
      text-align: end;
      font-variant-numeric: tabular-nums;
    }
    .pct {
      min-inline-size: 4ch;
      color: var(--_muted);
    }
    .clear {
      margin-block-start: 0.5rem;
    }
    .attrs {
      display: grid;
      grid-template-columns: auto 1fr auto;
      gap: 0.5rem 0.75rem;
      margin: 1rem 0 0;
      padding: 0;
      list-style: none;
    }
    .none {
      grid-column: 2 / -1;
      color: var(--_muted);
    }
    .clear[inert],
    .loading :is(.average, .total, .value, .count, .pct, rating-stars) {
      visibility: hidden;
    }
    @media (forced-colors: active) {
      .track {
        border: 1px solid CanvasText;
      }
      .fill {
        forced-color-adjust: none;
        background: CanvasText;
      }
      .bar[aria-pressed='true'] {
        border-color: Highlight;
      }
    }
  `,
];
