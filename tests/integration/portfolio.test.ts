import { beforeEach, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/lib/server/auth/policy';
import type { Db } from '../../src/lib/server/db';
import * as table from '../../src/lib/server/db/schema';
import * as matching from '../../src/lib/server/matching';
import * as listings from '../../src/lib/server/needs-offers';
import * as partnerships from '../../src/lib/server/partnerships';
import * as portfolios from '../../src/lib/server/portfolio';
import type { PartnershipStatus } from '../../src/lib/vocab/matchmaking';
import { freshDb } from '../support/db';
import {
	actorOf,
	makeOrganisation,
	needInput,
	offerInput,
	verifyOrganisation
} from '../support/listing-fixtures';
import { makeUser } from '../support/org-fixtures';
import {
	backdateActivity,
	introductionMessage,
	sampleResult
} from '../support/partnership-fixtures';

type Side = ReturnType<typeof makeOrganisation>;

const signedOut = expect.objectContaining({ status: 401 });
const forbidden = expect.objectContaining({ status: 403 });
const DAY = 86_400_000;
const isoDay = (date: Date) => date.toISOString().slice(0, 10);

let db: Db;
let city: Side;
let partner: Side;

beforeEach(() => {
	db = freshDb();
	city = makeOrganisation(db, { kind: 'city', name: 'City of Portfolio Springs' });
	partner = makeOrganisation(db, { kind: 'ngo', name: 'Portfolio Partners' });
});

/** A need posted by `side` (the city unless told), an offer by `side` (the partner unless told). */
const postNeed = (values: Record<string, unknown> = {}, side: Side = city) =>
	listings.createNeed(db, side.actor, side.organisationId, needInput(values)).id;
const postOffer = (values: Record<string, unknown> = {}, side: Side = partner) =>
	listings.createOffer(db, side.actor, side.organisationId, offerInput(values)).id;

const steps: Record<PartnershipStatus, PartnershipStatus[]> = {
	proposed: [],
	agreed: ['agreed'],
	active: ['agreed', 'active'],
	completed: ['agreed', 'active', 'completed'],
	discontinued: ['discontinued']
};

/** A partnership between two existing organisations (from a new need and offer of theirs). */
function partnershipBetween(
	cityOrg: Side,
	partnerOrg: Side,
	status: PartnershipStatus,
	title: string
): string {
	const needId = postNeed({ title: `${title} need` }, cityOrg);
	const offerId = postOffer({ title: `${title} offer` }, partnerOrg);
	const { id: introductionId } = partnerships.requestIntroduction(db, partnerOrg.actor, {
		fromOrganisationId: partnerOrg.organisationId,
		needId,
		offerId,
		message: introductionMessage
	});
	const { partnershipId } = partnerships.respondToIntroduction(db, cityOrg.actor, introductionId, {
		decision: 'accept',
		note: 'Happy to work together.'
	});
	for (const step of steps[status]) {
		if (step === 'completed') {
			partnerships.saveResults(db, cityOrg.actor, partnershipId!, [sampleResult]);
		}
		partnerships.changeStatus(db, cityOrg.actor, partnershipId!, {
			to: step,
			reason: step === 'discontinued' ? 'The budget line was cut this year.' : ''
		});
	}
	return partnershipId!;
}

describe('who may see a portfolio', () => {
	it('answers its members and moderators; 401 signed out, 403 for anyone else', () => {
		expect(portfolios.portfolio(db, city.actor, city.organisationId)).not.toBeNull();
		const moderator = actorOf(makeUser(db, 'moderator', 'moderator'));
		expect(portfolios.portfolio(db, moderator, city.organisationId)?.isMember).toBe(false);
		expect(() => portfolios.portfolio(db, null, city.organisationId)).toThrow(signedOut);
		// A member of another organisation (the partner) is not a member of this one.
		expect(() => portfolios.portfolio(db, partner.actor, city.organisationId)).toThrow(forbidden);
		const stranger: Actor = actorOf(makeUser(db, 'member', 'stranger'));
		expect(() => portfolios.portfolio(db, stranger, city.organisationId)).toThrow(forbidden);
	});

	it('lets an editor in as well as the owner', () => {
		const editor = makeUser(db, 'member', 'editor');
		db.insert(table.membership)
			.values({ organisationId: city.organisationId, userId: editor.id, role: 'editor' })
			.run();
		expect(portfolios.portfolio(db, actorOf(editor), city.organisationId)?.isMember).toBe(true);
	});

	it('is null for an organisation that does not exist (moderators pass the policy)', () => {
		const moderator = actorOf(makeUser(db, 'moderator', 'moderator'));
		expect(portfolios.portfolio(db, moderator, 'no-such-organisation')).toBeNull();
	});
});

describe('partnerships in the portfolio', () => {
	it('lists private ones with status, role, consent, freshness and results; never others’', () => {
		const privateId = partnershipBetween(city, partner, 'active', 'Private');
		const publicId = partnershipBetween(city, partner, 'proposed', 'Public');
		for (const side of [city, partner]) {
			partnerships.setConsent(db, side.actor, publicId, side.organisationId, true);
		}
		const completedId = partnershipBetween(city, partner, 'completed', 'Completed');
		// Someone else's partnership, between two other organisations.
		const otherCity = makeOrganisation(db, { kind: 'city' });
		const otherPartner = makeOrganisation(db, { kind: 'ngo' });
		const othersId = partnershipBetween(otherCity, otherPartner, 'active', 'Others');

		const seen = portfolios.portfolio(db, city.actor, city.organisationId)!.partnerships;
		const ids = seen.items.map((item) => item.id);
		expect(ids).toEqual(expect.arrayContaining([privateId, publicId, completedId]));
		expect(ids).not.toContain(othersId);
		expect(seen.total).toBe(3);
		expect(seen.privateCount).toBe(2);
		expect(seen.byStatus).toEqual([
			{ status: 'proposed', count: 1 },
			{ status: 'active', count: 1 },
			{ status: 'completed', count: 1 }
		]);

		const byId = new Map(seen.items.map((item) => [item.id, item]));
		expect(byId.get(privateId)).toMatchObject({
			status: 'active',
			role: 'beneficiary',
			isPublic: false,
			isStale: false,
			consent: { consenting: 0, parties: 2, ownConsent: false },
			otherParties: [{ slug: partner.slug, name: 'Portfolio Partners', role: 'lead' }],
			results: { total: 0, latest: [] }
		});
		expect(byId.get(publicId)).toMatchObject({
			isPublic: true,
			consent: { consenting: 2, parties: 2, ownConsent: true }
		});
		expect(byId.get(completedId)!.results).toEqual({
			total: 1,
			latest: [
				{
					indicator: sampleResult.indicator,
					baseline: sampleResult.baseline,
					result: sampleResult.result,
					unit: sampleResult.unit,
					year: sampleResult.year
				}
			]
		});

		// The partner's portfolio shows the same partnership from its side.
		const partnerSide = portfolios.portfolio(db, partner.actor, partner.organisationId)!;
		expect(partnerSide.partnerships.items.find((item) => item.id === privateId)).toMatchObject({
			role: 'lead',
			otherParties: [{ slug: city.slug, role: 'beneficiary' }]
		});
	});

	it('flags stale open partnerships with the partnerships module’s rule and lists them first', () => {
		const freshId = partnershipBetween(city, partner, 'active', 'Fresh');
		const staleId = partnershipBetween(city, partner, 'agreed', 'Stale');
		const oldCompletedId = partnershipBetween(city, partner, 'completed', 'Old completed');
		const now = new Date();
		const longAgo = new Date(now.getTime() - 200 * DAY);
		backdateActivity(db, staleId, longAgo);
		backdateActivity(db, oldCompletedId, longAgo);

		const seen = portfolios.portfolio(db, city.actor, city.organisationId, now)!.partnerships;
		expect(seen.items.map((item) => item.id)).toEqual([staleId, freshId, oldCompletedId]);
		const stale = seen.items.map((item) => [item.id, item.isStale]);
		expect(stale).toEqual([
			[staleId, partnerships.isStale(longAgo, now, 'agreed')],
			[freshId, false],
			[oldCompletedId, false]
		]);
		expect(stale[0][1]).toBe(true);
		expect(seen.staleCount).toBe(1);
		expect(seen.items[0].lastActivityAt).toEqual(longAgo);
	});

	it('shows the latest results first and at most three of them, with the total', () => {
		const id = partnershipBetween(city, partner, 'active', 'Results');
		partnerships.saveResults(db, city.actor, id, [
			{ ...sampleResult, indicator: 'Oldest', year: 2021 },
			{ ...sampleResult, indicator: 'Undated', year: null },
			{ ...sampleResult, indicator: 'Newest', year: 2026 },
			{ ...sampleResult, indicator: 'Middle', year: 2024 }
		]);
		const item = portfolios
			.portfolio(db, city.actor, city.organisationId)!
			.partnerships.items.find((entry) => entry.id === id)!;
		expect(item.results.total).toBe(4);
		expect(item.results.latest.map((result) => result.indicator)).toEqual([
			'Newest',
			'Middle',
			'Oldest'
		]);
	});

	it('caps the list and says how many there are', () => {
		const count = portfolios.PARTNERSHIP_LIMIT + 1;
		for (let index = 0; index < count; index += 1) {
			partnershipBetween(city, partner, 'proposed', `Many ${index}`);
		}
		const seen = portfolios.portfolio(db, city.actor, city.organisationId)!.partnerships;
		expect(seen.total).toBe(count);
		expect(seen.items).toHaveLength(portfolios.PARTNERSHIP_LIMIT);
	});
});

describe('needs and offers in the portfolio', () => {
	it('shows every status including restricted listings to members, with counts', () => {
		const publicNeed = postNeed({ title: 'Public need' });
		const restrictedNeed = postNeed({ title: 'Restricted need', visibility: 'verified' });
		const closedNeed = postNeed({ title: 'Closed need' });
		listings.setNeedStatus(db, city.actor, closedNeed, 'closed');
		const restrictedOffer = postOffer({ title: 'Restricted offer', visibility: 'verified' });

		const seen = portfolios.portfolio(db, city.actor, city.organisationId)!;
		expect(seen.organisation.isCity).toBe(true);
		expect(seen.canPostNeed).toBe(true);
		const needs = new Map(seen.needs.items.map((need) => [need.id, need]));
		expect([...needs.keys()].sort()).toEqual([publicNeed, restrictedNeed, closedNeed].sort());
		expect(needs.get(restrictedNeed)).toMatchObject({ isRestricted: true, isOpen: true });
		expect(needs.get(closedNeed)).toMatchObject({ status: 'closed', matches: null });
		expect(seen.needs.byStatus).toEqual([
			{ status: 'open', count: 2 },
			{ status: 'closed', count: 1 }
		]);
		// Open needs come first.
		expect(seen.needs.items.at(-1)!.id).toBe(closedNeed);

		const partnerSide = portfolios.portfolio(db, partner.actor, partner.organisationId)!;
		expect(partnerSide.organisation.isCity).toBe(false);
		expect(partnerSide.canPostNeed).toBe(false);
		expect(partnerSide.offers.items.map((offer) => offer.id)).toEqual([restrictedOffer]);
		expect(partnerSide.offers.items[0].isRestricted).toBe(true);
		// The city's listings never appear in the partner's portfolio.
		expect(partnerSide.needs.total).toBe(0);
	});

	it('gives each open need its top three offers, ranked as matching ranks them', () => {
		const needId = postNeed();
		for (let index = 0; index < 4; index += 1) {
			postOffer(
				index % 2 === 0
					? { title: `Exact fit ${index}`, sdgTargets: ['11.5', '11.b'] }
					: { title: `Partial fit ${index}`, languages: ['es'], themes: ['E'] },
				makeOrganisation(db, { kind: 'ngo' })
			);
		}
		const now = new Date();
		const need = portfolios
			.portfolio(db, city.actor, city.organisationId, now)!
			.needs.items.find((item) => item.id === needId)!;
		const expected = matching.matchesForNeed(db, city.actor, needId, {
			limit: 3,
			now: now.getTime()
		})!.offers;
		expect(need.matches).toHaveLength(3);
		expect(need.matches!.map((match) => [match.id, match.score])).toEqual(
			expected.map((match) => [match.offer.id, match.score])
		);
		const scores = need.matches!.map((match) => match.score);
		expect(scores).toEqual([...scores].sort((a, b) => b - a));
		expect(need.matches!.every((match) => match.kind === 'offer' && match.reason)).toBe(true);
		expect(need.matches![0].reason).toBe(expected[0].reasons[0].label);
	});

	it('gives each open offer its top needs', () => {
		const offerId = postOffer();
		const needId = postNeed();
		const offer = portfolios
			.portfolio(db, partner.actor, partner.organisationId)!
			.offers.items.find((item) => item.id === offerId)!;
		expect(offer.matches?.map((match) => [match.kind, match.id])).toEqual([['need', needId]]);
		expect(offer.matches![0].organisationName).toBe('City of Portfolio Springs');
	});

	it('applies the restricted rule to matches as for the member elsewhere', () => {
		const needId = postNeed();
		const restrictedOffer = postOffer({
			title: 'Only for verified cities',
			visibility: 'verified'
		});
		const matchIds = () =>
			portfolios
				.portfolio(db, city.actor, city.organisationId)!
				.needs.items.find((item) => item.id === needId)!
				.matches!.map((match) => match.id);
		// The city is not verified: it never learns the restricted offer exists.
		expect(matchIds()).not.toContain(restrictedOffer);
		verifyOrganisation(db, city.organisationId);
		expect(matchIds()).toContain(restrictedOffer);
		const match = portfolios
			.portfolio(db, city.actor, city.organisationId)!
			.needs.items.find((item) => item.id === needId)!
			.matches!.find((item) => item.id === restrictedOffer)!;
		expect(match.isRestricted).toBe(true);
	});

	it('flags listings that end soon and those that have expired', () => {
		const now = new Date();
		const soon = isoDay(new Date(now.getTime() + 5 * DAY));
		const later = isoDay(new Date(now.getTime() + 60 * DAY));
		const soonNeed = postNeed({ title: 'Ends soon', expiresOn: soon });
		const laterNeed = postNeed({ title: 'Ends later', expiresOn: later });
		const soonOffer = postOffer({ title: 'Deadline soon', deadline: soon });
		const openEnded = postOffer({ title: 'No deadline', deadline: null });

		const needsNow = portfolios.portfolio(db, city.actor, city.organisationId, now)!.needs;
		const need = (id: string) => needsNow.items.find((item) => item.id === id)!;
		expect(need(soonNeed)).toMatchObject({ endsSoon: true, isExpired: false });
		expect(need(laterNeed)).toMatchObject({ endsSoon: false, isExpired: false });
		const offersNow = portfolios.portfolio(db, partner.actor, partner.organisationId, now)!.offers;
		const offer = (id: string) => offersNow.items.find((item) => item.id === id)!;
		expect(offer(soonOffer)).toMatchObject({ endsSoon: true, isExpired: false });
		expect(offer(openEnded)).toMatchObject({ endsSoon: false, endsAt: null });

		// Ten days on, the first need has expired: flagged, counted, and no longer matched.
		const later10 = new Date(now.getTime() + 10 * DAY);
		const needsLater = portfolios.portfolio(db, city.actor, city.organisationId, later10)!.needs;
		expect(needsLater.items.find((item) => item.id === soonNeed)).toMatchObject({
			isExpired: true,
			isOpen: false,
			endsSoon: false,
			matches: null
		});
		expect(needsLater.expiredCount).toBe(1);
		const offersLater = portfolios.portfolio(
			db,
			partner.actor,
			partner.organisationId,
			later10
		)!.offers;
		expect(offersLater.items.find((item) => item.id === soonOffer)?.isExpired).toBe(true);
		expect(offersLater.expiredCount).toBe(1);
	});

	it('caps needs at the listing limit with the total', () => {
		for (let index = 0; index <= portfolios.LISTING_LIMIT; index += 1) {
			postNeed();
		}
		const needs = portfolios.portfolio(db, city.actor, city.organisationId)!.needs;
		expect(needs.total).toBe(portfolios.LISTING_LIMIT + 1);
		expect(needs.items).toHaveLength(portfolios.LISTING_LIMIT);
	});

	it('is empty, not failing, for an organisation with nothing yet', () => {
		const seen = portfolios.portfolio(db, city.actor, city.organisationId)!;
		expect(seen.partnerships).toMatchObject({ total: 0, items: [], byStatus: [] });
		expect(seen.needs).toMatchObject({ total: 0, items: [], byStatus: [] });
		expect(seen.offers).toMatchObject({ total: 0, items: [], byStatus: [] });
	});
});
