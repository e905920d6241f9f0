/**
 * Markup for the shared controls (styled by controls.styles.ts) that several elements
 * render the same way.
 */
import { msg } from '@lit/localize';
import { html } from 'lit';

/** A load that failed: what could not be loaded, and a Retry button. */
export function loadFailed(message: string, retry: () => unknown) {
  return html`<div class="alert" role="alert">
    <span>${message}</span>
    <button type="button" class="button" @click=${retry}>${msg('Retry')}</button>
  </div>`;
}
