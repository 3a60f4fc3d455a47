import { config } from '$lib/server/config';
import { appDb } from '$lib/server/db/app';
import * as accounts from '$lib/server/accounts';
import * as demo from '$lib/server/demo';
import * as email from '$lib/server/email';
import * as reference from '$lib/server/reference';
import { configuredMeilisearch } from '$lib/server/search';
import { startMeilisearchSync } from '$lib/server/search/meilisearch';
import * as searchSync from '$lib/server/search/sync';

/** Runs once when the server starts (never at build): migrate, seed what is missing, start workers. */
export async function startServer(): Promise<void> {
	const db = appDb();
	reference.seedReferenceData(db);
	// Demo content first: it brings its own admin, so the first-admin check does not warn in a demo.
	if (config.demoContent) await demo.seedDemoContent(db);
	searchSync.ensureIndexed(db);
	searchSync.startOngoingYearsRefresh(db);
	await accounts.ensureFirstAdmin(db, config);
	email.startOutboxWorker(db, config);
	// With Meilisearch configured, writes queue their changes (sync.outboxEnabled); the worker
	// delivers them whenever Meilisearch answers.
	const meilisearch = configuredMeilisearch(db);
	if (meilisearch) startMeilisearchSync(db, meilisearch);
}
