import { count, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/lib/server/db';
import * as table from '../../src/lib/server/db/schema';
import { organisationKinds } from '../../src/lib/server/db/schema';
import * as demo from '../../src/lib/server/demo';
import * as demoMatchmaking from '../../src/lib/server/demo-matchmaking';
import * as listings from '../../src/lib/server/needs-offers';
import * as partnerships from '../../src/lib/server/partnerships';
import { sdgTargetIds } from '../../src/lib/vocab/sdg';
import { themeIds } from '../../src/lib/vocab/themes';
import { partnershipStatuses } from '../../src/lib/vocab/matchmaking';
import { freshDb } from '../support/db';
import { demoKeyToTitle, matchLabels } from '../support/match-labels';

const DAY = 24 * 60 * 60 * 1000;
const data = demoMatchmaking.demoMatchmaking();

/** Row counts of every table the matchmaking seed writes to. */
function counts(db: Db) {
	const tables = {
		need: table.need,
		needTag: table.needTag,
		offer: table.offer,
		offerTag: table.offerTag,
		introduction: table.introduction,
		partnership: table.partnership,
		partnershipParty: table.partnershipParty,
		partnershipTag: table.partnershipTag,
		partnershipCaseStudy: table.partnershipCaseStudy,
		partnershipUpdate: table.partnershipUpdate,
		partnershipMilestone: table.partnershipMilestone,
		partnershipResult: table.partnershipResult,
		notification: table.notification,
		emailOutbox: table.emailOutbox,
		searchDocument: table.searchDocument,
		auditLog: table.auditLog
	};
	return Object.fromEntries(
		Object.entries(tables).map(([name, t]) => [name, db.select({ n: count() }).from(t).get()!.n])
	);
}

const moderator = (db: Db) => {
	const row = db
		.select({ id: table.user.id, siteRole: table.user.siteRole })
		.from(table.user)
		.where(eq(table.user.siteRole, 'moderator'))
		.get()!;
	return { id: row.id, siteRole: row.siteRole };
};

/** Need and offer ids by their demo title (titles are unique in the demo set). */
function idsByTitle(db: Db) {
	const needs = db.select({ id: table.need.id, title: table.need.title }).from(table.need).all();
	const offers = db
		.select({ id: table.offer.id, title: table.offer.title })
		.from(table.offer)
		.all();
	return {
		need: new Map(needs.map((row) => [row.title, row.id])),
		offer: new Map(offers.map((row) => [row.title, row.id]))
	};
}

describe('demo matchmaking content', () => {
	let db: Db;
	let result: Awaited<ReturnType<typeof demo.seedDemoContent>>;
	let output: string;
	const now = new Date();

	beforeAll(async () => {
		db = freshDb();
		const lines: string[] = [];
		result = await demo.seedDemoContent(db, { log: (line) => lines.push(line), now });
		output = lines.join('\n');
	});
	afterAll(() => db.$client.close());

	it('every JSON entry passes the domain input schemas the forms and the API use', () => {
		for (const need of data.needs) expect(() => demoMatchmaking.needInputOf(need)).not.toThrow();
		for (const offer of data.offers) {
			expect(() => demoMatchmaking.offerInputOf(offer)).not.toThrow();
		}
		for (const entry of data.partnerships) {
			const { introduction } = entry;
			partnerships.introductionRequestInput.parse({
				fromOrganisationId: 'x',
				message: introduction.message
			});
			partnerships.introductionResponseInput.parse({
				decision: 'accept',
				note: introduction.acceptance
			});
			for (const event of entry.events) {
				if (event.status) {
					partnerships.statusChangeInput.parse({
						to: event.status,
						reason: event.reason,
						note: event.body
					});
				} else {
					partnerships.updateInput.parse({ body: event.body });
				}
			}
			partnerships.milestonesInput.parse(demoMatchmaking.milestoneRowsOf(entry));
			partnerships.resultsInput.parse(demoMatchmaking.resultRowsOf(entry));
		}
		for (const entry of data.introductions) {
			partnerships.introductionRequestInput.parse({
				fromOrganisationId: 'x',
				message: entry.message
			});
			if (entry.decision) {
				partnerships.introductionResponseInput.parse({
					decision: entry.decision,
					note: entry.note
				});
			}
		}
	});

	it('seeds at least 30 needs and 30 offers, quietly, and says so in one log line', () => {
		expect(result.matchmaking).toMatchObject({
			seeded: true,
			needs: data.needs.length,
			offers: data.offers.length,
			partnerships: data.partnerships.length
		});
		const { need, offer, emailOutbox } = counts(db);
		expect(need).toBeGreaterThanOrEqual(30);
		expect(offer).toBeGreaterThanOrEqual(30);
		// A demo start sends no email.
		expect(emailOutbox).toBe(0);
		expect(output).toMatch(
			/\[demo\] Seeded \d+ needs, \d+ offers, \d+ partnerships and \d+ more introductions in \d+ ms\./
		);
	});

	it('covers all six themes and all ten SDG 11 targets in needs and in offers', () => {
		for (const tags of [table.needTag, table.offerTag]) {
			const values = (vocabulary: 'theme' | 'sdg_target') =>
				new Set(
					db
						.selectDistinct({ value: tags.value })
						.from(tags)
						.where(eq(tags.vocabulary, vocabulary))
						.all()
						.map((row) => row.value)
				);
			expect(values('theme')).toEqual(new Set(themeIds));
			expect(values('sdg_target')).toEqual(new Set(sdgTargetIds));
		}
	});

	it('posts needs from cities in every region, in many languages, and offers serving them', () => {
		const needRows = db
			.select({
				kind: table.organisation.kind,
				region: table.country.regionCode,
				subregion: table.country.subregionCode,
				languages: table.need.languages
			})
			.from(table.need)
			.innerJoin(table.organisation, eq(table.organisation.id, table.need.organisationId))
			.innerJoin(table.country, eq(table.country.code, table.organisation.countryCode))
			.all();
		for (const row of needRows) expect(row.kind).toBe('city');
		// Africa, the Americas (Latin America and the Caribbean), Asia, Europe, Oceania.
		expect(new Set(needRows.map((row) => row.region))).toEqual(
			new Set(['002', '019', '142', '150', '009'])
		);
		expect(needRows.some((row) => row.subregion === '151')).toBe(true); // Eastern Europe
		const languages = new Set(needRows.flatMap((row) => row.languages));
		for (const language of ['en', 'fr', 'es', 'pt', 'ar', 'ru'])
			expect(languages).toContain(language);

		const offers = db
			.select({
				isGlobal: table.offer.isGlobal,
				onlyLeastDeveloped: table.offer.onlyLeastDeveloped,
				incomeGroups: table.offer.eligibleIncomeGroups
			})
			.from(table.offer)
			.all();
		expect(offers.filter((o) => o.isGlobal).length).toBeGreaterThan(5);
		expect(offers.filter((o) => !o.isGlobal).length).toBeGreaterThan(5);
		expect(offers.some((o) => o.onlyLeastDeveloped)).toBe(true);
		expect(offers.filter((o) => o.incomeGroups.length > 0).length).toBeGreaterThan(3);
		const kinds = new Set(
			db
				.selectDistinct({ kind: table.organisation.kind })
				.from(table.offer)
				.innerJoin(table.organisation, eq(table.organisation.id, table.offer.organisationId))
				.all()
				.map((row) => row.kind)
		);
		expect(kinds).toEqual(new Set(organisationKinds));
	});

	it('keeps restricted needs and offers from anonymous visitors, shows them to moderators', () => {
		const restrictedNeeds = db
			.select({ id: table.need.id })
			.from(table.need)
			.where(eq(table.need.visibility, 'verified'))
			.all();
		const restrictedOffers = db
			.select({ id: table.offer.id })
			.from(table.offer)
			.where(eq(table.offer.visibility, 'verified'))
			.all();
		expect(restrictedNeeds.length).toBeGreaterThanOrEqual(3);
		expect(restrictedOffers.length).toBeGreaterThanOrEqual(3);
		for (const { id } of restrictedNeeds) {
			expect(listings.getNeed(db, null, id)).toBeNull();
			expect(listings.getNeed(db, moderator(db), id)).not.toBeNull();
		}
		for (const { id } of restrictedOffers) {
			expect(listings.getOffer(db, null, id)).toBeNull();
			expect(listings.getOffer(db, moderator(db), id)).not.toBeNull();
		}
	});

	it('dates the listings in the past and lets none of them expire: the demo never goes stale', () => {
		const needs = db
			.select({ createdAt: table.need.createdAt, expiresAt: table.need.expiresAt })
			.from(table.need)
			.all();
		for (const need of needs) {
			expect(need.createdAt.getTime()).toBeLessThanOrEqual(now.getTime());
			expect(need.expiresAt.getTime()).toBeGreaterThan(now.getTime());
		}
		expect(new Set(needs.map((n) => n.createdAt.toDateString())).size).toBeGreaterThan(20);
		const offers = db
			.select({ deadline: table.offer.deadline, status: table.offer.status })
			.from(table.offer)
			.all();
		for (const offer of offers) {
			if (offer.deadline) expect(offer.deadline.getTime()).toBeGreaterThan(now.getTime());
		}
		const statuses = new Set(
			db
				.selectDistinct({ status: table.need.status })
				.from(table.need)
				.all()
				.map((row) => row.status)
		);
		expect(statuses).toEqual(new Set(['open', 'in_discussion', 'matched', 'closed']));
	});

	it('has partnerships at every status, with dated updates, milestones and results', () => {
		const rows = db
			.select({
				id: table.partnership.id,
				status: table.partnership.status,
				discontinuedReason: table.partnership.discontinuedReason,
				needId: table.partnership.needId,
				lastActivityAt: table.partnership.lastActivityAt,
				createdAt: table.partnership.createdAt
			})
			.from(table.partnership)
			.all();
		expect(rows.length).toBeGreaterThanOrEqual(15);
		expect(new Set(rows.map((row) => row.status))).toEqual(new Set(partnershipStatuses));

		const countFor = (t: typeof table.partnershipResult | typeof table.partnershipMilestone) =>
			new Map(
				db
					.select({ id: t.partnershipId, n: count() })
					.from(t)
					.groupBy(t.partnershipId)
					.all()
					.map((row) => [row.id, row.n])
			);
		const results = countFor(table.partnershipResult);
		const milestones = countFor(table.partnershipMilestone);
		const updates = db
			.select({
				partnershipId: table.partnershipUpdate.partnershipId,
				statusTo: table.partnershipUpdate.statusTo,
				createdAt: table.partnershipUpdate.createdAt
			})
			.from(table.partnershipUpdate)
			.all();
		for (const row of rows) {
			expect(row.needId).not.toBeNull();
			const own = updates.filter((u) => u.partnershipId === row.id);
			// Proposed: the acceptance; later: every status it went through, plus news.
			expect(own.some((u) => u.statusTo === 'proposed')).toBe(true);
			if (row.status !== 'proposed') expect(own.some((u) => u.statusTo === row.status)).toBe(true);
			if (['agreed', 'active', 'completed'].includes(row.status)) {
				expect(milestones.get(row.id) ?? 0).toBeGreaterThan(0);
			}
			if (row.status === 'completed') expect(results.get(row.id) ?? 0).toBeGreaterThan(1);
			if (row.status === 'discontinued') expect(row.discontinuedReason?.length).toBeGreaterThan(20);
			for (const update of own) {
				expect(update.createdAt.getTime()).toBeLessThanOrEqual(now.getTime());
				expect(update.createdAt.getTime()).toBeGreaterThanOrEqual(row.createdAt.getTime());
			}
		}
		// Active ones report results as they come in.
		expect(
			rows.filter((row) => row.status === 'active' && results.has(row.id)).length
		).toBeGreaterThanOrEqual(2);
		// Updates spread over more than a year, so timelines read as lived.
		const oldest = Math.min(...updates.map((u) => u.createdAt.getTime()));
		expect(now.getTime() - oldest).toBeGreaterThan(365 * DAY);
	});

	it('has two or three stale partnerships, and none among the finished ones', () => {
		const rows = db
			.select({
				status: table.partnership.status,
				lastActivityAt: table.partnership.lastActivityAt
			})
			.from(table.partnership)
			.all();
		const stale = rows.filter((row) => partnerships.isStale(row.lastActivityAt, now, row.status));
		expect(stale.length).toBeGreaterThanOrEqual(2);
		expect(stale.length).toBeLessThanOrEqual(3);
		for (const row of stale) expect(['proposed', 'agreed', 'active']).toContain(row.status);
	});

	it('publishes a partnership only when every party consents: most are public, a few are not', () => {
		const rows = db.select({ id: table.partnership.id }).from(table.partnership).all();
		const visible = rows.filter((row) => partnerships.getPartnership(db, null, row.id) !== null);
		expect(visible.length).toBeGreaterThan(rows.length / 2);
		expect(rows.length - visible.length).toBeGreaterThanOrEqual(2);
		for (const row of rows) {
			expect(partnerships.getPartnership(db, moderator(db), row.id)).not.toBeNull();
		}
		const linkedCases = db.select({ n: count() }).from(table.partnershipCaseStudy).get()!.n;
		expect(linkedCases).toBeGreaterThan(10);
	});

	it('leaves introductions waiting, with notifications dated when they were sent', () => {
		const pending = db
			.select({ id: table.introduction.id, createdAt: table.introduction.createdAt })
			.from(table.introduction)
			.where(eq(table.introduction.status, 'pending'))
			.all();
		expect(pending.length).toBeGreaterThanOrEqual(3);
		const declined = db
			.select({ note: table.introduction.responseNote })
			.from(table.introduction)
			.where(eq(table.introduction.status, 'declined'))
			.all();
		expect(declined.length).toBe(1);
		const notices = db
			.select({ kind: table.notification.kind, createdAt: table.notification.createdAt })
			.from(table.notification)
			.all();
		// Only the introductions left notifications: the replayed history is not news.
		expect(new Set(notices.map((n) => n.kind))).toEqual(
			new Set(['introduction_requested', 'introduction_declined'])
		);
		for (const notice of notices) {
			expect(notice.createdAt.getTime()).toBeLessThan(now.getTime() - DAY / 2);
		}
	});

	it('labels at least 30 needs, each with open offers it can really take up', () => {
		expect(matchLabels.length).toBeGreaterThanOrEqual(30);
		const ids = idsByTitle(db);
		const needIds = matchLabels.map((label) => ids.need.get(demoKeyToTitle(label.need))!);
		const offerIds = [...new Set(matchLabels.flatMap((label) => label.offers)).values()].map(
			(key) => ids.offer.get(demoKeyToTitle(key))!
		);
		const needStatuses = db
			.select({ status: table.need.status })
			.from(table.need)
			.where(inArray(table.need.id, needIds))
			.all();
		expect(needStatuses).toHaveLength(matchLabels.length);
		for (const { status } of needStatuses) expect(['open', 'in_discussion']).toContain(status);
		const offerStatuses = db
			.select({ status: table.offer.status })
			.from(table.offer)
			.where(inArray(table.offer.id, offerIds))
			.all();
		for (const { status } of offerStatuses) expect(status).toBe('open');
		for (const label of matchLabels) {
			expect(label.offers.length).toBeGreaterThanOrEqual(1);
			expect(label.offers.length).toBeLessThanOrEqual(3);
		}
		expect(() => demoKeyToTitle('need-nowhere')).toThrow(/need-nowhere/);
	});

	it('changes nothing when seeded again', async () => {
		const before = counts(db);
		const again = await demo.seedDemoContent(db, { log: () => {} });
		expect(again.matchmaking).toEqual({ seeded: false, reason: 'not_empty' });
		expect(demoMatchmaking.seedDemoMatchmaking(db)).toEqual({
			seeded: false,
			reason: 'not_empty'
		});
		expect(counts(db)).toEqual(before);
	});
});

describe('demo matchmaking seed', () => {
	it('writes nothing without the demo organisations', () => {
		const db = freshDb();
		try {
			expect(demoMatchmaking.seedDemoMatchmaking(db)).toEqual({
				seeded: false,
				reason: 'no_demo_organisations'
			});
			expect(db.select({ n: count() }).from(table.need).get()!.n).toBe(0);
		} finally {
			db.$client.close();
		}
	});
});
