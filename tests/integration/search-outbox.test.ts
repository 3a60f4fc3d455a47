import { readFileSync } from 'node:fs';
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/lib/server/auth/policy';
import * as caseStudies from '../../src/lib/server/case-studies';
import type { Db } from '../../src/lib/server/db';
import * as table from '../../src/lib/server/db/schema';
import * as organisations from '../../src/lib/server/organisations';
import { healthReport } from '../../src/lib/server/health';
import {
	encodeRef,
	indexSettings,
	meilisearchEngine,
	startMeilisearchSync
} from '../../src/lib/server/search/meilisearch';
import { sqliteEngine } from '../../src/lib/server/search/sqlite';
import type { SearchDocument } from '../../src/lib/server/search/types';
import * as outbox from '../../src/lib/server/search/outbox';
import * as sync from '../../src/lib/server/search/sync';
import { freshDb } from '../support/db';
import {
	closedPort,
	startMeilisearchStandin,
	type MeilisearchStandin
} from '../support/meilisearch-standin';
import { ensurePlaces, makeUser, places, type TestUser } from '../support/org-fixtures';

const demo = JSON.parse(readFileSync('db/demo/case-studies.json', 'utf8')) as Record<
	string,
	unknown
>[];

let db: Db;
let owner: TestUser;
let moderator: TestUser;
let standin: MeilisearchStandin | null = null;

const actor = (user: TestUser): Actor => ({ id: user.id, siteRole: user.siteRole });
const minutes = (n: number) => n * 60_000;

beforeEach(() => {
	db = freshDb();
	ensurePlaces(db);
	owner = makeUser(db, 'member', 'owner');
	moderator = makeUser(db, 'moderator', 'moderator');
	sync.setOutboxEnabled(true);
});

afterEach(async () => {
	sync.setOutboxEnabled(null);
	await standin?.close();
	standin = null;
});

function newOrganisation(name = 'Nairobi City County') {
	return organisations.createOrganisation(db, owner.id, {
		name,
		kind: 'city',
		country: 'KE',
		city: places.nairobi,
		website: null,
		description: 'Runs the city.',
		languages: []
	}).id;
}

/** A case study published through the workflow, as the moderation queue does it. */
function publishedCase(organisationId: string) {
	const draft = caseStudies.createDraft(db, actor(owner), {
		organisationId,
		input: caseStudies.caseStudyInput.parse({ ...demo[0], stakeholders: [] })
	});
	caseStudies.publish(db, actor(moderator), draft.id);
	return draft.id;
}

function outboxRows() {
	return db.select().from(table.searchOutbox).orderBy(table.searchOutbox.id).all();
}

async function engineAtStandin() {
	standin = await startMeilisearchStandin();
	return meilisearchEngine({ host: standin.url, index: 'outbox-test', db });
}

describe('search outbox with Meilisearch unreachable', () => {
	it('lets writes succeed, queues their changes and backs off delivery', async () => {
		const port = await closedPort();
		const engine = meilisearchEngine({ host: `http://127.0.0.1:${port}`, index: 'down', db });
		const organisationId = newOrganisation();
		const caseId = publishedCase(organisationId);

		const queued = new Set(outboxRows().map((row) => row.ref));
		expect(queued).toContain(`organisation:${organisationId}`);
		expect(queued).toContain(`case_study:${caseId}`);
		const pending = outboxRows().length;
		expect(outbox.outboxLag(db)).toMatchObject({ pending });

		const now = new Date(Date.now() + 1000);
		const first = await outbox.deliverDueChanges(db, engine, now, { random: () => 0.5 });
		expect(first).toEqual({ delivered: 0, failed: queued.size, more: false });
		const afterFirst = outboxRows();
		expect(afterFirst).toHaveLength(pending);
		for (const row of afterFirst) {
			expect(row.attempts).toBe(1);
			expect(row.nextAttemptAt.getTime()).toBeGreaterThan(now.getTime());
			expect(row.lastError).toBeTruthy();
		}

		// Nothing is due again until the backoff has passed.
		expect(await outbox.deliverDueChanges(db, engine, now)).toEqual({
			delivered: 0,
			failed: 0,
			more: false
		});
		expect(outboxRows().map((row) => row.attempts)).toEqual(afterFirst.map(() => 1));

		const later = new Date(now.getTime() + minutes(11));
		await outbox.deliverDueChanges(db, engine, later, { random: () => 0.5 });
		for (const [i, row] of outboxRows().entries()) {
			expect(row.attempts).toBe(2);
			const firstWait = afterFirst[i].nextAttemptAt.getTime() - now.getTime();
			expect(row.nextAttemptAt.getTime() - later.getTime()).toBeGreaterThan(firstWait);
		}

		// Another write still succeeds while the outbox waits.
		newOrganisation('Mombasa County');
		expect(outbox.outboxLag(db).pending).toBe(pending + 1);

		const health = await engine.health();
		expect(health).toMatchObject({ engine: 'meilisearch', status: 'error', pending: pending + 1 });
		expect(health.lagSeconds).toBeGreaterThanOrEqual(0);
	});
});

describe('search outbox delivery', () => {
	it('drains once Meilisearch answers after refusing (503, then a reset connection)', async () => {
		const engine = await engineAtStandin();
		const organisationId = newOrganisation();
		const caseId = publishedCase(organisationId);
		const now = new Date(Date.now() + 1000);

		// Refused twice: the delivery and the health check that tells an outage from a bad document.
		standin!.refuse(2, 'unavailable');
		const refused = await outbox.deliverDueChanges(db, engine, now);
		expect(refused.delivered).toBe(0);
		expect(outboxRows()[0].lastError).toContain('Meilisearch is starting');

		standin!.refuse(2, 'reset');
		const reset = await outbox.deliverDueChanges(db, engine, new Date(now.getTime() + minutes(1)));
		expect(reset.delivered).toBe(0);
		expect(outboxRows().every((row) => row.attempts === 2)).toBe(true);

		const accepted = await outbox.deliverDueChanges(
			db,
			engine,
			new Date(now.getTime() + minutes(5))
		);
		expect(accepted).toEqual({ delivered: 2, failed: 0, more: false });
		expect(outboxRows()).toEqual([]);
		expect(new Set(standin!.addedIds())).toEqual(
			new Set([encodeRef(`organisation:${organisationId}`), encodeRef(`case_study:${caseId}`)])
		);
		const addition = standin!.received.find((r) => r.path === '/indexes/outbox-test/documents');
		expect(addition?.query.get('primaryKey')).toBe('id');
		const sent = (addition?.body as Record<string, unknown>[]).find(
			(document) => document.ref === `case_study:${caseId}`
		);
		expect(sent).toMatchObject({
			id: `case_study-${caseId}`,
			type: 'case_study',
			recordId: caseId,
			title: demo[0].title,
			visibility: 'public'
		});
		expect(typeof sent?.sortDate).toBe('number');
		expect(Array.isArray(sent?.theme)).toBe(true);

		// Archiving removes the case's document; Meilisearch is told to delete it.
		caseStudies.archive(db, actor(moderator), caseId);
		expect(outboxRows().map((row) => row.ref)).toEqual([`case_study:${caseId}`]);
		const removal = await outbox.deliverDueChanges(db, engine);
		expect(removal).toEqual({ delivered: 1, failed: 0, more: false });
		expect(standin!.deletedIds()).toEqual([`case_study-${caseId}`]);
		expect(outboxRows()).toEqual([]);

		expect(await engine.health()).toEqual({
			engine: 'meilisearch',
			status: 'ok',
			pending: 0,
			lagSeconds: 0
		});
	});

	it('sends several changes of one record once, and keeps a change written during delivery', async () => {
		const engine = await engineAtStandin();
		const organisationId = newOrganisation();
		const ref = `organisation:${organisationId}`;
		const now = new Date();
		db.insert(table.searchOutbox)
			.values([
				{ ref, nextAttemptAt: now },
				{ ref, nextAttemptAt: now }
			])
			.run();
		expect(outboxRows()).toHaveLength(3);
		let written = 0;
		standin!.onWrite = () => {
			if (written++ === 0) db.insert(table.searchOutbox).values({ ref, nextAttemptAt: now }).run();
		};

		expect(await outbox.deliverDueChanges(db, engine, now)).toEqual({
			delivered: 1,
			failed: 0,
			more: false
		});
		expect(standin!.addedIds()).toEqual([encodeRef(ref)]);
		const left = outboxRows();
		expect(left).toHaveLength(1);
		expect(left[0]).toMatchObject({ ref, attempts: 0 });
	});

	it('sends the others when Meilisearch refuses one document, and keeps only that one waiting', async () => {
		const engine = await engineAtStandin();
		const ids = ['One City', 'Two City', 'Three City'].map((name) => newOrganisation(name));
		const refused = encodeRef(`organisation:${ids[1]}`);
		standin!.refusedDocuments.add(refused);
		expect(await outbox.deliverDueChanges(db, engine)).toEqual({
			delivered: 2,
			failed: 1,
			more: false
		});
		expect([...(standin!.documents('outbox-test')?.keys() ?? [])].sort()).toEqual(
			[ids[0], ids[2]].map((id) => encodeRef(`organisation:${id}`)).sort()
		);
		const [waiting] = outboxRows();
		expect(outboxRows()).toHaveLength(1);
		expect(waiting).toMatchObject({ ref: `organisation:${ids[1]}`, attempts: 1 });
		expect(waiting.lastError).toContain('invalid_document_fields');
	});

	it('takes a limited batch per round and says when more is due', async () => {
		const engine = await engineAtStandin();
		for (const name of ['One City', 'Two City', 'Three City']) newOrganisation(name);
		const round = await outbox.deliverDueChanges(db, engine, new Date(), { batch: 2 });
		expect(round).toEqual({ delivered: 2, failed: 0, more: true });
		expect(outboxRows()).toHaveLength(1);
	});

	it('removes the documents of records that have no mirror row any more', async () => {
		const engine = await engineAtStandin();
		const now = new Date();
		db.insert(table.searchOutbox).values({ ref: 'case_study:gone', nextAttemptAt: now }).run();
		expect(await outbox.deliverDueChanges(db, engine, now)).toMatchObject({ delivered: 1 });
		expect(standin!.deletedIds()).toEqual(['case_study-gone']);
		expect(standin!.addedIds()).toEqual([]);
	});

	it('runs in the background until stopped', async () => {
		const engine = await engineAtStandin();
		const stop = outbox.startSearchOutboxWorker(db, engine, { intervalMs: 20 });
		try {
			const organisationId = newOrganisation();
			const deadline = Date.now() + 5000;
			while (outbox.outboxLag(db).pending > 0 && Date.now() < deadline) {
				await new Promise((resolve) => setTimeout(resolve, 20));
			}
			expect(outbox.outboxLag(db).pending).toBe(0);
			expect(standin!.addedIds()).toContain(encodeRef(`organisation:${organisationId}`));
		} finally {
			stop();
		}
	});
});

describe('outboxLag', () => {
	it('counts undelivered changes and the age of the oldest', () => {
		const now = new Date('2026-01-01T12:00:00Z');
		expect(outbox.outboxLag(db, now)).toEqual({ pending: 0, lagSeconds: 0 });
		db.insert(table.searchOutbox)
			.values([
				{ ref: 'organisation:a', nextAttemptAt: now, createdAt: new Date(now.getTime() - 90_500) },
				{ ref: 'organisation:b', nextAttemptAt: now, createdAt: new Date(now.getTime() - 5_000) }
			])
			.run();
		expect(outbox.outboxLag(db, now)).toEqual({ pending: 2, lagSeconds: 90 });
		db.delete(table.searchOutbox).where(eq(table.searchOutbox.ref, 'organisation:a')).run();
		expect(outbox.outboxLag(db, now)).toEqual({ pending: 1, lagSeconds: 5 });
	});

	it('grows the retry delay exponentially with jitter, capped at ten minutes', () => {
		expect(outbox.retryDelayMs(1, () => 0)).toBe(1000);
		expect(outbox.retryDelayMs(1, () => 1)).toBe(2000);
		expect(outbox.retryDelayMs(3, () => 0.5)).toBe(6000);
		expect(outbox.retryDelayMs(50, () => 1)).toBe(minutes(10));
		expect(outbox.retryDelayMs(50, () => 0)).toBe(minutes(5));
	});
});

function searchDocument(n: number): SearchDocument {
	return {
		ref: `organisation:org${n}`,
		type: 'organisation',
		recordId: `org${n}`,
		title: `Organisation ${n}`,
		summary: '',
		keywords: '',
		body: '',
		path: `/organisations/org${n}`,
		language: 'en',
		visibility: 'public',
		facets: { country: ['KE'] },
		meta: {},
		sortDate: new Date(0)
	};
}

describe('Meilisearch engine writes (against the stand-in)', () => {
	it('applies the settings once: a second start changes nothing', async () => {
		const engine = await engineAtStandin();
		await engine.applySettings();
		expect(standin!.settings('outbox-test')).toMatchObject(indexSettings);
		const patches = () => standin!.received.filter((r) => r.method === 'PATCH').length;
		expect(patches()).toBe(1);
		await engine.applySettings();
		expect(patches()).toBe(1);
		expect(standin!.received.filter((r) => r.path === '/indexes')).toHaveLength(1);
	});

	it('indexes in batches of 1000, removes, and clears; removing from a missing index is fine', async () => {
		const engine = await engineAtStandin();
		await engine.remove(['organisation:none']);
		await engine.index(Array.from({ length: 2001 }, (_, n) => searchDocument(n)));
		expect(standin!.received.filter((r) => r.method === 'POST')).toHaveLength(3 + 1);
		expect(await engine.documentCount()).toBe(2001);
		await engine.remove(['organisation:org0', 'organisation:org1']);
		expect(standin!.documents('outbox-test')?.has('organisation-org0')).toBe(false);
		expect(await engine.documentCount()).toBe(1999);
		await engine.clear();
		expect(await engine.documentCount()).toBe(0);
	});

	it('at start, fills an empty Meilisearch from the mirror through the outbox', async () => {
		sync.setOutboxEnabled(false);
		const ids = [newOrganisation('One City'), newOrganisation('Two City')];
		expect(outboxRows()).toEqual([]);
		const engine = await engineAtStandin();
		const stop = startMeilisearchSync(db, engine, { intervalMs: 20 });
		try {
			const deadline = Date.now() + 5000;
			while ((standin!.documents('outbox-test')?.size ?? 0) < 2 && Date.now() < deadline) {
				await new Promise((resolve) => setTimeout(resolve, 20));
			}
			expect([...(standin!.documents('outbox-test')?.keys() ?? [])].sort()).toEqual(
				ids.map((id) => encodeRef(`organisation:${id}`)).sort()
			);
			expect(standin!.settings('outbox-test')).toMatchObject(indexSettings);
		} finally {
			stop();
		}
	});
});

describe('Meilisearch engine search (through the client, against the stand-in)', () => {
	it('sends one multi-search with the audience and facet queries and maps the answer', async () => {
		const engine = await engineAtStandin();
		standin!.answerMultiSearch = ({ queries }) => ({
			results: queries.map((query, i) =>
				i === 0
					? {
							indexUid: 'outbox-test',
							hits: [
								{
									ref: 'case_study:abc',
									type: 'case_study',
									recordId: 'abc',
									title: 'Bus rapid transit',
									summary: 'A <bus> line',
									path: '/cases/brt',
									meta: { country: 'NG' },
									sortDate: Date.UTC(2024, 0, 1),
									_formatted: { summary: 'A <\uE000bus\uE001> line' }
								}
							],
							query: query.q,
							processingTimeMs: 1,
							hitsPerPage: 20,
							page: 1,
							totalPages: 1,
							totalHits: 1,
							facetDistribution: { country: { NG: 1 } }
						}
					: {
							indexUid: 'outbox-test',
							hits: [],
							query: query.q,
							processingTimeMs: 1,
							limit: 0,
							offset: 0,
							estimatedTotalHits: 3,
							facetDistribution: { theme: { S: 1, E: 2 } }
						}
			)
		});
		const result = await engine.search({
			q: 'bus "rapid transit" -metro',
			filters: { theme: ['S'] },
			sort: 'relevance',
			page: 1,
			perPage: 20,
			audience: 'public'
		});
		const request = standin!.received.find((r) => r.path === '/multi-search');
		const queries = (request?.body as { queries: Record<string, unknown>[] }).queries;
		expect(queries).toHaveLength(2);
		expect(queries[0]).toMatchObject({
			indexUid: 'outbox-test',
			q: 'bus "rapid transit" -metro ',
			filter: ['visibility = "public"', ['theme = "S"']]
		});
		expect(queries[1]).toMatchObject({ facets: ['theme'], filter: ['visibility = "public"'] });
		expect(result).toMatchObject({
			total: 1,
			corrected: null,
			facets: { theme: { S: 1, E: 2 }, country: { NG: 1 }, sdg: {} },
			hits: [
				{
					type: 'case_study',
					id: 'abc',
					title: 'Bus rapid transit',
					snippet: 'A &lt;<mark>bus</mark>&gt; line',
					path: '/cases/brt'
				}
			]
		});
		expect(result.tookMs).toBeGreaterThanOrEqual(0);
	});

	it('fails the search (the API answers 503) when Meilisearch is unreachable', async () => {
		const port = await closedPort();
		const engine = meilisearchEngine({ host: `http://127.0.0.1:${port}`, index: 'down' });
		await expect(
			engine.search({
				q: 'bus',
				filters: {},
				sort: 'relevance',
				page: 1,
				perPage: 20,
				audience: 'public'
			})
		).rejects.toThrow(/has failed/);
	});
});

describe('healthReport', () => {
	it('reports the embedded engine as API.md shows it', async () => {
		expect(await healthReport(db, sqliteEngine(db))).toEqual({
			httpStatus: 200,
			report: { status: 'ok', db: 'ok', search: { engine: 'sqlite', status: 'ok' } }
		});
	});

	it('stays 200 but degraded with Meilisearch down, with the outbox lag', async () => {
		const port = await closedPort();
		const engine = meilisearchEngine({ host: `http://127.0.0.1:${port}`, index: 'down' });
		newOrganisation();
		const { httpStatus, report } = await healthReport(db, engine);
		expect(httpStatus).toBe(200);
		expect(report).toMatchObject({
			status: 'degraded',
			db: 'ok',
			search: { engine: 'meilisearch', status: 'error', pending: 1 }
		});
		expect(report.search.lagSeconds).toBeGreaterThanOrEqual(0);
	});

	it('is degraded when changes wait too long although Meilisearch answers', async () => {
		const engine = await engineAtStandin();
		expect((await healthReport(db, engine)).report.status).toBe('ok');
		db.insert(table.searchOutbox)
			.values({
				ref: 'organisation:late',
				nextAttemptAt: new Date(),
				createdAt: new Date(Date.now() - 10 * 60_000)
			})
			.run();
		const { httpStatus, report } = await healthReport(db, engine);
		expect(httpStatus).toBe(200);
		expect(report.status).toBe('degraded');
		expect(report.search).toMatchObject({ status: 'ok', pending: 1 });
		expect(report.search.lagSeconds).toBeGreaterThanOrEqual(600);
	});

	it('answers 503 only when the database fails', async () => {
		const engine = sqliteEngine(db);
		db.$client.close();
		expect(await healthReport(db, engine)).toMatchObject({
			httpStatus: 503,
			report: { status: 'degraded', db: 'error' }
		});
	});
});
