import { eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../src/lib/server/db';
import * as table from '../../src/lib/server/db/schema';
import * as listings from '../../src/lib/server/needs-offers';
import * as organisations from '../../src/lib/server/organisations';
import { allRefs } from '../../src/lib/server/search/documents';
import { sqliteEngine } from '../../src/lib/server/search/sqlite';
import * as searchSync from '../../src/lib/server/search/sync';
import type { Audience } from '../../src/lib/server/search/types';
import { freshDb } from '../support/db';
import { cityWithNeed, needInput, partnerWithOffer } from '../support/listing-fixtures';

const DAY = 24 * 60 * 60 * 1000;
const isoDaysAhead = (days: number) => new Date(Date.now() + days * DAY).toISOString().slice(0, 10);

let db: Db;

beforeEach(() => {
	db = freshDb();
});

function documentOf(ref: string) {
	return db.select().from(table.searchDocument).where(eq(table.searchDocument.ref, ref)).get();
}

async function find(q: string, audience: Audience, type: 'need' | 'offer' = 'need') {
	const result = await sqliteEngine(db).search({
		q,
		filters: { type: [type] },
		sort: 'relevance',
		page: 1,
		perPage: 20,
		audience
	});
	return result;
}

describe('search documents of needs', () => {
	it('a posted need is found, with its facets, keywords and path', async () => {
		const { needId } = cityWithNeed(db, {
			need: { title: 'Cholera early warning in markets', languages: ['fr'] }
		});
		const document = documentOf(`need:${needId}`)!;
		expect(document).toMatchObject({
			type: 'need',
			path: `/needs/${needId}`,
			visibility: 'public',
			language: 'fr'
		});
		expect(document.facets).toMatchObject({
			theme: ['S'],
			sdg: ['11.5', '11.b'],
			cooperation: ['technological', 'capacity_building'],
			region: ['002'],
			country: ['KE'],
			income: ['LM'],
			year: [String(new Date().getUTCFullYear())]
		});
		expect(document.keywords).toContain('Kenya');
		expect(document.summary).toContain('every rainy season');
		expect(document.summary).not.toContain('**');
		const hits = await find('cholera', 'public');
		expect(hits.hits.map((hit) => hit.id)).toEqual([needId]);
		// Cooperation labels in both languages find it too.
		expect((await find('renforcement des capacités', 'public')).total).toBe(1);
	});

	it('a restricted need carries visibility "verified" and only that audience finds it', async () => {
		const { needId } = cityWithNeed(db, {
			need: { title: 'Restricted landslide mapping', visibility: 'verified' }
		});
		expect(documentOf(`need:${needId}`)!.visibility).toBe('verified');
		expect((await find('landslide', 'public')).total).toBe(0);
		expect((await find('landslide', 'public')).facets.type.need ?? 0).toBe(0);
		expect((await find('landslide', 'verified')).total).toBe(1);
	});

	it('closing removes the document, reopening brings it back, an edit refreshes it', () => {
		const { needId, actor } = cityWithNeed(db);
		const ref = `need:${needId}`;
		listings.setNeedStatus(db, actor, needId, 'closed');
		expect(documentOf(ref)).toBeUndefined();
		listings.setNeedStatus(db, actor, needId, 'open');
		expect(documentOf(ref)).toBeDefined();
		listings.setNeedStatus(db, actor, needId, 'matched');
		expect(documentOf(ref)).toBeUndefined();
		listings.setNeedStatus(db, actor, needId, 'open');
		listings.updateNeed(
			db,
			actor,
			needId,
			needInput({ title: 'Heat islands', visibility: 'verified' })
		);
		expect(documentOf(ref)).toMatchObject({ title: 'Heat islands', visibility: 'verified' });
	});

	it('the sweep removes documents of needs and offers that expired since they were written', () => {
		const need = cityWithNeed(db, { need: { expiresOn: isoDaysAhead(3) } });
		const lasting = cityWithNeed(db, { need: { expiresOn: isoDaysAhead(300) } });
		const offer = partnerWithOffer(db, { offer: { deadline: isoDaysAhead(3) } });
		const openEnded = partnerWithOffer(db);
		expect(searchSync.removeExpiredListings(db)).toBe(0);
		const later = new Date(Date.now() + 5 * DAY);
		expect(searchSync.removeExpiredListings(db, later)).toBe(2);
		expect(documentOf(`need:${need.needId}`)).toBeUndefined();
		expect(documentOf(`offer:${offer.offerId}`)).toBeUndefined();
		expect(documentOf(`need:${lasting.needId}`)).toBeDefined();
		expect(documentOf(`offer:${openEnded.offerId}`)).toBeDefined();
		expect(searchSync.removeExpiredListings(db, later)).toBe(0);
		// A rebuild at that time does not bring them back; open ones are in every rebuild.
		const refs = allRefs(db, later).map((ref) => `${ref.type}:${ref.recordId}`);
		expect(refs).toContain(`need:${lasting.needId}`);
		expect(refs).toContain(`offer:${openEnded.offerId}`);
		expect(refs).not.toContain(`need:${need.needId}`);
	});

	it('renaming the organisation refreshes its listings’ documents', () => {
		const city = cityWithNeed(db);
		organisations.updateOrganisation(db, city.owner.id, city.organisationId, {
			name: 'Nairobi City County Resilience Office',
			kind: 'city',
			country: 'KE',
			city: 184745,
			website: null,
			description: '',
			languages: ['en']
		});
		expect(documentOf(`need:${city.needId}`)!.meta).toMatchObject({
			organisation: 'Nairobi City County Resilience Office'
		});
	});
});

describe('search documents of offers', () => {
	it('a regional offer is placed in the regions it serves, a sub-region counting for its region', () => {
		const { offerId } = partnerWithOffer(db, {
			offer: { regions: ['202', '150'], countries: ['KE'], eligibleIncomeGroups: [] }
		});
		const document = documentOf(`offer:${offerId}`)!;
		expect(document.path).toBe(`/offers/${offerId}`);
		expect(document.facets.region?.sort()).toEqual(['002', '150']);
		expect(document.facets.country).toEqual(['KE']);
		expect(document.facets.income).toEqual(['L', 'LM', 'UM', 'H']);
		expect(document.meta).toMatchObject({ format: 'training' });
	});

	it('a global offer is placed in every region', () => {
		const { offerId } = partnerWithOffer(db, { offer: { isGlobal: true } });
		expect(documentOf(`offer:${offerId}`)!.facets.region?.sort()).toEqual(
			['002', '009', '010', '019', '142', '150'].sort()
		);
	});

	it('a closed or restricted offer follows the same rules as needs', async () => {
		const { offerId, actor } = partnerWithOffer(db, {
			offer: { title: 'Restricted twinning programme', visibility: 'verified' }
		});
		expect((await find('twinning programme', 'public', 'offer')).total).toBe(0);
		expect((await find('twinning programme', 'verified', 'offer')).total).toBe(1);
		listings.setOfferStatus(db, actor, offerId, 'closed');
		expect(documentOf(`offer:${offerId}`)).toBeUndefined();
	});
});
