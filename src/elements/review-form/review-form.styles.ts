import { css } from 'lit';
import { controls } from '../../shared/controls.styles.js';
import { tokens } from '../../shared/styles.js';

export const styles = [
  tokens,
  controls,
  css`
    :host {
      display: block;
      --_gap: var(--review-form-gap, 1rem);
      --_thumb: var(--review-form-thumb-size, 5rem);
    }
    .heading {
      margin: 0 0 var(--_gap);
      font-size: 1.25em;
      font-weight: 600;
    }
    fieldset {
      display: grid;
      gap: var(--_gap);
    }
    .field {
      display: grid;
      gap: 0.3rem;
      justify-items: start;
    }
    label,
    .label {
      font-weight: 600;
    }
    input:not([type='file']),
    textarea {
      box-sizing: border-box;
      inline-size: 100%;
      padding: 0.5rem 0.6rem;
      border: 1px solid var(--_muted);
      border-radius: var(--_radius);
      background: var(--_bg);
      color: var(--_text);
      font: inherit;
    }
    textarea {
      resize: vertical;
    }
    [aria-invalid='true'] {
      border-color: var(--_danger);
      box-shadow: inset 0 0 0 1px var(--_danger);
    }
    .hint,
    .error,
    .summary-title {
      margin: 0;
      color: var(--_muted);
      font-size: 0.9em;
    }
    .error {
      color: var(--_danger);
      font-weight: 600;
    }
    .error ul,
    .summary ul {
      margin: 0;
      padding-inline-start: 1.2em;
    }
    .counter {
      justify-self: end;
      font-variant-numeric: tabular-nums;
    }
    .counter.over {
      color: var(--_danger);
      font-weight: 600;
    }
    .summary {
      display: block;
    }
    .summary-title {
      color: var(--_text);
      font-size: 1em;
      font-weight: 600;
    }
    .link {
      padding: 0;
      border: 0;
      background: none;
      color: var(--_danger);
      text-decoration: underline;
      cursor: pointer;
    }
    .photos {
      display: flex;
      flex-wrap: wrap;
      gap: 0.5rem;
      margin: 0;
      padding: 0;
      list-style: none;
    }
    .photo {
      position: relative;
      display: grid;
      inline-size: var(--_thumb);
      gap: 0.2rem;
      font-size: 0.8em;
      color: var(--_muted);
    }
    .photo img {
      inline-size: var(--_thumb);
      block-size: var(--_thumb);
      object-fit: cover;
      border-radius: var(--_radius);
      background: var(--_subtle);
    }
    .photo.uploading img {
      opacity: 0.6;
    }
    .photo.failed .photo-state {
      color: var(--_danger);
    }
    .remove {
      position: absolute;
      inset-block-start: 0.2rem;
      inset-inline-end: 0.2rem;
      inline-size: 1.75rem;
      block-size: 1.75rem;
      border: 1px solid var(--_border);
      border-radius: 50%;
      background: var(--_bg);
      cursor: pointer;
    }
    .status {
      margin-block-end: var(--_gap);
      padding: 0.75rem 1rem;
      border: 1px solid var(--_success);
      border-radius: var(--_radius);
    }
    .button.primary {
      justify-self: start;
    }
    .items {
      display: grid;
      gap: var(--_gap);
      margin: 0 0 var(--_gap);
      padding: 0;
      list-style: none;
    }
    .item {
      display: grid;
      gap: var(--_gap);
      padding: var(--_gap);
      border: 1px solid var(--_border);
      border-radius: var(--_radius);
    }
    .item-head {
      display: flex;
      align-items: center;
      gap: 0.75rem;
    }
    .item-name {
      font-size: 1.1em;
      font-weight: 600;
    }
    .thumb {
      inline-size: var(--_thumb);
      block-size: var(--_thumb);
      object-fit: cover;
      border-radius: var(--_radius);
      background: var(--_subtle);
    }
    .item .status {
      margin: 0;
    }
    @media (forced-colors: active) {
      [aria-invalid='true'] {
        border: 3px solid Mark;
      }
    }
  `,
];
