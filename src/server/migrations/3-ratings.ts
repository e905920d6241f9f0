import type { Migration } from '../migrations.js';

export const migration: Migration = {
  id: 3,
  name: 'ratings',
  sql: `
`,
};
