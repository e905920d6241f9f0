/**
 * Imported by every browser test file: fails the current test when Lit printed a
 * dev-mode warning during it.
 */
import { expect } from '@open-wc/testing';
import { litWarnings, resetWarnings } from './helpers.js';

beforeEach(() => resetWarnings());
afterEach(() => {
  expect(litWarnings(), 'Lit dev-mode warnings').to.deep.equal([]);
});
