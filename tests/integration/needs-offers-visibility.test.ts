import { beforeEach, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/lib/server/auth/policy';
import type { Db } from '../../src/lib/server/db';
import * as table from '../../src/lib/server/db/schema';
import * as listings from '../../src/lib/server/needs-offers';
import { freshDb } from '../support/db';
import {
	actorOf,
	cityWithNeed,
	makeOrganisation,
	needInput,
	offerInput,
	partnerWithOffer
} from '../support/listing-fixtures';
import { makeUser, places } from '../support/org-fixtures';

const DAY = 24 * 60 * 60 * 1000;
const isoDaysAhead = (days: number) => new Date(Date.now() + days * DAY).toISOString().slice(0, 10);

let db: Db;

/** The five kinds of asker of the restricted visibility rule. */
type Askers = Record<
	'anonymous' | 'unverifiedMember' | 'verifiedMember' | 'owner' | 'moderator',
	Actor
>;

function askers(ownerActor: Actor): Askers {
	return {
		anonymous: null,
		unverifiedMember: makeOrganisation(db, { kind: 'ngo' }).actor,
		verifiedMember: makeOrganisation(db, { kind: 'ngo', verified: true }).actor,
		owner: ownerActor,
		moderator: actorOf(makeUser(db, 'moderator'))
	};
}

beforeEach(() => {
	db = freshDb();
});

describe('the restricted visibility rule', () => {
	it('hides a restricted need from anonymous visitors and unverified members everywhere', () => {
		const city = cityWithNeed(db, { need: { visibility: 'verified', title: 'Secret need' } });
		const publicNeed = listings.createNeed(
			db,
			city.actor,
			city.organisationId,
			needInput({ title: 'Public need' })
		);
		const who = askers(city.actor);
		const sees = {
			anonymous: false,
			unverifiedMember: false,
			verifiedMember: true,
			owner: true,
			moderator: true
		};
		for (const [name, actor] of Object.entries(who) as [keyof Askers, Actor][]) {
			const expected = sees[name];
			expect(listings.getNeed(db, actor, city.needId) !== null, name).toBe(expected);
			expect(listings.getNeed(db, actor, publicNeed.id), name).not.toBeNull();
			const list = listings.listNeeds(db, actor, {});
			expect(list.total, name).toBe(expected ? 2 : 1);
			expect(list.items.map((item) => item.title).includes('Secret need'), name).toBe(expected);
			const slice = listings.needsAfter(db, actor, {}, { limit: 1 });
			expect(slice.total, name).toBe(expected ? 2 : 1);
			const ofOrganisation = listings.needsOfOrganisation(db, actor, city.organisationId);
			expect(ofOrganisation.length, name).toBe(expected ? 2 : 1);
			// Filters cannot reveal it either.
			expect(listings.listNeeds(db, actor, { theme: ['S'], sdg: ['11.5'] }).total, name).toBe(
				expected ? 2 : 1
			);
		}
	});

	it('hides a restricted offer the same way, and an editor of its organisation sees it', () => {
		const partner = partnerWithOffer(db, { offer: { visibility: 'verified' } });
		const who = askers(partner.actor);
		expect(listings.getOffer(db, who.anonymous, partner.offerId)).toBeNull();
		expect(listings.getOffer(db, who.unverifiedMember, partner.offerId)).toBeNull();
		expect(listings.listOffers(db, who.unverifiedMember, {}).total).toBe(0);
		expect(listings.offersOfOrganisation(db, null, partner.organisationId)).toEqual([]);
		for (const actor of [who.verifiedMember, who.owner, who.moderator]) {
			expect(listings.getOffer(db, actor, partner.offerId)).not.toBeNull();
			expect(listings.listOffers(db, actor, {}).total).toBe(1);
		}
		const editor = makeUser(db);
		db.insert(table.membership)
			.values({ organisationId: partner.organisationId, userId: editor.id, role: 'editor' })
			.run();
		expect(listings.getOffer(db, actorOf(editor), partner.offerId)?.canEdit).toBe(true);
	});
});

describe('expiry', () => {
	it('an expired need leaves the default list but keeps its page, flagged', () => {
		const { needId, actor } = cityWithNeed(db, { need: { expiresOn: isoDaysAhead(10) } });
		const later = new Date(Date.now() + 11 * DAY);
		expect(listings.listNeeds(db, null, {}).total).toBe(1);
		expect(listings.listNeeds(db, null, {}, 1, { now: later }).total).toBe(0);
		expect(listings.needsAfter(db, null, {}, { now: later }).total).toBe(0);
		const need = listings.getNeed(db, null, needId, later)!;
		expect(need.isExpired).toBe(true);
		expect(need.isOpen).toBe(false);
		expect(listings.needsOfOrganisation(db, actor, need.organisation.id, later)[0].isExpired).toBe(
			true
		);
		// The day before its expiry day it is still open.
		expect(listings.getNeed(db, null, needId, new Date(Date.now() + 9 * DAY))!.isExpired).toBe(
			false
		);
	});

	it('an offer is open through its deadline day and expired after it', () => {
		const deadline = isoDaysAhead(5);
		const { offerId } = partnerWithOffer(db, { offer: { deadline } });
		const endOfDeadlineDay = new Date(`${deadline}T23:59:00.000Z`);
		const dayAfter = new Date(`${deadline}T00:00:00.000Z`).getTime() + DAY;
		expect(listings.getOffer(db, null, offerId, endOfDeadlineDay)!.isExpired).toBe(false);
		expect(listings.listOffers(db, null, {}, 1, { now: endOfDeadlineDay }).total).toBe(1);
		expect(listings.getOffer(db, null, offerId, new Date(dayAfter))!.isExpired).toBe(true);
		expect(listings.listOffers(db, null, {}, 1, { now: new Date(dayAfter) }).total).toBe(0);
		expect(listings.getOffer(db, null, offerId)!.deadlineOn).toBe(deadline);
	});

	it('a status filter other than open lists closed and matched needs', () => {
		const { needId, actor } = cityWithNeed(db);
		listings.setNeedStatus(db, actor, needId, 'matched');
		expect(listings.listNeeds(db, null, {}).total).toBe(0);
		expect(listings.listNeeds(db, null, { status: ['matched'] }).total).toBe(1);
		expect(listings.listNeeds(db, null, { status: ['open', 'matched'] }).total).toBe(1);
	});
});

describe('filters and pages', () => {
	it('filters needs by tags, place (region or sub-region, country, income) and language', () => {
		const nairobi = cityWithNeed(db, {
			need: {
				themes: ['E'],
				sdgTargets: ['11.6'],
				cooperationTypes: ['financial'],
				languages: ['sw']
			}
		});
		const paris = cityWithNeed(db, { country: 'FR', city: places.paris });
		const total = (filters: listings.ListingFilters) => listings.listNeeds(db, null, filters).total;
		const ids = (filters: listings.ListingFilters) =>
			listings.listNeeds(db, null, filters).items.map((item) => item.id);
		expect(total({})).toBe(2);
		expect(ids({ theme: ['E'] })).toEqual([nairobi.needId]);
		expect(ids({ theme: ['E', 'S'] }).sort()).toEqual([nairobi.needId, paris.needId].sort());
		expect(ids({ sdg: ['11.6'] })).toEqual([nairobi.needId]);
		expect(ids({ cooperation: ['financial'] })).toEqual([nairobi.needId]);
		expect(ids({ region: ['002'] })).toEqual([nairobi.needId]);
		expect(ids({ region: ['202'] })).toEqual([nairobi.needId]);
		expect(ids({ region: ['150'] })).toEqual([paris.needId]);
		expect(ids({ country: ['FR'] })).toEqual([paris.needId]);
		expect(ids({ income: ['LM'] })).toEqual([nairobi.needId]);
		expect(ids({ language: ['sw'] })).toEqual([nairobi.needId]);
		expect(ids({ theme: ['E'], country: ['FR'] })).toEqual([]);
	});

	it('places offers where they serve: global, by region, sub-region or country', () => {
		const global = partnerWithOffer(db, { offer: { isGlobal: true, eligibleIncomeGroups: [] } });
		const africa = partnerWithOffer(db, { offer: { regions: ['002'] } });
		const eastAfrica = partnerWithOffer(db, {
			offer: { regions: ['202'], eligibleIncomeGroups: ['H'] }
		});
		const kenya = partnerWithOffer(db, {
			offer: { regions: [], countries: ['KE'], format: 'grant' }
		});
		const europe = partnerWithOffer(db, { offer: { regions: ['150'] } });
		const ids = (filters: listings.ListingFilters) =>
			listings
				.listOffers(db, null, filters)
				.items.map((item) => item.id)
				.sort();
		const sorted = (...values: string[]) => values.sort();
		expect(ids({ region: ['002'] })).toEqual(
			sorted(global.offerId, africa.offerId, eastAfrica.offerId, kenya.offerId)
		);
		expect(ids({ region: ['202'] })).toEqual(
			sorted(global.offerId, africa.offerId, eastAfrica.offerId, kenya.offerId)
		);
		expect(ids({ country: ['KE'] })).toEqual(
			sorted(global.offerId, africa.offerId, eastAfrica.offerId, kenya.offerId)
		);
		expect(ids({ country: ['FR'] })).toEqual(sorted(global.offerId, europe.offerId));
		expect(ids({ income: ['H'] })).toEqual(sorted(global.offerId, eastAfrica.offerId));
		expect(ids({ offerFormat: ['grant'] })).toEqual([kenya.offerId]);
	});

	it('pages by number for pages and by cursor for the API, newest first, without gaps', () => {
		const city = makeOrganisation(db);
		const created: string[] = [];
		for (let i = 0; i < 7; i += 1) {
			const at = new Date(Date.now() - (7 - i) * 1000);
			created.push(listings.createNeed(db, city.actor, city.organisationId, needInput(), at).id);
		}
		const newestFirst = [...created].reverse();
		const first = listings.listNeeds(db, null, {}, 1, { pageSize: 3 });
		expect(first).toMatchObject({ total: 7, page: 1, pageCount: 3 });
		expect(first.items.map((item) => item.id)).toEqual(newestFirst.slice(0, 3));
		expect(listings.listNeeds(db, null, {}, 3, { pageSize: 3 }).items).toHaveLength(1);
		expect(listings.listNeeds(db, null, {}, -4, { pageSize: 3 }).page).toBe(1);

		const walked: string[] = [];
		let cursor: string | null = null;
		do {
			const slice = listings.needsAfter(db, null, {}, { cursor, limit: 3 });
			expect(slice.total).toBe(7);
			walked.push(...slice.items.map((item) => item.id));
			cursor = slice.nextCursor;
		} while (cursor);
		expect(walked).toEqual(newestFirst);
	});
});

describe('parseListingFilters', () => {
	const params = (query: string) => new URLSearchParams(query);

	it('reads repeated values, ignores empty ones and defaults nothing', () => {
		const { filters, problems } = listings.parseListingFilters(
			params('theme=S&theme=E&theme=S&sdg=11.2&region=&country=ke&status=matched'),
			'strict'
		);
		expect(problems).toEqual([]);
		expect(filters).toEqual({
			theme: ['S', 'E'],
			sdg: ['11.2'],
			country: ['KE'],
			status: ['matched']
		});
	});

	it('strict gives no filters on a bad value; lenient keeps the good ones and says which were dropped', () => {
		const query = params('theme=S&theme=Q&status=someday&offerFormat=grant');
		const strict = listings.parseListingFilters(query, 'strict');
		expect(strict.filters).toBeNull();
		expect(strict.problems.map((problem) => problem.field)).toEqual(['theme', 'status']);
		const lenient = listings.parseListingFilters(query, 'lenient');
		expect(lenient.filters).toEqual({ theme: ['S'] });
		expect(lenient.problems.map((problem) => problem.value)).toEqual(['Q', 'someday']);
		// Offers take a format, and only offer statuses.
		const offers = listings.parseListingFilters(
			params('offerFormat=grant&status=matched'),
			'lenient',
			'offer'
		);
		expect(offers.filters).toEqual({ offerFormat: ['grant'] });
	});

	it('refuses more than the allowed number of values for one filter', () => {
		const many = Array.from(
			{ length: 25 },
			(_, i) => `country=${String.fromCharCode(65 + i)}A`
		).join('&');
		const strict = listings.parseListingFilters(params(many), 'strict');
		expect(strict.filters).toBeNull();
		expect(strict.problems).toHaveLength(5);
	});
});

describe('offers', () => {
	it('a global offer drops its region and country lists', () => {
		const partner = makeOrganisation(db, { kind: 'ngo' });
		const { id } = listings.createOffer(
			db,
			partner.actor,
			partner.organisationId,
			offerInput({ isGlobal: true, regions: ['002'], countries: ['KE'] })
		);
		const offer = listings.getOffer(db, null, id)!;
		expect(offer).toMatchObject({ isGlobal: true, regions: [], countries: [] });
	});
});
