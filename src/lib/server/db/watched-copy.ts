/**
 * An in-memory copy of some tables, read once per connection and read again only after a write
 * to what it is read from: temporary triggers (this connection only, gone when it closes) count
 * this connection's writes to the watched tables, and PRAGMA data_version tells when another
 * connection has committed. Matching's profiles (matching/candidates.ts) and the insights' facts
 * (stats/facts.ts) are such copies.
 */
import type Database from 'better-sqlite3';
import type { Db } from './index';

/** A table a copy is read from, and which of its writes change the copy. */
export interface WatchedTable {
	table: string;
	/** The columns read, when not all are: other updates leave the copy alone. */
	columns?: string;
	/** Only rows the copy reads (published case studies), as a condition on the row. */
	rows?: (row: 'old' | 'new') => string;
	/** A new row is read only once a watched row points to it (reference data). */
	ignoreInserts?: boolean;
}

/** The SQL of the temporary triggers that call `${name}_write()` on each watched write. */
function watchTriggers(name: string, tables: readonly WatchedTable[]): string[] {
	const sql: string[] = [];
	for (const { table, columns, rows, ignoreInserts } of tables) {
		const events: [event: string, on: string, when: string | null][] = [
			[
				'update',
				columns ? `UPDATE OF ${columns}` : 'UPDATE',
				rows ? `${rows('old')} OR ${rows('new')}` : null
			],
			['delete', 'DELETE', rows ? rows('old') : null]
		];
		if (!ignoreInserts) events.push(['insert', 'INSERT', rows ? rows('new') : null]);
		for (const [event, on, when] of events) {
			sql.push(
				`CREATE TEMP TRIGGER IF NOT EXISTS ${name}_${table}_${event} AFTER ${on} ON main.${table} ` +
					`${when ? `WHEN ${when} ` : ''}BEGIN SELECT ${name}_write(); END`
			);
		}
	}
	return sql;
}

interface Watch {
	/** Watched rows written by this connection; only ever grows. */
	writes: number;
	dataVersion: Database.Statement;
}

interface Cached<T> {
	dataVersion: number;
	writes: number;
	data: T;
}

export interface WatchedCopy<T> {
	/** The copy as of now for this connection, read again when a watched write happened. */
	get(db: Db): T;
	/** Forgets this connection's copy, as a write does. */
	forget(db: Db): void;
	/** How many times the copy was read in full, all connections together (tests, benches). */
	fullReads(): number;
}

/**
 * A copy named `name` (a SQL identifier: it prefixes the triggers and the function), read by
 * `read` and watched on `tables`. A write counts in JavaScript, so a rolled-back write still
 * counts, which at worst reads the copy again for nothing.
 */
export function watchedCopy<T>(
	name: string,
	tables: readonly WatchedTable[],
	read: (client: Database.Database) => T
): WatchedCopy<T> {
	const watches = new WeakMap<Database.Database, Watch>();
	const cached = new WeakMap<Database.Database, Cached<T>>();
	let fullReads = 0;

	function watchOf(client: Database.Database): Watch {
		const known = watches.get(client);
		if (known) return known;
		const watch: Watch = {
			writes: 0,
			dataVersion: client.prepare('PRAGMA data_version').pluck()
		};
		client.function(`${name}_write`, { deterministic: false }, () => {
			watch.writes += 1;
			return null;
		});
		for (const sql of watchTriggers(name, tables)) client.exec(sql);
		watches.set(client, watch);
		return watch;
	}

	return {
		get(db) {
			const client = db.$client;
			const watch = watchOf(client);
			const dataVersion = watch.dataVersion.get() as number;
			const current = cached.get(client);
			if (current && current.dataVersion === dataVersion && current.writes === watch.writes) {
				return current.data;
			}
			const writes = watch.writes;
			const data = read(client);
			fullReads += 1;
			// Read inside a transaction, the copy may hold writes that are then rolled back: it
			// serves this call only.
			if (!client.inTransaction) cached.set(client, { dataVersion, writes, data });
			return data;
		},
		forget(db) {
			cached.delete(db.$client);
		},
		fullReads: () => fullReads
	};
}
