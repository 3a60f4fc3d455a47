import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { HttpClient } from '../support/http-client';
import {
	closedPort,
	startMeilisearchStandin,
	type MeilisearchStandin
} from '../support/meilisearch-standin';
import { startBuiltServer, type RunningServer } from '../support/server';

let server: RunningServer | null = null;
let standin: MeilisearchStandin | null = null;

afterEach(async () => {
	await server?.stop();
	await standin?.close();
	server = null;
	standin = null;
});

/** Writes into the running server's database, as another process would. */
function write(dbPath: string, statement: string, ...values: unknown[]) {
	const db = new Database(dbPath);
	try {
		db.prepare(statement).run(...values);
	} finally {
		db.close();
	}
}

async function health(url: string) {
	const response = await new HttpClient(url).get('/health');
	return { status: response.status, body: await response.json() };
}

describe('/health with Meilisearch configured', { timeout: 60_000 }, () => {
	it('stays 200 but degraded while Meilisearch is down, and reports the waiting changes', async () => {
		const port = await closedPort();
		server = await startBuiltServer({
			MEILISEARCH_HOST: `http://127.0.0.1:${port}`,
			MEILISEARCH_INDEX: 'health-down'
		});
		expect(await health(server.url)).toEqual({
			status: 200,
			body: {
				status: 'degraded',
				db: 'ok',
				search: { engine: 'meilisearch', status: 'error', pending: 0, lagSeconds: 0 }
			}
		});
		const now = Date.now();
		write(
			server.dbPath,
			'INSERT INTO search_outbox (ref, attempts, next_attempt_at, created_at) VALUES (?, 0, ?, ?)',
			'organisation:waiting',
			now + 3_600_000,
			now - 120_000
		);
		const { status, body } = await health(server.url);
		expect(status).toBe(200);
		expect(body.search).toMatchObject({ engine: 'meilisearch', status: 'error', pending: 1 });
		expect(body.search.lagSeconds).toBeGreaterThanOrEqual(120);
	});

	it('applies the settings at start and drains the outbox once Meilisearch answers', async () => {
		standin = await startMeilisearchStandin();
		server = await startBuiltServer({
			MEILISEARCH_HOST: standin.url,
			MEILISEARCH_INDEX: 'health-up'
		});
		const now = Date.now();
		write(
			server.dbPath,
			`INSERT INTO search_document (ref, type, record_id, title, summary, keywords, body, path,
				language, visibility, facets, meta, sort_date)
			VALUES ('organisation:abc', 'organisation', 'abc', 'Kisumu County', '', '', '',
				'/organisations/kisumu', 'en', 'public', '{"country":["KE"]}', '{}', ?)`,
			now
		);
		write(
			server.dbPath,
			'INSERT INTO search_outbox (ref, attempts, next_attempt_at, created_at) VALUES (?, 0, ?, ?)',
			'organisation:abc',
			now,
			now
		);
		const deadline = Date.now() + 20_000;
		let body = (await health(server.url)).body;
		while (body.search.pending > 0 && Date.now() < deadline) {
			await new Promise((resolve) => setTimeout(resolve, 100));
			body = (await health(server.url)).body;
		}
		expect(body).toEqual({
			status: 'ok',
			db: 'ok',
			search: { engine: 'meilisearch', status: 'ok', pending: 0, lagSeconds: 0 }
		});
		expect(standin.documents('health-up')?.get('organisation-abc')).toMatchObject({
			ref: 'organisation:abc',
			title: 'Kisumu County',
			country: ['KE']
		});
		expect(standin.settings('health-up')).toMatchObject({
			searchableAttributes: ['title', 'summary', 'keywords', 'body'],
			sortableAttributes: ['sortDate']
		});
	});
});
