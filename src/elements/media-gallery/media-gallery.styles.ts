import { css } from 'lit';
import { controls } from '../../shared/controls.styles.js';
import { tokens } from '../../shared/styles.js';

export const styles = [
  tokens,
  controls,
  css`
    :host {
      display: block;
      --_columns: var(--media-gallery-columns, auto-fill);
      --_min: var(--media-gallery-min-size, 6.5rem);
      --_gap: var(--media-gallery-gap, 0.5rem);
    }
    .grid {
      display: grid;
      grid-template-columns: repeat(var(--_columns), minmax(min(var(--_min), 100%), 1fr));
      gap: var(--_gap);
      margin: 0;
      padding: 0;
      list-style: none;
    }
    .tile {
      position: relative;
      display: block;
      box-sizing: border-box;
      inline-size: 100%;
      aspect-ratio: 1;
      margin: 0;
      padding: 0;
      overflow: hidden;
      border: 0;
      border-radius: var(--_radius);
      background: var(--_subtle);
      cursor: pointer;
    }
    .tile img {
      display: block;
      inline-size: 100%;
      block-size: 100%;
      object-fit: cover;
      transition: transform 160ms ease;
    }
    button.tile:hover img {
      transform: scale(1.04);
    }
    .play {
      position: absolute;
      inset: 50% auto auto 50%;
      inline-size: 2.75rem;
      block-size: 2.75rem;
      translate: -50% -50%;
      border-radius: 50%;
      background: rgb(0 0 0 / 0.65);
    }
    .play::after {
      content: '';
      position: absolute;
      inset: 30% 30% 30% 38%;
      background: #fff;
      clip-path: polygon(0 0, 100% 50%, 0 100%);
    }
    .skeleton {
      animation: pulse 1.2s ease-in-out infinite alternate;
    }
    @keyframes pulse {
      to {
        opacity: 0.55;
      }
    }
    .more {
      margin-block-start: 0.75rem;
    }
    .alert {
      margin-block: 0.75rem 0;
    }
    .empty {
      margin: 0;
      color: var(--_muted);
    }
    @media (forced-colors: active) {
      .tile {
        border: 1px solid ButtonText;
      }
      .play,
      .play::after {
        background: ButtonText;
        forced-color-adjust: none;
      }
      .play {
        background: ButtonFace;
        border: 2px solid ButtonText;
      }
    }
  `,
];
