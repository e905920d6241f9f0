// The standalone rating-stars file checks averages with hand-written code
// (src/api/checks.lite.ts) instead of zod: it must accept and refuse exactly what the
// zod schema does, and return the same data.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as zod from '../../src/api/checks.js';
import * as lite from '../../src/api/checks.lite.js';

const average = { entityId: 'p1', total: 3, average: 4.33 };
const samples: [string, unknown][] = [
  ['a valid response', { group: 'stores', entityAverages: [average, { entityId: 'p2', total: 0, average: 0 }] }],
  ['no averages', { group: 'stores', entityAverages: [] }],
  ['extra fields (dropped)', { group: 'stores', entityAverages: [{ ...average, extra: 1 }], more: true }],
  ['null', null],
  ['an array', [average]],
  ['a string', 'ok'],
  ['no group', { entityAverages: [average] }],
  ['a numeric group', { group: 1, entityAverages: [average] }],
  ['averages not an array', { group: 'stores', entityAverages: { 0: average } }],
  ['an average that is null', { group: 'stores', entityAverages: [null] }],
  ['an average that is an array', { group: 'stores', entityAverages: [[]] }],
  ['a numeric entity id', { group: 'stores', entityAverages: [{ ...average, entityId: 1 }] }],
  ['a fractional total', { group: 'stores', entityAverages: [{ ...average, total: 1.5 }] }],
  ['a total beyond safe integers', { group: 'stores', entityAverages: [{ ...average, total: 2 ** 60 }] }],
  ['a total as a string', { group: 'stores', entityAverages: [{ ...average, total: '3' }] }],
  ['an average as a string', { group: 'stores', entityAverages: [{ ...average, average: '4.3' }] }],
  ['a missing average', { group: 'stores', entityAverages: [{ entityId: 'p1', total: 3 }] }],
  ['an infinite average', { group: 'stores', entityAverages: [{ ...average, average: Infinity }] }],
  ['a NaN average', { group: 'stores', entityAverages: [{ ...average, average: NaN }] }],
];

describe('lite averages check', () => {
  for (const [what, json] of samples) {
    it(`agrees with zod on ${what}`, () => {
      assert.deepEqual(lite.checkAverages(json), zod.checkAverages(json));
    });
  }
});
