/**
 * The search engine the app uses: Meilisearch when MEILISEARCH_HOST is set, else SQLite FTS5 in
 * the application's own database.
 */
import { config } from '$lib/server/config';
import type { Db } from '$lib/server/db';
import { meilisearchEngine } from './meilisearch';
import { sqliteEngine } from './sqlite';
import type { SearchEngine } from './types';

let meilisearch: SearchEngine | null = null;

export function searchEngine(db: Db): SearchEngine {
	if (!config.meilisearchHost) return sqliteEngine(db);
	meilisearch ??= meilisearchEngine({
		host: config.meilisearchHost,
		apiKey: config.meilisearchApiKey,
		index: config.meilisearchIndex,
		db
	});
	return meilisearch;
}
