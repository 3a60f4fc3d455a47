/**
 * Keeps the search mirror (`search_document`, `search_facet`; `search_fts` follows by triggers)
 * equal to the records, inside the transaction that changes them, and queues the change for
 * Meilisearch in `search_outbox` when it is configured. better-sqlite3 is synchronous: nothing
 * here awaits, so it runs inside `db.transaction((tx) => …)`.
 */
import { count, eq, inArray, sql } from 'drizzle-orm';
import { config } from '$lib/server/config';
import type { Db } from '$lib/server/db';
import * as table from '$lib/server/db/schema';
import type { Executor } from '$lib/server/organisations';
import { allRefs, documentsFor, refOf, type RecordRef } from './documents';
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

/** Listeners told which documents changed, e.g. the SQLite engine's word list. */
const changeListeners = new Set<(documents: SearchDocument[]) => void>();

export function onDocumentsChanged(listener: (documents: SearchDocument[]) => void): () => void {
	changeListeners.add(listener);
	return () => changeListeners.delete(listener);
}

function facetRows(documentId: number, document: SearchDocument) {
	return Object.entries(document.facets).flatMap(([name, values]) =>
		[...new Set(values ?? [])].map((value) => ({ documentId, name, value }))
	);
}

/**
 * Adds or replaces mirror rows (by ref), with their facet rows. Runs in a savepoint of the
 * caller's transaction, or its own transaction when given the database.
 */
export function putDocuments(db: Executor, documents: SearchDocument[]): void {
	if (documents.length === 0) return;
	db.transaction((tx) => {
		for (const document of documents) {
			const values = {
				ref: document.ref,
				type: document.type,
				recordId: document.recordId,
				title: document.title,
				summary: document.summary,
				keywords: document.keywords,
				body: document.body,
				path: document.path,
				language: document.language,
				visibility: document.visibility,
				facets: document.facets as Record<string, string[]>,
				meta: document.meta,
				sortDate: document.sortDate
			};
			const { id } = tx
				.insert(table.searchDocument)
				.values(values)
				.onConflictDoUpdate({ target: table.searchDocument.ref, set: values })
				.returning({ id: table.searchDocument.id })
				.get();
			tx.delete(table.searchFacet).where(eq(table.searchFacet.documentId, id)).run();
			const facets = facetRows(id, document);
			if (facets.length) tx.insert(table.searchFacet).values(facets).run();
		}
	});
	for (const listener of changeListeners) listener(documents);
}

/** Removes mirror rows by ref (facet rows go with them); returns the refs that existed. */
export function deleteDocuments(db: Executor, refs: string[]): string[] {
	if (refs.length === 0) return [];
	const removed: string[] = [];
	db.transaction((tx) => {
		for (let i = 0; i < refs.length; i += 500) {
			const batch = refs.slice(i, i + 500);
			const rows = tx
				.delete(table.searchDocument)
				.where(inArray(table.searchDocument.ref, batch))
				.returning({ ref: table.searchDocument.ref })
				.all();
			removed.push(...rows.map((row) => row.ref));
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
 * changed document when the outbox is on.
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
		const documents = documentsFor(tx, type, [...ids]);
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
