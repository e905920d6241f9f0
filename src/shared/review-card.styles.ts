import { css } from 'lit';

/** Styles of `ReviewCards.card()`, shared by review-list and most-helpful. */
export const cardStyles = css`
  .review {
    display: grid;
    gap: 0.4rem;
    align-content: start;
    padding: var(--_pad, 1rem);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_bg);
    min-inline-size: 0;
  }
  .review > * {
    margin: 0;
  }
  .heading {
    font-weight: 600;
    font-size: 1.05em;
    overflow-wrap: anywhere;
  }
  .meta {
    display: flex;
    flex-wrap: wrap;
    gap: 0.25rem 0.75rem;
    color: var(--_muted);
    font-size: 0.9em;
  }
  .verified {
    color: var(--_success);
    font-weight: 600;
  }
  .body {
    white-space: pre-line;
    overflow-wrap: anywhere;
    line-height: 1.5;
  }
  .body.clamp {
    display: -webkit-box;
    -webkit-box-orient: vertical;
    -webkit-line-clamp: var(--reviews-clamp-lines, 6);
    line-clamp: var(--reviews-clamp-lines, 6);
    overflow: hidden;
  }
  .link {
    justify-self: start;
    padding: 0;
    border: 0;
    background: none;
    color: var(--_accent);
    text-decoration: underline;
    cursor: pointer;
  }
  .media {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
  }
  .thumb {
    display: grid;
    place-items: center;
    inline-size: 4rem;
    block-size: 4rem;
    padding: 0;
    border: 1px solid var(--_border);
    border-radius: calc(var(--_radius) / 2);
    background: var(--_subtle);
    overflow: hidden;
    cursor: zoom-in;
  }
  .thumb img {
    inline-size: 100%;
    block-size: 100%;
    object-fit: cover;
  }
  .reply {
    padding: 0.6rem 0.8rem;
    border-inline-start: 3px solid var(--_accent);
    background: var(--_subtle);
    border-radius: calc(var(--_radius) / 2);
  }
  .reply p {
    margin: 0;
    white-space: pre-line;
    overflow-wrap: anywhere;
  }
  .reply-label {
    font-weight: 600;
    font-size: 0.9em;
  }
  .votes {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.5rem;
  }
  .vote {
    min-block-size: 2rem;
    padding-block: 0.2rem;
    font-size: 0.9em;
  }
  .vote[aria-pressed='true'] {
    border-color: var(--_accent);
    box-shadow: inset 0 0 0 1px var(--_accent);
    font-weight: 600;
  }
  .vote[aria-disabled='true'] {
    cursor: progress;
  }
  .vote-error {
    color: var(--_danger);
    font-size: 0.9em;
  }
  .skeleton {
    block-size: var(--_card-size, 10.5rem);
    border-radius: var(--_radius);
    background: var(--_subtle);
  }
  @media (forced-colors: active) {
    .vote[aria-pressed='true'] {
      outline: 2px solid Highlight;
    }
    .skeleton {
      border: 1px solid CanvasText;
    }
  }
`;
