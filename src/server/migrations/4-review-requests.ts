import type { Migration } from '../migrations.js';

export const migration: Migration = {
  id: 4,
  name: 'catalog, orders and review requests',
  sql: `
`,
};
