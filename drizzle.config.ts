import { defineConfig } from 'drizzle-kit';

export default defineConfig({
	schema: './src/lib/server/db/schema.ts',
	out: './db/migrations',
	dialect: 'sqlite',
	dbCredentials: { url: process.env.DATABASE_PATH ?? 'data/citybridge.db' },
	// FTS5 tables live in custom migrations; keep them out of drizzle-kit's diff.
	tablesFilter: ['!*_fts*'],
	strict: true,
	verbose: true
});
