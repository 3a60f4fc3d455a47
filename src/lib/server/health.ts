import type { Db } from '$lib/server/db';
import { outboxLag } from '$lib/server/search/outbox';
import type { EngineHealth, SearchEngine } from '$lib/server/search/types';

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

/** Changes older than this waiting for Meilisearch mean its worker is stuck or refused. */
export const SEARCH_LAG_DEGRADED_SECONDS = 300;

export type HealthReport = {
	status: 'ok' | 'degraded';
	db: 'ok' | 'error';
	search: EngineHealth;
};

/**
 * What /health answers. Only a failing database makes it 503: search served stale or not at all
 * (Meilisearch down, outbox lagging) is 'degraded' with 200, so a load balancer does not take
 * an app out that still serves every page and accepts every write.
 */
export async function healthReport(
	db: Db,
	engine: SearchEngine
): Promise<{ httpStatus: 200 | 503; report: HealthReport }> {
	if (databaseHealth(db) === 'error') {
		return {
			httpStatus: 503,
			report: { status: 'degraded', db: 'error', search: { engine: engine.name, status: 'error' } }
		};
	}
	let search: EngineHealth;
	try {
		search = await engine.health();
	} catch (error) {
		console.error('health: search engine check failed', error);
		search = { engine: engine.name, status: 'error' };
	}
	if (search.engine === 'meilisearch' && search.pending === undefined) {
		search = { ...search, ...outboxLag(db) };
	}
	const lagging = (search.lagSeconds ?? 0) > SEARCH_LAG_DEGRADED_SECONDS;
	return {
		httpStatus: 200,
		report: { status: search.status === 'ok' && !lagging ? 'ok' : 'degraded', db: 'ok', search }
	};
}
