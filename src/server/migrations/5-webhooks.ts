import type { Migration } from '../migrations.js';

export const migration: Migration = {
  id: 5,
  name: 'domain events outbox and webhooks',
  sql: `
`,
};
