/**
 * Online backup of the SQLite database, safe while the server runs (SQLite's backup API copies
 * a consistent snapshot, WAL included). Usage: npm run db:backup -- [target-file]
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

const source = resolve(process.env.DATABASE_PATH || 'data/citybridge.db');
const stamp = new Date().toISOString().replace(/[:.]/g, '-');
const target = resolve(process.argv[2] ?? `backups/citybridge-${stamp}.db`);

mkdirSync(dirname(target), { recursive: true });
const db = new Database(source, { readonly: true, fileMustExist: true });
await db.backup(target, {
	progress({ totalPages, remainingPages }) {
		process.stdout.write(`\rcopied ${totalPages - remainingPages} of ${totalPages} pages`);
		return 200;
	}
});
db.close();
console.log(`\nbackup written to ${target}`);
