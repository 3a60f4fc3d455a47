/**
 * Keeps the search mirror (`search_document`, `search_facet`; `search_fts` follows by triggers)
 * equal to the records, inside the transaction that changes them, and queues the change for
 * Meilisearch in `search_outbox` when it is configured. better-sqlite3 is synchronous: nothing
 * here awaits, so it runs inside `db.transaction((tx) => …)`.
 */
import type Database from 'better-sqlite3';
import { count, inArray, sql } from 'drizzle-orm';
import { config } from '$lib/server/config';
import type { Db } from '$lib/server/db';
import * as table from '$lib/server/db/schema';
import type { Executor } from '$lib/server/organisations';
import {
	allRefs,
	caseStudyRefsMissingYear,
	documentsFor,
	expiredListingRefs,
	refOf,
	type RecordRef
} from './documents';
import { noteChangedDocuments } from './facet-table';
import type { RecordType, SearchDocument } from './types';

export { refOf, type RecordRef } from './documents';

let outboxOverride: boolean | null = null;

/** Whether writes queue their changes for Meilisearch: on when it is configured. */
export function outboxEnabled(): boolean {
	return outboxOverride ?? Boolean(config.meilisearchHost);
}

/** Turns the outbox on or off regardless of configuration (tests); null returns to the default. */
export function setOutboxEnabled(on: boolean | null): void {
	outboxOverride = on;
}

type Client = Db['$client'];
type Statement = Database.Statement<unknown[], unknown>;

/**
 * The better-sqlite3 connection behind the database or a drizzle transaction on it: bulk writes
 * (a rebuild, a benchmark's 100,000 documents) reuse prepared statements instead of building
 * and preparing SQL per row.
 */
function clientOf(db: Executor): Client {
	if ('$client' in db) return (db as Db).$client;
	return (db as unknown as { session: { client: Client } }).session.client;
}

const writeStatements = new WeakMap<
	Client,
	Record<'upsert' | 'idOf' | 'clearFacets' | 'addFacet', Statement>
>();

const changeableColumns = [
	'type',
	'record_id',
	'title',
	'summary',
	'keywords',
	'body',
	'path',
	'language',
	'visibility',
	'facets',
	'meta',
	'sort_date'
];

function statementsOf(client: Client) {
	let statements = writeStatements.get(client);
	if (!statements) {
		statements = {
			// Unchanged rows are left alone, so the FTS triggers do not re-index them.
			upsert: client.prepare(
				`INSERT INTO search_document (${changeableColumns.join(', ')}, ref) VALUES (${changeableColumns.map(() => '?').join(', ')}, ?)
				 ON CONFLICT (ref) DO UPDATE SET ${changeableColumns.map((column) => `${column} = excluded.${column}`).join(', ')}
				 WHERE ${changeableColumns.map((column) => `${column} IS NOT excluded.${column}`).join(' OR ')}
				 RETURNING id`
			),
			idOf: client.prepare('SELECT id FROM search_document WHERE ref = ?'),
			clearFacets: client.prepare('DELETE FROM search_facet WHERE document_id = ?'),
			addFacet: client.prepare(
				'INSERT OR IGNORE INTO search_facet (document_id, name, value) VALUES (?, ?, ?)'
			)
		};
		writeStatements.set(client, statements);
	}
	return statements;
}

/**
 * Adds or replaces mirror rows (by ref), with their facet rows. Runs in a savepoint of the
 * caller's transaction, or its own transaction when given the database.
 */
export function putDocuments(db: Executor, documents: SearchDocument[]): void {
	if (documents.length === 0) return;
	const client = clientOf(db);
	const statements = statementsOf(client);
	const changed: number[] = [];
	db.transaction(() => {
		for (const document of documents) {
			const row = statements.upsert.get(
				document.type,
				document.recordId,
				document.title,
				document.summary,
				document.keywords,
				document.body,
				document.path,
				document.language,
				document.visibility,
				JSON.stringify(document.facets),
				JSON.stringify(document.meta),
				document.sortDate.getTime(),
				document.ref
			) as { id: number } | undefined;
			const id = row?.id ?? (statements.idOf.get(document.ref) as { id: number }).id;
			if (row) changed.push(id);
			statements.clearFacets.run(id);
			// The record type is a facet row too: every filter and count is one index lookup.
			statements.addFacet.run(id, 'type', document.type);
			for (const [name, values] of Object.entries(document.facets)) {
				for (const value of values ?? []) statements.addFacet.run(id, name, value);
			}
		}
	});
	noteChangedDocuments(client, changed);
}

/** Removes mirror rows by ref (facet rows go with them); returns the refs that existed. */
export function deleteDocuments(db: Executor, refs: string[]): string[] {
	if (refs.length === 0) return [];
	const removed: string[] = [];
	db.transaction((tx) => {
		for (let i = 0; i < refs.length; i += 500) {
			const batch = refs.slice(i, i + 500);
			const ids = tx
				.select({ id: table.searchDocument.id, ref: table.searchDocument.ref })
				.from(table.searchDocument)
				.where(inArray(table.searchDocument.ref, batch))
				.all();
			if (ids.length === 0) continue;
			const documentIds = ids.map((row) => row.id);
			tx.delete(table.searchFacet).where(inArray(table.searchFacet.documentId, documentIds)).run();
			tx.delete(table.searchDocument).where(inArray(table.searchDocument.id, documentIds)).run();
			removed.push(...ids.map((row) => row.ref));
			noteChangedDocuments(clientOf(db), documentIds);
		}
	});
	return removed;
}

function queueForEngine(db: Executor, refs: string[], now: Date) {
	if (refs.length === 0 || !outboxEnabled()) return;
	db.insert(table.searchOutbox)
		.values(refs.map((ref) => ({ ref, nextAttemptAt: now, createdAt: now })))
		.run();
}

/**
 * Rebuilds the mirror rows of these records from their current state, inside the caller's
 * transaction: a record that is no longer searchable loses its row. Queues one outbox row per
 * changed document when the outbox is on. `now` is when the change happened: the outbox row's
 * time and the last year of an ongoing case.
 */
export function refreshRecords(tx: Executor, refs: RecordRef[], now = new Date()): void {
	const byType = new Map<RecordType, Set<string>>();
	for (const ref of refs) {
		const ids = byType.get(ref.type) ?? new Set<string>();
		ids.add(ref.recordId);
		byType.set(ref.type, ids);
	}
	const changed: string[] = [];
	for (const [type, ids] of byType) {
		const documents = documentsFor(tx, type, [...ids], now);
		putDocuments(tx, documents);
		changed.push(...documents.map((document) => document.ref));
		const present = new Set(documents.map((document) => document.recordId));
		const gone = [...ids]
			.filter((id) => !present.has(id))
			.map((recordId) => refOf({ type, recordId }));
		changed.push(...deleteDocuments(tx, gone));
	}
	queueForEngine(tx, changed, now);
}

/** How many documents each transaction of a full rebuild writes. */
const REBUILD_BATCH = 500;

/**
 * Rebuilds the whole mirror from the records, in batches of short transactions so searches keep
 * working meanwhile; removes rows of records that are gone. Returns the number of documents.
 * Writes no outbox rows: the reindex command sends everything to Meilisearch itself.
 */
export function rebuildAll(db: Db, onProgress?: (done: number, total: number) => void): number {
	const refs = allRefs(db);
	const total = refs.length;
	const seen = new Set<string>();
	onProgress?.(0, total);
	for (let i = 0; i < total; i += REBUILD_BATCH) {
		const batch = refs.slice(i, i + REBUILD_BATCH);
		db.transaction((tx) => {
			const byType = new Map<RecordType, string[]>();
			for (const ref of batch)
				byType.set(ref.type, [...(byType.get(ref.type) ?? []), ref.recordId]);
			for (const [type, ids] of byType) {
				const documents = documentsFor(tx, type, ids);
				putDocuments(tx, documents);
				for (const document of documents) seen.add(document.ref);
			}
		});
		onProgress?.(Math.min(i + REBUILD_BATCH, total), total);
	}
	const stale = db
		.select({ ref: table.searchDocument.ref })
		.from(table.searchDocument)
		.all()
		.map((row) => row.ref)
		.filter((ref) => !seen.has(ref));
	deleteDocuments(db, stale);
	db.run(sql`INSERT INTO search_fts(search_fts) VALUES ('optimize')`);
	return seen.size;
}

/** The number of documents in the mirror. */
export function documentCount(db: Executor): number {
	return db.select({ n: count() }).from(table.searchDocument).get()?.n ?? 0;
}

/**
 * At start: builds the mirror when it is empty while there are records to find (a database from
 * before search, or restored without it). Returns the number of documents built, or 0.
 */
export function ensureIndexed(db: Db): number {
	if (documentCount(db) > 0) return 0;
	if (allRefs(db).length === 0) return 0;
	return rebuildAll(db);
}

/**
 * Rebuilds the documents of ongoing cases once the year turns (their year facet runs to the
 * current year), queueing them for Meilisearch like any write. Returns how many were refreshed.
 */
export function refreshOngoingYears(db: Db, now = new Date()): number {
	const refs = caseStudyRefsMissingYear(db, now);
	if (refs.length > 0) db.transaction((tx) => refreshRecords(tx, refs, now));
	return refs.length;
}

/**
 * Removes the documents of needs and offers that expired since they were written (nothing else
 * tells the index that time passed), queueing the removals like any write. Returns how many.
 */
export function removeExpiredListings(db: Db, now = new Date()): number {
	const refs = expiredListingRefs(db, now);
	if (refs.length > 0) db.transaction((tx) => refreshRecords(tx, refs, now));
	return refs.length;
}

/**
 * At start and then every hour: the new year reaches ongoing cases, and expired needs and
 * offers leave search, within an hour.
 */
export function startOngoingYearsRefresh(db: Db, intervalMs = 60 * 60 * 1000): () => void {
	const run = () => {
		try {
			const refreshed = refreshOngoingYears(db);
			if (refreshed > 0)
				console.log(`[search] new year: refreshed ${refreshed} ongoing case studies`);
		} catch (error) {
			console.error('[search] refreshing ongoing case studies for the new year failed', error);
		}
		try {
			const removed = removeExpiredListings(db);
			if (removed > 0) console.log(`[search] removed ${removed} expired needs and offers`);
		} catch (error) {
			console.error('[search] removing expired needs and offers failed', error);
		}
	};
	run();
	const timer = setInterval(run, intervalMs);
	timer.unref();
	return () => clearInterval(timer);
}
