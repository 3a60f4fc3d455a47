/**
 * The search engine the app uses: Meilisearch when MEILISEARCH_HOST is set, else SQLite FTS5 in
 * the application's own database.
 */
import { config } from '$lib/server/config';
import type { Db } from '$lib/server/db';
import { meilisearchEngine, type MeilisearchEngine } from './meilisearch';
import { sqliteEngine } from './sqlite';
import type { SearchEngine } from './types';

let meilisearch: MeilisearchEngine | null = null;

/** The configured Meilisearch engine (one per process), or null when MEILISEARCH_HOST is unset. */
export function configuredMeilisearch(db: Db): MeilisearchEngine | null {
	if (!config.meilisearchHost) return null;
	meilisearch ??= meilisearchEngine({
		host: config.meilisearchHost,
		apiKey: config.meilisearchApiKey,
		index: config.meilisearchIndex,
		db
	});
	return meilisearch;
}

export function searchEngine(db: Db): SearchEngine {
	return configuredMeilisearch(db) ?? sqliteEngine(db);
}
