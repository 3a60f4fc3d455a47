import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/lib/server/auth/policy';
import type { Db } from '../../src/lib/server/db';
import * as table from '../../src/lib/server/db/schema';
import * as caseStudies from '../../src/lib/server/case-studies';
import * as demo from '../../src/lib/server/demo';
import * as organisations from '../../src/lib/server/organisations';
import * as documents from '../../src/lib/server/search/documents';
import { sqliteEngine } from '../../src/lib/server/search/sqlite';
import * as sync from '../../src/lib/server/search/sync';
import type { SearchRequest } from '../../src/lib/server/search/types';
import { caseInput } from '../support/case-fixtures';
import { freshDb as openFreshDb } from '../support/db';
import { ensurePlaces, makeUser, places, type TestUser } from '../support/org-fixtures';

const opened: Db[] = [];
function freshDb(): Db {
	const db = openFreshDb();
	opened.push(db);
	return db;
}
afterEach(() => {
	sync.setOutboxEnabled(null);
	for (const db of opened.splice(0)) db.$client.close();
});

let db: Db;
let owner: TestUser;
let moderator: Actor;
let organisationId: string;

const actor = (user: TestUser): Actor => ({ id: user.id, siteRole: user.siteRole });

function organisationInput(name: string) {
	return organisations.organisationInput.parse({
		name,
		kind: 'city',
		country: 'KE',
		city: String(places.nairobi),
		description: 'The government of the capital.',
		languages: ['en']
	});
}

function draft(overrides: Partial<caseStudies.CaseStudyInput> = {}) {
	return caseStudies.createDraft(db, actor(owner), {
		organisationId,
		input: caseInput(overrides)
	});
}

function published(overrides: Partial<caseStudies.CaseStudyInput> = {}) {
	const created = draft(overrides);
	caseStudies.publish(db, moderator, created.id);
	return created;
}

const mirrorRow = (type: string, recordId: string) =>
	db
		.select()
		.from(table.searchDocument)
		.where(eq(table.searchDocument.ref, `${type}:${recordId}`))
		.get();

const outboxRefs = () =>
	db
		.select({ ref: table.searchOutbox.ref })
		.from(table.searchOutbox)
		.all()
		.map((row) => row.ref);

function search(q: string, extra: Partial<SearchRequest> = {}) {
	return sqliteEngine(db).search({
		q,
		filters: {},
		sort: 'relevance',
		page: 1,
		perPage: 20,
		audience: 'public',
		...extra
	});
}

beforeEach(() => {
	db = freshDb();
	ensurePlaces(db);
	owner = makeUser(db, 'member', 'owner');
	moderator = actor(makeUser(db, 'moderator', 'moderator'));
	organisationId = organisations.createOrganisation(
		db,
		owner.id,
		organisationInput('Nairobi City County')
	).id;
});

describe('case studies in the search mirror', () => {
	it('indexes a case when it is published, with its facets, keywords and path', async () => {
		const { id, slug } = draft({
			title: 'Solar street lights for night markets',
			themes: ['E'],
			sdgTargets: ['11.6'],
			domains: ['energy'],
			technologies: ['iot'],
			startYear: 2021,
			endYear: 2023
		});
		expect(mirrorRow('case_study', id)).toBeUndefined();
		caseStudies.publish(db, moderator, id);

		const row = mirrorRow('case_study', id)!;
		expect(row).toMatchObject({ type: 'case_study', path: `/cases/${slug}`, visibility: 'public' });
		expect(row.facets).toEqual({
			region: ['002'],
			country: ['KE'],
			income: ['LM'],
			year: ['2021', '2022', '2023'],
			theme: ['E'],
			sdg: ['11.6'],
			domain: ['energy'],
			technology: ['iot']
		});
		expect(row.meta).toEqual({
			country: 'KE',
			city: 'Nairobi',
			organisation: 'Nairobi City County'
		});
		// Labels in English and French, the official target text, the place and the owner.
		expect(row.keywords).toContain('Energy');
		expect(row.keywords).toContain('Énergie');
		expect(row.keywords).toContain('Kenya');
		expect(row.keywords).toContain('Nairobi City County');
		expect(row.keywords).toMatch(/air quality/i);
		// Markdown is gone from the body; result indicators and stakeholders are in it.
		expect(row.body).toContain('Night markets were dark and unsafe.');
		expect(row.body).not.toMatch(/[*<>]/);
		expect(row.body).toContain('Lit market lanes');

		const facetRows = db
			.select({ name: table.searchFacet.name, value: table.searchFacet.value })
			.from(table.searchFacet)
			.where(eq(table.searchFacet.documentId, row.id))
			.all();
		expect(facetRows).toContainEqual({ name: 'year', value: '2022' });
		expect(facetRows).toContainEqual({ name: 'type', value: 'case_study' });
		expect(facetRows).toHaveLength(11);

		const result = await search('solar lights');
		expect(result.hits.map((hit) => hit.id)).toEqual([id]);
	});

	it('never indexes drafts or submitted cases', async () => {
		const { id } = draft({ title: 'Secret unpublished rainwater harvesting pilot' });
		caseStudies.submit(db, actor(owner), id);
		expect(mirrorRow('case_study', id)).toBeUndefined();
		caseStudies.withdraw(db, actor(owner), id);
		expect(mirrorRow('case_study', id)).toBeUndefined();
		expect((await search('rainwater')).total).toBe(0);
	});

	it('removes the document when the case is archived', async () => {
		const { id } = published({ title: 'Floating classrooms on the lagoon' });
		expect((await search('lagoon')).total).toBe(1);
		caseStudies.archive(db, actor(owner), id);
		expect(mirrorRow('case_study', id)).toBeUndefined();
		const result = await search('lagoon');
		expect(result.total).toBe(0);
		expect(result.facets.type).toEqual({});
	});

	it('updates the document when a published case is edited: the new title is found, the old one not', async () => {
		const { id } = published({ title: 'Bicycle lanes along the riverside' });
		caseStudies.updateCaseStudy(
			db,
			actor(owner),
			id,
			caseInput({ title: 'Cycle highways to the harbour', themes: ['S'], domains: ['mobility'] })
		);
		expect((await search('riverside')).total).toBe(0);
		const result = await search('harbour');
		expect(result.hits.map((hit) => hit.id)).toEqual([id]);
		expect(mirrorRow('case_study', id)!.facets.theme).toEqual(['S']);
		expect((await search('', { filters: { domain: ['energy'] } })).total).toBe(0);
		expect((await search('', { filters: { domain: ['mobility'] } })).total).toBe(1);
	});

	it('rebuilds its cases when an organisation is renamed', async () => {
		const { id } = published({ title: 'Water kiosks in informal settlements' });
		organisations.updateOrganisation(
			db,
			owner.id,
			organisationId,
			organisationInput('Kisumu Water Company')
		);
		expect(mirrorRow('case_study', id)!.meta.organisation).toBe('Kisumu Water Company');
		expect(mirrorRow('organisation', organisationId)!.title).toBe('Kisumu Water Company');
		const hits = (await search('Kisumu')).hits.map((hit) => `${hit.type}:${hit.id}`);
		expect(hits).toHaveLength(2);
		expect(hits).toContain(`case_study:${id}`);
		expect(hits).toContain(`organisation:${organisationId}`);
		expect((await search('county')).total).toBe(0);
	});

	it('adds the new year to ongoing cases when the year turns, so its year filter finds them', async () => {
		const thisYear = new Date().getUTCFullYear();
		const nextYear = String(thisYear + 1);
		const { id: ongoing } = published({
			title: 'Ferries across the lagoon, still running',
			startYear: thisYear - 2,
			endYear: null
		});
		published({
			title: 'Ferries across the lagoon, ended',
			startYear: thisYear - 2,
			endYear: thisYear - 1
		});
		expect((await search('', { filters: { year: [nextYear] } })).total).toBe(0);

		const newYearsDay = new Date(Date.UTC(thisYear + 1, 0, 1, 0, 5));
		expect(sync.refreshOngoingYears(db, newYearsDay)).toBe(1);
		const found = await search('', { filters: { year: [nextYear] } });
		expect(found.hits.map((hit) => hit.id)).toEqual([ongoing]);
		expect(mirrorRow('case_study', ongoing)!.facets.year).toContain(nextYear);
		// Done once: the next check that year finds nothing to refresh.
		expect(sync.refreshOngoingYears(db, newYearsDay)).toBe(0);
	});

	it('answers a page far past the results, or a negative one, without an error', async () => {
		published({ title: 'Paging through lagoon cases' });
		const far = await search('lagoon', { page: 1e12, perPage: 100 });
		expect(far).toMatchObject({ total: 1, hits: [] });
		const negative = await search('lagoon', { page: -5, perPage: -1 });
		expect(negative.total).toBe(1);
		expect(negative.hits).toHaveLength(1);
	});

	it('indexes every organisation as it is created', () => {
		const row = mirrorRow('organisation', organisationId)!;
		expect(row).toMatchObject({ title: 'Nairobi City County', visibility: 'public' });
		expect(row.facets).toEqual({ region: ['002'], country: ['KE'], income: ['LM'] });
		expect(row.keywords).toContain('Kenya');
	});
});

describe('the outbox for Meilisearch', () => {
	it('stays empty while the outbox is off', () => {
		sync.setOutboxEnabled(false);
		published();
		expect(outboxRefs()).toEqual([]);
	});

	it('gets one row per changed document in the same transaction when on', () => {
		sync.setOutboxEnabled(true);
		const { id } = draft();
		expect(outboxRefs()).toEqual([]);
		caseStudies.publish(db, moderator, id);
		expect(outboxRefs()).toEqual([`case_study:${id}`]);
		caseStudies.archive(db, actor(owner), id);
		expect(outboxRefs()).toEqual([`case_study:${id}`, `case_study:${id}`]);
		expect(mirrorRow('case_study', id)).toBeUndefined();
	});

	it('leaves neither record, document nor outbox row when the write fails', () => {
		sync.setOutboxEnabled(true);
		const before = outboxRefs().length;
		// A city in another country is refused inside the transaction, after the checks start.
		expect(() =>
			organisations.createOrganisation(db, owner.id, {
				...organisationInput('Paris Lagos Partnership'),
				city: places.paris
			})
		).toThrow();
		expect(outboxRefs()).toHaveLength(before);

		// A failure after the refresh rolls everything back too.
		expect(() =>
			db.transaction((tx) => {
				tx.update(table.organisation)
					.set({ name: 'Renamed in a failed write' })
					.where(eq(table.organisation.id, organisationId))
					.run();
				sync.refreshRecords(tx, [{ type: 'organisation', recordId: organisationId }]);
				throw new Error('fail after the refresh');
			})
		).toThrow('fail after the refresh');
		expect(mirrorRow('organisation', organisationId)!.title).toBe('Nairobi City County');
		expect(outboxRefs()).toHaveLength(before);
	});
});

describe('rebuilds', () => {
	function mirrorState() {
		const rows = db
			.select({
				ref: table.searchDocument.ref,
				title: table.searchDocument.title,
				summary: table.searchDocument.summary,
				keywords: table.searchDocument.keywords,
				body: table.searchDocument.body,
				path: table.searchDocument.path,
				visibility: table.searchDocument.visibility,
				facets: table.searchDocument.facets,
				meta: table.searchDocument.meta,
				sortDate: table.searchDocument.sortDate
			})
			.from(table.searchDocument)
			.orderBy(table.searchDocument.ref)
			.all();
		const facets = db
			.select({
				ref: table.searchDocument.ref,
				name: table.searchFacet.name,
				value: table.searchFacet.value
			})
			.from(table.searchFacet)
			.innerJoin(table.searchDocument, eq(table.searchDocument.id, table.searchFacet.documentId))
			.orderBy(table.searchDocument.ref, table.searchFacet.name, table.searchFacet.value)
			.all();
		return { rows, facets };
	}

	it('rebuildAll gives the same mirror as the incremental writes on the demo content', async () => {
		// Demo seeding runs only on a database without content of its own.
		db = freshDb();
		await demo.seedDemoContent(db, { origin: 'http://localhost:3000', log: () => {} });
		const incremental = mirrorState();
		expect(incremental.rows.length).toBeGreaterThan(100);
		expect(incremental.rows.length).toBe(documents.allRefs(db).length);
		expect(incremental.rows.filter((row) => row.ref.startsWith('case_study:')).length).toBe(
			db
				.select({ id: table.caseStudy.id })
				.from(table.caseStudy)
				.where(eq(table.caseStudy.workflowState, 'published'))
				.all().length
		);

		const progress: [number, number][] = [];
		const count = sync.rebuildAll(db, (done, total) => progress.push([done, total]));
		expect(count).toBe(incremental.rows.length);
		expect(progress.at(-1)).toEqual([count, count]);
		expect(mirrorState()).toEqual(incremental);

		const fts = db.$client
			.prepare("INSERT INTO search_fts(search_fts, rank) VALUES ('integrity-check', 1)")
			.run();
		expect(fts.changes).toBeGreaterThanOrEqual(0);
	});

	it('rebuildAll drops documents of records that are gone and adds missing ones', () => {
		const { id } = published({ title: 'Rebuilt case' });
		sync.putDocuments(db, [
			{ ...documents.documentFor(db, 'case_study', id)!, ref: 'case_study:gone', recordId: 'gone' }
		]);
		db.delete(table.searchDocument)
			.where(eq(table.searchDocument.ref, `case_study:${id}`))
			.run();
		expect(sync.rebuildAll(db)).toBe(2);
		expect(mirrorRow('case_study', 'gone')).toBeUndefined();
		expect(mirrorRow('case_study', id)).toBeDefined();
	});

	it('ensureIndexed builds an empty mirror once and leaves a full one alone', async () => {
		published({ title: 'Indexed at start' });
		db.delete(table.searchDocument).run();
		expect(sync.documentCount(db)).toBe(0);
		expect(sync.ensureIndexed(db)).toBe(2);
		expect(sync.documentCount(db)).toBe(2);
		expect(sync.ensureIndexed(db)).toBe(0);
		expect((await search('indexed')).total).toBe(1);
	});

	it('ensureIndexed does nothing on an empty database', () => {
		const empty = freshDb();
		expect(sync.ensureIndexed(empty)).toBe(0);
	});
});
