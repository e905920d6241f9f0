/**
 * Registers a custom element unless its tag is taken. A page may load the widgets twice
 * (the script-tag build and an npm build, or two per-element files that share a
 * dependency): the second copy then leaves the first one's elements in place instead of
 * throwing, as `customElements.define` (and Lit's `@customElement`) would.
 */
export function define(tag: string, element: CustomElementConstructor): void {
  if (!customElements.get(tag)) customElements.define(tag, element);
}
