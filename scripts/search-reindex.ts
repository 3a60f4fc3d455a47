/**
 * Rebuilds the search index from the database (the source of truth):
 *
 *   npm run search:reindex
 *
 * First the mirror in the database (search_document, search_facet and the FTS5 index the SQLite
 * engine searches); then, with MEILISEARCH_HOST set, Meilisearch: settings applied, the index
 * cleared and refilled in batches of 1000, and the outbox changes it covers dropped. Uses
 * DATABASE_PATH and the MEILISEARCH_* settings like the server; safe while the server runs.
 * Shows a progress bar on a terminal, a line per tenth otherwise, and a count per type at the end.
 */
import { compile } from '@inlang/paraglide-js';
import { paraglideOptions } from '../paraglide.options.js';
import { existsSync } from 'node:fs';

const BATCH = 1000;

/** A progress bar on a terminal; elsewhere (CI, logs) one line per tenth of the way. */
function progress(label: string) {
	const tty = Boolean(process.stdout.isTTY);
	let lastTenth = -1;
	return {
		update(done: number, total: number) {
			const share = total === 0 ? 1 : done / total;
			if (tty) {
				const width = 30;
				const filled = Math.round(share * width);
				process.stdout.write(
					`\r${label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${Math.floor(share * 100)}% ${done}/${total}`
				);
				return;
			}
			const tenth = Math.floor(share * 10);
			if (tenth > lastTenth) {
				lastTenth = tenth;
				console.log(`${label}: ${done}/${total} (${Math.floor(share * 100)}%)`);
			}
		},
		finish() {
			if (tty) process.stdout.write('\n');
		}
	};
}

function seconds(since: number): string {
	return `${((performance.now() - since) / 1000).toFixed(1)} s`;
}

async function main() {
	// The domain code's messages come from Paraglide; compile them if no build or check has yet.
	if (!existsSync('./src/lib/paraglide/messages.js')) {
		await compile(paraglideOptions);
	}
	const { config } = await import('../src/lib/server/config');
	const { openDatabase, runMigrations } = await import('../src/lib/server/db');
	const table = await import('../src/lib/server/db/schema');
	const { count } = await import('drizzle-orm');
	const sync = await import('../src/lib/server/search/sync');
	const db = openDatabase(config.databasePath);
	runMigrations(db);

	const started = performance.now();
	const mirrorBar = progress('Database mirror');
	const total = sync.rebuildAll(db, mirrorBar.update);
	mirrorBar.finish();
	const perType = db
		.select({ type: table.searchDocument.type, documents: count() })
		.from(table.searchDocument)
		.groupBy(table.searchDocument.type)
		.orderBy(table.searchDocument.type)
		.all();
	console.log(
		`Rebuilt the mirror in ${config.databasePath}: ${total} documents (${
			perType.map((row) => `${row.type} ${row.documents}`).join(', ') || 'none'
		}) in ${seconds(started)}`
	);

	const { configuredMeilisearch } = await import('../src/lib/server/search');
	const engine = configuredMeilisearch(db);
	if (engine) {
		const outbox = await import('../src/lib/server/search/outbox');
		const sent = performance.now();
		try {
			await engine.applySettings();
		} catch (error) {
			console.error(
				`Could not reach Meilisearch at ${config.meilisearchHost}: ${outbox.messageOf(error)}\nThe mirror is rebuilt; queued changes stay in the outbox. Start Meilisearch (or fix MEILISEARCH_HOST/MEILISEARCH_API_KEY) and run this again.`
			);
			db.$client.close();
			process.exit(1);
		}
		await engine.clear();
		// Every change queued so far is in the mirror read below; later ones stay queued.
		const covered = outbox.newestOutboxId(db);
		const bar = progress(`Meilisearch ${config.meilisearchIndex}`);
		let done = 0;
		let after = 0;
		bar.update(0, total);
		for (;;) {
			const page = outbox.mirrorPage(db, after, BATCH);
			if (page.documents.length === 0) break;
			await engine.index(page.documents);
			after = page.after;
			done += page.documents.length;
			bar.update(done, Math.max(total, done));
		}
		bar.finish();
		const dropped = outbox.dropOutboxUpTo(db, covered);
		console.log(
			`Sent ${done} documents to Meilisearch index "${config.meilisearchIndex}" at ${config.meilisearchHost} in ${seconds(sent)}${
				dropped ? `; ${dropped} queued change(s) it covers dropped from the outbox` : ''
			}`
		);
	} else {
		console.log(
			'MEILISEARCH_HOST is not set: the SQLite FTS5 engine searches the mirror directly.'
		);
	}
	db.$client.close();
	console.log(`Done in ${seconds(started)}.`);
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
