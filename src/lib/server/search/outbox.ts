/**
 * Delivers the search outbox to Meilisearch. CORE's sync.ts writes one `search_outbox` row per
 * changed record inside the record's own transaction; this worker sends the record's current
 * mirror row (or a delete when the row is gone), so several changes of one record collapse into
 * one delivery, and a failure only postpones delivery: nothing is lost and no write fails.
 */
import { and, asc, count, eq, gt, inArray, lte, max, min, sql } from 'drizzle-orm';
import type { Db } from '$lib/server/db';
import * as table from '$lib/server/db/schema';
import type { SearchDocument, SearchEngine } from './types';

/** Outbox rows taken per round; the worker goes on at once while a round comes back full. */
export const OUTBOX_BATCH = 500;
const FIRST_RETRY_MS = 2_000;
const LONGEST_RETRY_MS = 10 * 60 * 1000;
const POLL_MS = 2_000;

/**
 * Exponential backoff with "equal jitter" after the n-th failed attempt: 1–2 s, 2–4 s, 4–8 s …
 * up to 5–10 min. The random half keeps several app instances from retrying in step.
 */
export function retryDelayMs(attempts: number, random: () => number = Math.random): number {
	const ceiling = Math.min(LONGEST_RETRY_MS, FIRST_RETRY_MS * 2 ** Math.max(0, attempts - 1));
	return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

const documentColumns = {
	ref: table.searchDocument.ref,
	type: table.searchDocument.type,
	recordId: table.searchDocument.recordId,
	title: table.searchDocument.title,
	summary: table.searchDocument.summary,
	keywords: table.searchDocument.keywords,
	body: table.searchDocument.body,
	path: table.searchDocument.path,
	language: table.searchDocument.language,
	visibility: table.searchDocument.visibility,
	facets: table.searchDocument.facets,
	meta: table.searchDocument.meta,
	sortDate: table.searchDocument.sortDate
};

/** The mirror rows of these refs as engine documents; refs without a row are not returned. */
export function mirroredDocuments(db: Db, refs: string[]): SearchDocument[] {
	if (refs.length === 0) return [];
	return db
		.select(documentColumns)
		.from(table.searchDocument)
		.where(inArray(table.searchDocument.ref, refs))
		.all();
}

/** One page of the whole mirror in row order, for a full reindex: pass the last `after` back. */
export function mirrorPage(
	db: Db,
	after: number,
	limit: number
): { documents: SearchDocument[]; after: number } {
	const rows = db
		.select({ rowId: table.searchDocument.id, ...documentColumns })
		.from(table.searchDocument)
		.where(gt(table.searchDocument.id, after))
		.orderBy(asc(table.searchDocument.id))
		.limit(limit)
		.all();
	return {
		documents: rows.map(({ rowId: _rowId, ...document }) => document),
		after: rows.at(-1)?.rowId ?? after
	};
}

/** The newest outbox row id (0 when empty): a full reindex covers the rows up to it. */
export function newestOutboxId(db: Db): number {
	return (
		db
			.select({ id: max(table.searchOutbox.id) })
			.from(table.searchOutbox)
			.get()?.id ?? 0
	);
}

/** Deletes the outbox rows up to an id, once a full reindex has sent a newer state. */
export function dropOutboxUpTo(db: Db, id: number): number {
	return db.delete(table.searchOutbox).where(lte(table.searchOutbox.id, id)).run().changes;
}

export type DeliveryRound = {
	/** Records whose current state reached the engine (indexed or removed). */
	delivered: number;
	/** Records whose delivery failed and was postponed. */
	failed: number;
	/** True when the round took a full batch, so more rows may be due. */
	more: boolean;
};

/** The error with its causes ("Request … has failed: fetch failed: connect ECONNREFUSED …"). */
export function messageOf(error: unknown): string {
	const parts: string[] = [];
	let current: unknown = error;
	while (current !== undefined && current !== null && parts.length < 4) {
		if (current instanceof Error) {
			parts.push(current.message);
			current = current.cause;
		} else {
			if (typeof current !== 'object') parts.push(String(current));
			break;
		}
	}
	return parts.join(': ').slice(0, 1000);
}

/**
 * One delivery round: takes the due rows, collapses them by ref, indexes the refs that still have
 * a mirror row and removes the others, then deletes the delivered rows or postpones the failed
 * ones with backoff and their error. Engine failures are recorded, never thrown.
 */
export async function deliverDueChanges(
	db: Db,
	engine: SearchEngine,
	now: Date = new Date(),
	options: { random?: () => number; batch?: number } = {}
): Promise<DeliveryRound> {
	const batch = options.batch ?? OUTBOX_BATCH;
	const due = db
		.select({
			id: table.searchOutbox.id,
			ref: table.searchOutbox.ref,
			attempts: table.searchOutbox.attempts
		})
		.from(table.searchOutbox)
		.where(lte(table.searchOutbox.nextAttemptAt, now))
		.orderBy(asc(table.searchOutbox.id))
		.limit(batch)
		.all();
	if (due.length === 0) return { delivered: 0, failed: 0, more: false };

	// Read right after taking the rows (no await in between): every row taken, and any older
	// row of the same ref, was committed before this read, so the state read covers them all.
	const newestTaken = Math.max(...due.map((row) => row.id));
	const refs = [...new Set(due.map((row) => row.ref))];
	const documents = mirroredDocuments(db, refs);
	const present = new Set(documents.map((document) => document.ref));
	const gone = refs.filter((ref) => !present.has(ref));

	const round: DeliveryRound = { delivered: 0, failed: 0, more: due.length === batch };
	const delivered = (refsOfCall: string[]) => {
		db.transaction((tx) => {
			for (const ref of refsOfCall) {
				tx.delete(table.searchOutbox)
					.where(and(eq(table.searchOutbox.ref, ref), lte(table.searchOutbox.id, newestTaken)))
					.run();
			}
		});
		round.delivered += refsOfCall.length;
	};
	const postponed = (refsOfCall: string[], error: unknown) => {
		const message = messageOf(error);
		const failedRefs = new Set(refsOfCall);
		console.error(
			`[search] outbox: delivering ${refsOfCall.length} change(s) to ${engine.name} failed, will retry:`,
			message
		);
		db.transaction((tx) => {
			for (const row of due.filter((row) => failedRefs.has(row.ref))) {
				const attempts = row.attempts + 1;
				tx.update(table.searchOutbox)
					.set({
						attempts,
						nextAttemptAt: new Date(now.getTime() + retryDelayMs(attempts, options.random)),
						lastError: message
					})
					.where(eq(table.searchOutbox.id, row.id))
					.run();
			}
		});
		round.failed += refsOfCall.length;
	};
	/**
	 * One call for all; when it fails while the engine is healthy, one document it refuses must
	 * not hold back the others, so each is sent alone and only the refused ones wait.
	 */
	const settle = async (refsOfCall: string[], call: (refs: string[]) => Promise<void>) => {
		if (refsOfCall.length === 0) return;
		try {
			await call(refsOfCall);
			delivered(refsOfCall);
		} catch (error) {
			if (refsOfCall.length === 1 || (await engine.health()).status !== 'ok') {
				postponed(refsOfCall, error);
				return;
			}
			for (const ref of refsOfCall) {
				try {
					await call([ref]);
					delivered([ref]);
				} catch (single) {
					postponed([ref], single);
				}
			}
		}
	};
	const byRef = new Map(documents.map((document) => [document.ref, document]));
	await settle([...present], (refs) => engine.index(refs.map((ref) => byRef.get(ref)!)));
	await settle(gone, (refs) => engine.remove(refs));
	return round;
}

/**
 * Queues every mirror document for delivery, e.g. when Meilisearch comes back empty (a new
 * server, lost data) or after the mirror was rebuilt without the outbox. Returns how many.
 */
export function queueAllDocuments(db: Db, now: Date = new Date()): number {
	const at = now.getTime();
	return db.run(
		sql`INSERT INTO search_outbox (ref, attempts, next_attempt_at, created_at)
			SELECT ref, 0, ${at}, ${at} FROM search_document`
	).changes;
}

/** Undelivered changes and the age of the oldest, for /health. */
export function outboxLag(db: Db, now: Date = new Date()): { pending: number; lagSeconds: number } {
	const row = db
		.select({ pending: count(), oldest: min(table.searchOutbox.createdAt) })
		.from(table.searchOutbox)
		.get();
	const oldest = row?.oldest ? new Date(row.oldest).getTime() : null;
	return {
		pending: row?.pending ?? 0,
		lagSeconds: oldest === null ? 0 : Math.max(0, Math.floor((now.getTime() - oldest) / 1000))
	};
}

/**
 * Polls the outbox every few seconds and delivers what is due to the engine. Never throws into
 * the app: a failed round is logged and the next one tries again. Returns a function that stops it.
 */
export function startSearchOutboxWorker(
	db: Db,
	engine: SearchEngine,
	options: { intervalMs?: number } = {}
): () => void {
	let running = false;
	let stopped = false;
	const tick = async () => {
		if (running || stopped) return;
		running = true;
		try {
			let round: DeliveryRound;
			do {
				round = await deliverDueChanges(db, engine);
			} while (round.more && round.failed === 0 && !stopped);
		} catch (error) {
			console.error('[search] outbox worker round failed', error);
		} finally {
			running = false;
		}
	};
	const timer = setInterval(tick, options.intervalMs ?? POLL_MS);
	timer.unref();
	void tick();
	return () => {
		stopped = true;
		clearInterval(timer);
	};
}
