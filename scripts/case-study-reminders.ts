/**
 * Queues a reminder (through the email outbox) to the owners of every published case study not
 * reviewed for 24 months, at most once a month per case. Meant for a daily cron job:
 *
 *   npm run cases:remind
 *
 * Uses DATABASE_PATH and ORIGIN like the server; the running server's outbox worker sends the mail.
 */
import { compile } from '@inlang/paraglide-js';
import { paraglideOptions } from '../paraglide.options.js';
import { existsSync } from 'node:fs';

async function main() {
	// The domain code's messages come from Paraglide; compile them if no build or check has yet.
	if (!existsSync('./src/lib/paraglide/messages.js')) {
		await compile(paraglideOptions);
	}
	const { config } = await import('../src/lib/server/config');
	const { openDatabase, runMigrations } = await import('../src/lib/server/db');
	const freshness = await import('../src/lib/server/case-studies/freshness');
	const db = openDatabase(config.databasePath);
	runMigrations(db);
	const queued = freshness.sendReviewReminders(db, { origin: config.origin });
	db.$client.close();
	console.log(`Queued ${queued} review reminder(s) in ${config.databasePath}`);
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
