import type { Db } from '$lib/server/db';

export function databaseHealth(db: Db): 'ok' | 'error' {
	try {
		db.$client.prepare('SELECT 1').get();
		return 'ok';
	} catch (error) {
		console.error('health: database check failed', error);
		return 'error';
	}
}

/** The embedded engine needs SQLite compiled with FTS5. */
export function sqliteSearchHealth(db: Db): 'ok' | 'error' {
	try {
		const row = db.$client
			.prepare("SELECT sqlite_compileoption_used('ENABLE_FTS5') AS fts5")
			.get() as {
			fts5: number;
		};
		return row.fts5 === 1 ? 'ok' : 'error';
	} catch (error) {
		console.error('health: search check failed', error);
		return 'error';
	}
}
