import { eq } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import type { Db } from '../../src/lib/server/db';
import { openDatabase } from '../../src/lib/server/db';
import * as table from '../../src/lib/server/db/schema';
import * as matching from '../../src/lib/server/matching';
import { fullReadCount } from '../../src/lib/server/matching/candidates';
import { createSession } from '../../src/lib/server/auth/session';
import * as rateLimit from '../../src/lib/server/auth/rate-limit';
import { queueEmail } from '../../src/lib/server/email';
import { notifyOrganisation } from '../../src/lib/server/notifications';
import * as partnerships from '../../src/lib/server/partnerships';
import * as listings from '../../src/lib/server/needs-offers';
import { freshDb as openFreshDb } from '../support/db';
import {
	cityWithNeed,
	makeOrganisation,
	offerInput,
	partnerWithOffer
} from '../support/listing-fixtures';
import { makeUser } from '../support/org-fixtures';
import { partnershipAt } from '../support/partnership-fixtures';

const opened: Db[] = [];
function freshDb(): Db {
	const db = openFreshDb();
	opened.push(db);
	return db;
}
afterEach(() => {
	for (const db of opened.splice(0)) db.$client.close();
});

const anonymous = null;
const offerIdsOf = (result: matching.NeedMatches | null) =>
	result?.offers.map((match) => match.offer.id) ?? [];
const needIdsOf = (result: { needs: matching.NeedMatch[] } | null) =>
	result?.needs.map((match) => match.need.id) ?? [];

describe('matches for a need and for an offer', () => {
	it('ranks a fitting offer for the need, with reasons, and the need for the offer', () => {
		const db = freshDb();
		const city = cityWithNeed(db);
		const partner = partnerWithOffer(db);
		const result = matching.matchesForNeed(db, anonymous, city.needId);
		expect(offerIdsOf(result)).toEqual([partner.offerId]);
		const [match] = result!.offers;
		expect(match.kind).toBe('offer');
		expect(match.score).toBeGreaterThan(40);
		expect(match.score).toBeLessThanOrEqual(100);
		const labels = match.reasons.map((reason) => reason.label);
		expect(labels).toContain('Shares SDG target 11.5');
		expect(labels).toContain('Serves Africa');
		expect(labels).toContain('Both work in English and French');
		expect(match.reasons.reduce((sum, reason) => sum + reason.weight, 0)).toBeCloseTo(1, 5);
		expect(match.offer.organisation.slug).toBe(partner.slug);

		expect(needIdsOf(matching.matchesForOffer(db, anonymous, partner.offerId))).toEqual([
			city.needId
		]);
	});

	it('leaves out offers that cannot work: closed, outside the region, not eligible, full, own', () => {
		const db = freshDb();
		const city = cityWithNeed(db);
		const fitting = partnerWithOffer(db);
		const closed = partnerWithOffer(db);
		listings.setOfferStatus(db, closed.actor, closed.offerId, 'closed');
		partnerWithOffer(db, { offer: { regions: ['419'] } });
		partnerWithOffer(db, { offer: { eligibleIncomeGroups: ['L'] } });
		partnerWithOffer(db, { offer: { cooperationTypes: ['financial'] } });
		const own = listings.createOffer(db, city.actor, city.organisationId, offerInput());
		// A partnership made from an offer with one place fills it.
		const full = partnershipAt(db, 'active', { partner: { offer: { capacity: 1 } } });
		const matches = offerIdsOf(matching.matchesForNeed(db, anonymous, city.needId));
		expect(matches).toContain(fitting.offerId);
		expect(matches).not.toContain(closed.offerId);
		expect(matches).not.toContain(own.id);
		expect(matches).not.toContain(full.partner.offerId);
		expect(matches).toHaveLength(1);
	});

	it('a discontinued partnership gives its place back', () => {
		const db = freshDb();
		const city = cityWithNeed(db);
		const discontinued = partnershipAt(db, 'discontinued', {
			partner: { offer: { capacity: 1 } }
		});
		expect(offerIdsOf(matching.matchesForNeed(db, anonymous, city.needId))).toContain(
			discontinued.partner.offerId
		);
	});

	it('answers null for an unknown id, and nothing for a closed need', () => {
		const db = freshDb();
		const city = cityWithNeed(db);
		partnerWithOffer(db);
		expect(matching.matchesForNeed(db, anonymous, 'no-such-need')).toBeNull();
		expect(matching.matchesForOffer(db, anonymous, 'no-such-offer')).toBeNull();
		listings.setNeedStatus(db, city.actor, city.needId, 'closed');
		expect(matching.matchesForNeed(db, anonymous, city.needId)).toEqual({
			offers: [],
			partners: [],
			caseStudies: [],
			peerNeeds: []
		});
	});

	it('is the same list on every call (deterministic), and honours the limit', () => {
		const db = freshDb();
		const city = cityWithNeed(db);
		for (let i = 0; i < 5; i += 1) partnerWithOffer(db);
		const first = matching.matchesForNeed(db, anonymous, city.needId);
		expect(first!.offers).toHaveLength(5);
		expect(matching.matchesForNeed(db, anonymous, city.needId)).toEqual(first);
		expect(offerIdsOf(matching.matchesForNeed(db, anonymous, city.needId, { limit: 2 }))).toEqual(
			offerIdsOf(first).slice(0, 2)
		);
		const scores = first!.offers.map((match) => match.score);
		expect(scores).toEqual(scores.slice().sort((a, b) => b - a));
	});
});

describe('partners, case studies and peer cities for a need', () => {
	it('names a partner with a public completed partnership on the targets, and peer needs', () => {
		const db = freshDb();
		const done = partnershipAt(db, 'completed', { public: true });
		const city = cityWithNeed(db);
		const peer = cityWithNeed(db);
		const partnerSlugs = () =>
			matching
				.matchesForNeed(db, anonymous, city.needId)!
				.partners.map((match) => match.organisation.slug);
		// While its offer is open and fits, the offer says more than the organisation.
		expect(partnerSlugs()).not.toContain(done.partner.slug);
		listings.setOfferStatus(db, done.partner.actor, done.partner.offerId, 'closed');
		const result = matching.matchesForNeed(db, anonymous, city.needId)!;
		const partner = result.partners.find((match) => match.organisation.slug === done.partner.slug);
		expect(partner, 'the partner with a track record').toBeDefined();
		expect(partner!.reasons.map((reason) => reason.label)).toContain(
			'Has completed 1 partnership on 11.5 and 11.b'
		);
		// Peers: other cities' active needs on the same targets, never the need itself.
		const peers = result.peerNeeds.map((match) => match.need.id);
		expect(peers).toContain(peer.needId);
		expect(peers).not.toContain(city.needId);
	});

	it('keeps a private partnership out of the track record', () => {
		const db = freshDb();
		const done = partnershipAt(db, 'completed', { public: false });
		const city = cityWithNeed(db);
		const result = matching.matchesForNeed(db, anonymous, city.needId)!;
		expect(result.partners.map((match) => match.organisation.slug)).not.toContain(
			done.partner.slug
		);
		for (const match of result.offers) {
			expect(match.reasons.map((reason) => reason.code)).not.toContain('track_record');
		}
	});
});

describe('the restricted visibility rule among matches', () => {
	function restrictedWorld(db: Db) {
		const city = cityWithNeed(db);
		const restrictedOffer = partnerWithOffer(db, { offer: { visibility: 'verified' } });
		const publicOffer = partnerWithOffer(db);
		const restrictedNeed = cityWithNeed(db, { need: { visibility: 'verified' } });
		const unverified = makeOrganisation(db, { kind: 'ngo' });
		const verified = makeOrganisation(db, { kind: 'ngo', verified: true });
		const moderator = makeUser(db, 'moderator');
		return { city, restrictedOffer, publicOffer, restrictedNeed, unverified, verified, moderator };
	}

	it('hides restricted offers and needs from anonymous people and unverified members', () => {
		const db = freshDb();
		const w = restrictedWorld(db);
		for (const actor of [anonymous, w.unverified.actor, w.city.actor]) {
			expect(offerIdsOf(matching.matchesForNeed(db, actor, w.city.needId))).toEqual([
				w.publicOffer.offerId
			]);
			expect(needIdsOf(matching.matchesForOffer(db, actor, w.publicOffer.offerId))).not.toContain(
				w.restrictedNeed.needId
			);
			expect(matching.matchesForNeed(db, actor, w.restrictedNeed.needId)).toBeNull();
			expect(matching.matchesForOffer(db, actor, w.restrictedOffer.offerId)).toBeNull();
			const peers = matching.matchesForNeed(db, actor, w.city.needId)!.peerNeeds;
			expect(peers.map((match) => match.need.id)).not.toContain(w.restrictedNeed.needId);
		}
	});

	it('shows them to verified members, moderators and the owners', () => {
		const db = freshDb();
		const w = restrictedWorld(db);
		const moderator = { id: w.moderator.id, siteRole: w.moderator.siteRole };
		for (const actor of [w.verified.actor, moderator]) {
			expect(offerIdsOf(matching.matchesForNeed(db, actor, w.city.needId))).toContain(
				w.restrictedOffer.offerId
			);
			expect(needIdsOf(matching.matchesForOffer(db, actor, w.publicOffer.offerId))).toContain(
				w.restrictedNeed.needId
			);
		}
		const own = matching.matchesForOffer(db, w.restrictedOffer.actor, w.restrictedOffer.offerId);
		expect(needIdsOf(own)).toContain(w.city.needId);
		expect(
			matching.matchesForNeed(db, w.restrictedNeed.actor, w.restrictedNeed.needId)
		).not.toBeNull();
		const card = matching
			.matchesForNeed(db, moderator, w.city.needId)!
			.offers.find((match) => match.offer.id === w.restrictedOffer.offerId)!;
		expect(card.offer.isRestricted).toBe(true);
	});
});

describe('matches for an organisation’s members', () => {
	it('lists each active need with its offers and each open offer with its needs', () => {
		const db = freshDb();
		const city = cityWithNeed(db);
		const partner = partnerWithOffer(db);
		const forCity = matching.matchesForOrganisations(db, city.actor);
		expect(forCity.hasOrganisation).toBe(true);
		expect(forCity.needs.map((item) => item.need.id)).toEqual([city.needId]);
		expect(forCity.needs[0].offers.map((match) => match.offer.id)).toEqual([partner.offerId]);
		const forPartner = matching.matchesForOrganisations(db, partner.actor);
		expect(forPartner.offers[0].needs.map((match) => match.need.id)).toEqual([city.needId]);
		const loner = makeUser(db);
		expect(matching.matchesForOrganisations(db, { id: loner.id, siteRole: 'member' })).toEqual({
			needs: [],
			offers: [],
			hasOrganisation: false
		});
		expect(matching.matchesForOrganisations(db, anonymous).needs).toEqual([]);
	});
});

describe('the profile cache', () => {
	it('sees this connection’s writes and another connection’s commits at once', () => {
		const db = freshDb();
		const city = cityWithNeed(db);
		expect(offerIdsOf(matching.matchesForNeed(db, anonymous, city.needId))).toEqual([]);
		const first = partnerWithOffer(db);
		expect(offerIdsOf(matching.matchesForNeed(db, anonymous, city.needId))).toEqual([
			first.offerId
		]);

		const other = openDatabase(db.$client.name);
		opened.push(other);
		expect(offerIdsOf(matching.matchesForNeed(other, anonymous, city.needId))).toEqual([
			first.offerId
		]);
		const second = partnerWithOffer(db);
		expect(offerIdsOf(matching.matchesForNeed(other, anonymous, city.needId))).toContain(
			second.offerId
		);
		// A status change alone (no row added) is seen as well.
		listings.setOfferStatus(db, first.actor, first.offerId, 'closed');
		expect(offerIdsOf(matching.matchesForNeed(other, anonymous, city.needId))).toEqual([
			second.offerId
		]);
		db.update(table.offer).set({ status: 'open' }).where(eq(table.offer.id, first.offerId)).run();
		expect(offerIdsOf(matching.matchesForNeed(db, anonymous, city.needId))).toHaveLength(2);
	});
});

describe('the profile cache after writes matching does not read', () => {
	const caseStudyOf = (db: Db, organisationId: string, id: string, workflowState: 'published') => {
		db.insert(table.caseStudy)
			.values({
				id,
				slug: id,
				organisationId,
				countryCode: 'KE',
				title: 'Community flood early warning by text message',
				summary: 'Residents along the river receive flood alerts by text message.',
				startYear: 2020,
				status: 'implemented',
				workflowState,
				publishedAt: new Date(),
				lastReviewedAt: new Date()
			})
			.run();
		db.insert(table.caseStudyTag)
			.values([
				{ caseStudyId: id, vocabulary: 'theme', value: 'S', position: 0 },
				{ caseStudyId: id, vocabulary: 'sdg_target', value: '11.5', position: 0 }
			])
			.run();
	};
	const caseSlugsOf = (result: matching.NeedMatches | null) =>
		result?.caseStudies.map((match) => match.caseStudy.slug) ?? [];

	it('keeps the copy through sessions, notifications, emails, rate limits and partnership activity', () => {
		const db = freshDb();
		const city = cityWithNeed(db);
		const active = partnershipAt(db, 'active');
		const partner = partnerWithOffer(db);
		const before = matching.matchesForNeed(db, anonymous, city.needId);
		expect(offerIdsOf(before)).toContain(partner.offerId);
		const reads = fullReadCount();

		createSession(db, 'matching-cache-token', city.owner.id);
		notifyOrganisation(db, partner.organisationId, {
			kind: 'partnership_status_changed',
			params: { title: 'A partnership', status: 'active' },
			path: '/partnerships'
		});
		queueEmail(db, { to: 'someone@example.org', subject: 'Hello', body: 'Hello there.' });
		rateLimit.consume(db, 'login:matching-cache', { max: 10, windowMs: 60_000 });
		// An update posted on a partnership: a new row, the last activity moved, members notified.
		partnerships.postUpdate(db, active.city.actor, active.partnershipId, {
			body: 'The sirens are installed along both streams.'
		});
		// An organisation's description and a draft case study are not read either.
		db.update(table.organisation)
			.set({ description: 'We build early-warning systems.' })
			.where(eq(table.organisation.id, partner.organisationId))
			.run();

		expect(matching.matchesForNeed(db, anonymous, city.needId)).toEqual(before);
		expect(fullReadCount()).toBe(reads);
	});

	it('sees each change to what it reads at the next match, through either connection', () => {
		const db = freshDb();
		const city = cityWithNeed(db);
		const partner = partnerWithOffer(db);
		const other = openDatabase(db.$client.name);
		opened.push(other);
		const both = [db, other];
		const offersNow = () =>
			both.map((connection) =>
				offerIdsOf(matching.matchesForNeed(connection, anonymous, city.needId))
			);
		expect(offersNow()).toEqual([[partner.offerId], [partner.offerId]]);

		// Organisation: a new name is on the cards.
		db.update(table.organisation)
			.set({ name: 'Renamed Partner' })
			.where(eq(table.organisation.id, partner.organisationId))
			.run();
		for (const connection of both) {
			const [match] = matching.matchesForNeed(connection, anonymous, city.needId)!.offers;
			expect(match.offer.organisation.name).toBe('Renamed Partner');
		}

		// Need: closed through the other connection, open again through this one.
		listings.setNeedStatus(other, city.actor, city.needId, 'closed');
		expect(offersNow()).toEqual([[], []]);
		db.update(table.need).set({ status: 'open' }).where(eq(table.need.id, city.needId)).run();
		expect(offersNow()).toEqual([[partner.offerId], [partner.offerId]]);

		// Offer tags alone: no cooperation type in common any more, then back.
		const setCooperation = (connection: Db, from: string, to: string) =>
			connection
				.update(table.offerTag)
				.set({ value: to })
				.where(eq(table.offerTag.value, from))
				.run();
		setCooperation(other, 'capacity_building', 'financial');
		setCooperation(other, 'knowledge_sharing', 'policy_advice');
		expect(offersNow()).toEqual([[], []]);
		setCooperation(db, 'financial', 'capacity_building');
		expect(offersNow()).toEqual([[partner.offerId], [partner.offerId]]);

		// Partnership: one place taken by a partnership fills an offer of capacity 1.
		db.update(table.offer).set({ capacity: 1 }).where(eq(table.offer.id, partner.offerId)).run();
		db.insert(table.partnership)
			.values({
				id: 'cache-partnership',
				title: 'Flood alerts',
				status: 'active',
				offerId: partner.offerId,
				lastActivityAt: new Date()
			})
			.run();
		expect(offersNow()).toEqual([[], []]);
		other
			.update(table.partnership)
			.set({ status: 'discontinued' })
			.where(eq(table.partnership.id, 'cache-partnership'))
			.run();
		expect(offersNow()).toEqual([[partner.offerId], [partner.offerId]]);

		// Case study: published through the other connection, back to draft through this one.
		const casesNow = () =>
			both.map((connection) =>
				caseSlugsOf(matching.matchesForNeed(connection, anonymous, city.needId))
			);
		expect(casesNow()).toEqual([[], []]);
		caseStudyOf(other, partner.organisationId, 'cache-case', 'published');
		expect(casesNow()).toEqual([['cache-case'], ['cache-case']]);
		db.update(table.caseStudy)
			.set({ workflowState: 'draft' })
			.where(eq(table.caseStudy.id, 'cache-case'))
			.run();
		expect(casesNow()).toEqual([[], []]);
	});

	it('reads again when a write through this connection is rolled back after a match inside it', () => {
		const db = freshDb();
		const city = cityWithNeed(db);
		const partner = partnerWithOffer(db);
		expect(offerIdsOf(matching.matchesForNeed(db, anonymous, city.needId))).toEqual([
			partner.offerId
		]);
		expect(() =>
			db.transaction((tx) => {
				tx.update(table.offer)
					.set({ status: 'closed' })
					.where(eq(table.offer.id, partner.offerId))
					.run();
				expect(offerIdsOf(matching.matchesForNeed(db, anonymous, city.needId))).toEqual([]);
				throw new Error('rolled back');
			})
		).toThrow('rolled back');
		expect(offerIdsOf(matching.matchesForNeed(db, anonymous, city.needId))).toEqual([
			partner.offerId
		]);
	});
});
