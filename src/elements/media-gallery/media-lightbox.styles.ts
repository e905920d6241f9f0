import { css } from 'lit';
import { tokens } from '../../shared/styles.js';

export const styles = [
  tokens,
  css`
    :host {
      display: contents;
    }
    dialog {
      box-sizing: border-box;
      inline-size: min(64rem, calc(100vw - 2rem));
      max-inline-size: none;
      max-block-size: calc(100dvh - 2rem);
      padding: 0;
      border: 1px solid var(--_border);
      border-radius: var(--_radius);
      background: var(--_bg);
      color: var(--_text);
      overflow: auto;
    }
    dialog::backdrop {
      background: var(--media-lightbox-backdrop, rgb(0 0 0 / 0.75));
    }
    header {
      display: flex;
      align-items: center;
      justify-content: space-between;
      gap: 1rem;
      padding: 0.5rem 0.5rem 0.5rem 1rem;
    }
    h2 {
      margin: 0;
      font-size: 1rem;
    }
    figure {
      margin: 0;
    }
    .stage {
      position: relative;
      display: grid;
      place-items: center;
      min-block-size: 12rem;
      background: #000;
      touch-action: pan-y;
    }
    img,
    video {
      display: block;
      max-inline-size: 100%;
      max-block-size: calc(100dvh - 12rem);
      inline-size: auto;
      block-size: auto;
      object-fit: contain;
    }
    video {
      inline-size: 100%;
    }
    .close,
    .nav {
      display: grid;
      place-items: center;
      inline-size: 2.75rem;
      block-size: 2.75rem;
      padding: 0;
      border: 1px solid var(--_border);
      border-radius: 50%;
      background: var(--_bg);
      color: var(--_text);
      font-size: 1.6rem;
      line-height: 1;
      cursor: pointer;
    }
    .nav {
      position: absolute;
      inset-block-start: calc(50% - 1.375rem);
      opacity: 0.9;
    }
    .prev {
      inset-inline-start: 0.5rem;
    }
    .next {
      inset-inline-end: 0.5rem;
    }
    :host(:dir(rtl)) .nav span {
      transform: scaleX(-1);
    }
    .close:hover,
    .nav:hover {
      background: var(--_subtle);
      opacity: 1;
    }
    figcaption {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 0.35rem 0.75rem;
      padding: 0.75rem 1rem;
    }
    .author {
      font-weight: 600;
    }
    .title {
      flex: 1 1 12rem;
      overflow-wrap: anywhere;
    }
    a {
      color: var(--_accent);
    }
    @media (forced-colors: active) {
      .close,
      .nav {
        border-color: ButtonText;
      }
    }
  `,
];
