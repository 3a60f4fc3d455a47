import { describe, expect, it } from 'vitest';
import { freshDb } from '../support/db';

describe('database', () => {
	it('opens with WAL, foreign keys and a busy timeout', () => {
		const db = freshDb();
		expect(db.$client.pragma('journal_mode', { simple: true })).toBe('wal');
		expect(db.$client.pragma('foreign_keys', { simple: true })).toBe(1);
		expect(db.$client.pragma('busy_timeout', { simple: true })).toBe(5000);
	});

	it('refuses a row that points at a missing parent', () => {
		const db = freshDb();
		expect(() =>
			db.$client
				.prepare(
					"INSERT INTO session (id, user_id, expires_at, created_at) VALUES ('x', 'no-such-user', 0, 0)"
				)
				.run()
		).toThrow(/FOREIGN KEY/);
	});
});
