import { expect, it } from 'vitest';
import * as caseStudies from '../../src/lib/server/case-studies';
import * as table from '../../src/lib/server/db/schema';
import * as listings from '../../src/lib/server/needs-offers';
import * as partnerships from '../../src/lib/server/partnerships';
import * as stats from '../../src/lib/server/stats';
import { freshDb } from '../support/db';
import { needInput } from '../support/listing-fixtures';
import { makePublic, partnershipAt } from '../support/partnership-fixtures';
import { caseStudyIn, makeModerator, organisationIn } from '../support/stats-fixtures';

const reads = () => Object.values(stats.statsFullReads()).reduce((a, b) => a + b, 0);

it('reads the facts again after a write to what they count, and only then', () => {
	const db = freshDb();
	const moderator = makeModerator(db);
	const city = organisationIn(db, 'RW', { verified: true });
	const first = stats.insights(db, {});
	expect(first.headline).toMatchObject({ caseStudies: 0, openNeeds: 0, cities: 1 });

	// Nothing written: the copy in memory answers.
	const before = reads();
	stats.insights(db, {});
	expect(reads()).toBe(before);
	// A write the figures do not read (a rate limit): still the copy.
	db.insert(table.rateLimit)
		.values({ key: 'stats-test', count: 1, resetAt: new Date(Date.now() + 60_000) })
		.run();
	stats.insights(db, {});
	expect(reads()).toBe(before);

	// A draft is not counted; publishing it is seen by the next call.
	const caseId = caseStudyIn(db, city, moderator, {
		themes: ['S'],
		sdgTargets: ['11.5'],
		state: 'draft'
	});
	expect(stats.insights(db, {}).headline.caseStudies).toBe(0);
	const moderatorActor = { id: moderator.id, siteRole: moderator.siteRole };
	caseStudies.publish(db, moderatorActor, caseId);
	expect(stats.insights(db, {}).headline.caseStudies).toBe(1);
	caseStudies.archive(db, moderatorActor, caseId);
	expect(stats.insights(db, {}).headline.caseStudies).toBe(0);

	// A new need counts at once; closed, it no longer does.
	const { id: needId } = listings.createNeed(db, city.actor, city.organisationId, needInput());
	expect(stats.insights(db, {}).headline.openNeeds).toBe(1);
	listings.setNeedStatus(db, city.actor, needId, 'closed');
	expect(stats.insights(db, {}).headline.openNeeds).toBe(0);

	// A partnership counts once its last party consents, and leaves when one withdraws consent.
	const pair = partnershipAt(db, 'agreed');
	expect(stats.insights(db, {}).headline.partnerships.total).toBe(0);
	makePublic(db, pair, pair.partnershipId);
	expect(stats.insights(db, {}).headline.partnerships).toMatchObject({ agreed: 1, total: 1 });
	partnerships.setConsent(
		db,
		pair.partner.actor,
		pair.partnershipId,
		pair.partner.organisationId,
		false
	);
	expect(stats.insights(db, {}).headline.partnerships.total).toBe(0);

	// An organisation verified later counts as a city at once.
	const unverified = organisationIn(db, 'KE');
	const cities = stats.insights(db, {}).headline.cities;
	db.update(table.organisation).set({ verificationState: 'verified' }).run();
	expect(stats.insights(db, {}).headline.cities).toBeGreaterThan(cities);
	expect(unverified.organisationId).toBeTruthy();
});
