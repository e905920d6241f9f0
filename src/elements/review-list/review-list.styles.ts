import { css } from 'lit';
import { controls } from '../../shared/controls.styles.js';
import { cardStyles } from '../../shared/review-card.styles.js';
import { tokens } from '../../shared/styles.js';

export const styles = [
  tokens,
  controls,
  cardStyles,
  css`
    :host {
      display: block;
      --_gap: var(--review-list-gap, 1rem);
      --_card-size: var(--review-list-card-size, 10.5rem);
    }
    .controls {
      display: flex;
      flex-wrap: wrap;
      align-items: end;
      gap: 0.75rem 1.25rem;
      margin-block-end: var(--_gap);
    }
    .field {
      display: grid;
      gap: 0.25rem;
      font-size: 0.9em;
    }
    select,
    input[type='search'] {
      font: inherit;
      min-block-size: 2.25rem;
      padding: 0.25rem 0.5rem;
      border: 1px solid var(--_border);
      border-radius: calc(var(--_radius) / 2);
      background: var(--_bg);
      color: var(--_text);
    }
    .search {
      flex: 1 1 12rem;
    }
    fieldset {
      display: flex;
      flex-wrap: wrap;
      gap: 0.25rem 0.75rem;
    }
    legend {
      padding: 0;
      margin-block-end: 0.25rem;
      font-size: 0.9em;
    }
    .check {
      display: inline-flex;
      align-items: center;
      gap: 0.3rem;
      min-block-size: 2.25rem;
      cursor: pointer;
    }
    input[type='checkbox'] {
      inline-size: 1.1rem;
      block-size: 1.1rem;
      margin: 0;
      accent-color: var(--_accent);
    }
    .list {
      display: grid;
      gap: var(--_gap);
      margin: 0;
      padding: 0;
      list-style: none;
      transition: opacity 150ms;
    }
    .list[aria-busy='true'] {
      opacity: 0.6;
    }
    .more {
      display: grid;
      justify-items: center;
      gap: 0.5rem;
      margin-block-start: var(--_gap);
    }
    .empty {
      display: grid;
      justify-items: start;
      gap: 0.5rem;
      padding: 1.5rem 1rem;
      border: 1px dashed var(--_border);
      border-radius: var(--_radius);
      color: var(--_muted);
    }
    .empty p {
      margin: 0;
    }
  `,
];
