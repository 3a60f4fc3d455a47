/**
 * Reminds the parties of every stale partnership (no update or status change for 6 months, not
 * completed or discontinued) in the app and through the email outbox, at most once every 30 days
 * per partnership. Meant for a daily cron job:
 *
 *   npm run partnerships:remind
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
	const stale = await import('../src/lib/server/partnerships/stale');
	const db = openDatabase(config.databasePath);
	runMigrations(db);
	const reminded = stale.sendStaleReminders(db, { origin: config.origin });
	db.$client.close();
	console.log(
		`Reminded the parties of ${reminded.partnerships} stale partnership(s) (${reminded.notified} notification(s)) in ${config.databasePath}`
	);
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
