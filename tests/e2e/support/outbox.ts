import Database from 'better-sqlite3';
import { inject } from 'vitest';

/**
 * The newest link in an email to `address` whose path starts with `path`, read from the
 * running server's email_outbox table (the server writes every message there first).
 */
export function linkFromLatestEmail(address: string, path: string): string {
	const db = new Database(inject('dbPath'), { readonly: true, fileMustExist: true });
	try {
		const rows = db
			.prepare('SELECT body FROM email_outbox WHERE to_address = ? ORDER BY id DESC')
			.all(address) as { body: string }[];
		for (const { body } of rows) {
			for (const match of body.matchAll(/https?:\/\/[^\s<>"]+/g)) {
				if (new URL(match[0]).pathname.startsWith(path)) return match[0];
			}
		}
		throw new Error(`no email to ${address} holds a link to ${path} (${rows.length} emails)`);
	} finally {
		db.close();
	}
}
