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
      --_gap: var(--most-helpful-gap, 1rem);
      --_slide: var(--most-helpful-slide-size, min(85%, 22rem));
      --_card-size: var(--most-helpful-card-size, 10.5rem);
    }
    section {
      display: grid;
      gap: var(--_gap);
      min-inline-size: 0;
    }
    .heading-main {
      font-size: 1.25em;
      font-weight: 700;
    }
    .side-heading {
      font-weight: 700;
    }
    .list {
      display: grid;
      gap: var(--_gap);
      margin: 0;
      padding: 0;
      list-style: none;
    }
    .faceoff {
      display: grid;
      grid-template-columns: repeat(auto-fit, minmax(min(100%, 18rem), 1fr));
      gap: var(--_gap);
    }
    .side {
      display: grid;
      grid-template-rows: auto 1fr;
      gap: 0.5rem;
    }
    .track {
      display: grid;
      grid-auto-flow: column;
      grid-auto-columns: var(--_slide);
      column-gap: var(--_gap);
      overflow-x: auto;
      overscroll-behavior-x: contain;
      scroll-snap-type: x mandatory;
      scroll-behavior: smooth;
      padding-block: 2px 0.5rem;
      padding-inline: 2px;
    }
    .slide {
      display: grid;
      scroll-snap-align: start;
    }
    .nav {
      display: flex;
      justify-content: center;
      gap: 0.5rem;
    }
    .nav [aria-disabled='true'] {
      opacity: 0.6;
      cursor: default;
    }
    .empty {
      margin: 0;
      color: var(--_muted);
    }
  `,
];
