import { and, count, eq, gt, inArray, max } from 'drizzle-orm';
import { z } from 'zod';
import needData from '../../../db/demo/needs.json';
import offerData from '../../../db/demo/offers.json';
import partnershipData from '../../../db/demo/partnerships.json';
import type { Actor } from '$lib/server/auth/policy';
import type { Db } from '$lib/server/db';
import * as table from '$lib/server/db/schema';
import { organisationsByKey } from '$lib/server/demo-case-studies';
import * as listings from '$lib/server/needs-offers';
import * as partnerships from '$lib/server/partnerships';
import {
	needStatuses,
	offerStatuses,
	partnershipStatuses,
	partyRoles
} from '$lib/vocab/matchmaking';

/*
 * The demo needs, offers, introductions and partnerships (db/demo/needs.json, offers.json,
 * partnerships.json; see db/demo/matchmaking.README.md), written through the same needs-offers
 * and partnerships functions the site uses, by the owners of the demo organisations, each at the
 * date the file gives (days before today), so the history reads as it would have happened.
 * Seeded once, into a database without needs or offers, after the demo organisations and case
 * studies exist.
 */

const DAY = 24 * 60 * 60 * 1000;
const key = (prefix: string) => z.string().regex(new RegExp(`^${prefix}-[a-z0-9-]+$`));
const days = z.number().int().min(0).max(2000);
const daysAhead = z.number().int().min(1).max(730);

/** The fields the seed reads itself; the content is checked by `needInput`. */
const demoNeedSchema = z.looseObject({
	key: key('need'),
	owner: z.string(),
	status: z.enum(needStatuses),
	expiresInDays: daysAhead,
	createdDaysAgo: days
});

/** The fields the seed reads itself; the content is checked by `offerInput`. */
const demoOfferSchema = z.looseObject({
	key: key('offer'),
	owner: z.string(),
	status: z.enum(offerStatuses),
	deadlineInDays: daysAhead.optional(),
	createdDaysAgo: days
});

const demoEventSchema = z.object({
	daysAgo: days,
	by: z.string(),
	status: z.enum(partnershipStatuses).optional(),
	reason: z.string().optional(),
	body: z.string().optional()
});

const demoPartnershipSchema = z.object({
	key: key('partnership'),
	title: z.string().min(5).max(150),
	description: z.string(),
	status: z.enum(partnershipStatuses),
	need: key('need'),
	offer: key('offer').nullable(),
	/** The partner asked when there is no offer. */
	partner: z.string().optional(),
	requestedBy: z.string(),
	introduction: z.object({
		message: z.string(),
		requestedDaysAgo: days,
		acceptance: z.string(),
		acceptedDaysAgo: days
	}),
	/** The need's city and the other side first, as accepting an introduction makes them. */
	parties: z
		.array(z.object({ organisation: z.string(), role: z.enum(partyRoles), consents: z.boolean() }))
		.min(2),
	caseStudies: z.array(z.string()),
	events: z.array(demoEventSchema),
	milestones: z.array(
		z.object({
			title: z.string(),
			dueInDays: z.number().int().optional(),
			doneDaysAgo: days.optional()
		})
	),
	milestonesDaysAgo: days.optional(),
	results: z.array(z.looseObject({})),
	resultsDaysAgo: days.optional()
});

const demoIntroductionSchema = z.object({
	need: key('need'),
	offer: key('offer'),
	requestedBy: z.string(),
	daysAgo: days,
	message: z.string(),
	decision: z.enum(['accept', 'decline']).optional(),
	decidedDaysAgo: days.optional(),
	note: z.string().optional()
});

export type DemoNeed = z.output<typeof demoNeedSchema>;
export type DemoOffer = z.output<typeof demoOfferSchema>;
export type DemoPartnership = z.output<typeof demoPartnershipSchema>;
export type DemoIntroduction = z.output<typeof demoIntroductionSchema>;

/** The demo matchmaking data, checked when first used so a typo fails loudly. */
export function demoMatchmaking() {
	const needs = z.array(demoNeedSchema).parse(needData);
	const offers = z.array(demoOfferSchema).parse(offerData);
	const { partnerships: partnershipList, introductions } = z
		.object({
			partnerships: z.array(demoPartnershipSchema),
			introductions: z.array(demoIntroductionSchema)
		})
		.parse(partnershipData);
	const keys = [...needs, ...offers, ...partnershipList].map((entry) => entry.key);
	if (new Set(keys).size !== keys.length) throw new Error('Demo matchmaking keys must be unique.');
	const needKeys = new Set(needs.map((n) => n.key));
	const offerKeys = new Set(offers.map((o) => o.key));
	for (const link of [...partnershipList, ...introductions]) {
		if (!needKeys.has(link.need)) throw new Error(`Unknown demo need "${link.need}".`);
		if (link.offer && !offerKeys.has(link.offer)) {
			throw new Error(`Unknown demo offer "${link.offer}".`);
		}
	}
	return { needs, offers, partnerships: partnershipList, introductions };
}

export type DemoMatchmaking = ReturnType<typeof demoMatchmaking>;

const daysAgo = (now: Date, n: number) => new Date(now.getTime() - n * DAY);
const isoDay = (date: Date) => date.toISOString().slice(0, 10);

/** A demo need as the need form would send it, its expiry counted from today. */
export function needInputOf(entry: DemoNeed, now = new Date()): listings.NeedInput {
	return listings.needInput.parse({
		...entry,
		expiresOn: isoDay(new Date(now.getTime() + entry.expiresInDays * DAY))
	});
}

/** A demo offer as the offer form would send it, its deadline counted from today. */
export function offerInputOf(entry: DemoOffer, now = new Date()): listings.OfferInput {
	return listings.offerInput.parse({
		...entry,
		deadline:
			entry.deadlineInDays === undefined
				? null
				: isoDay(new Date(now.getTime() + entry.deadlineInDays * DAY))
	});
}

/** Milestone rows with dates counted from today (negative `dueInDays`: in the past). */
export function milestoneRowsOf(entry: DemoPartnership, now = new Date()) {
	return entry.milestones.map((milestone) => ({
		title: milestone.title,
		dueOn:
			milestone.dueInDays === undefined
				? null
				: isoDay(new Date(now.getTime() + milestone.dueInDays * DAY)),
		doneOn: milestone.doneDaysAgo === undefined ? null : isoDay(daysAgo(now, milestone.doneDaysAgo))
	}));
}

/** Result rows dated the year they were recorded. */
export function resultRowsOf(entry: DemoPartnership, now = new Date()) {
	const year = daysAgo(now, entry.resultsDaysAgo ?? 0).getUTCFullYear();
	return entry.results.map((row) => ({ year, ...row }));
}

export type DemoMatchmakingSeedResult =
	| {
			seeded: true;
			needs: number;
			offers: number;
			partnerships: number;
			introductions: number;
			milliseconds: number;
	  }
	| { seeded: false; reason: 'not_empty' | 'no_demo_organisations' };

function listingCount(db: Db): number {
	const needs = db.select({ n: count() }).from(table.need).get()?.n ?? 0;
	const offers = db.select({ n: count() }).from(table.offer).get()?.n ?? 0;
	return needs + offers;
}

function lastIds(db: Db) {
	const email = db
		.select({ id: max(table.emailOutbox.id) })
		.from(table.emailOutbox)
		.get()?.id;
	const notification = db
		.select({ id: max(table.notification.id) })
		.from(table.notification)
		.get()?.id;
	return { email: email ?? 0, notification: notification ?? 0 };
}

type DemoOrganisations = Map<string, { id: string; owner: Actor }>;

/**
 * Seeds the demo needs, offers, partnerships and introductions when there are no needs or
 * offers and the demo organisations exist, in one transaction (the domain functions' own
 * transactions nest as savepoints).
 */
export function seedDemoMatchmaking(
	db: Db,
	options: { now?: Date } = {}
): DemoMatchmakingSeedResult {
	if (listingCount(db) > 0) return { seeded: false, reason: 'not_empty' };
	const started = performance.now();
	const now = options.now ?? new Date();
	const data = demoMatchmaking();
	const keys = [
		...new Set([
			...data.needs.map((n) => n.owner),
			...data.offers.map((o) => o.owner),
			...data.partnerships.flatMap((p) => p.parties.map((party) => party.organisation)),
			...data.introductions.map((i) => i.requestedBy)
		])
	];
	const organisations = organisationsByKey(db, keys);
	// A database that had other organisations before demo mode: no demo authors to write as.
	if (organisations.size < keys.length) return { seeded: false, reason: 'no_demo_organisations' };

	const client = db.$client;
	// IMMEDIATE: the emptiness check and the writes cannot interleave with another writer.
	client.exec('BEGIN IMMEDIATE');
	try {
		if (listingCount(db) > 0) {
			client.exec('ROLLBACK');
			return { seeded: false, reason: 'not_empty' };
		}
		const before = lastIds(db);
		writeMatchmaking(db, data, organisations, now);
		// The domain functions queued emails for every step of the history; a demo start sends
		// nothing (as for the demo organisations).
		db.delete(table.emailOutbox).where(gt(table.emailOutbox.id, before.email)).run();
		client.exec('COMMIT');
		return {
			seeded: true,
			needs: data.needs.length,
			offers: data.offers.length,
			partnerships: data.partnerships.length,
			introductions: data.introductions.length,
			milliseconds: Math.round(performance.now() - started)
		};
	} catch (error) {
		if (client.inTransaction) client.exec('ROLLBACK');
		throw error;
	}
}

function writeMatchmaking(
	db: Db,
	data: DemoMatchmaking,
	organisations: DemoOrganisations,
	now: Date
) {
	const organisationOf = (organisationKey: string) => organisations.get(organisationKey)!;
	const ownerOf = (organisationKey: string) => organisationOf(organisationKey).owner;

	/** Posts each listing as its organisation's owner on the day the file gives; ids by key. */
	function post<Entry extends DemoNeed | DemoOffer>(
		entries: Entry[],
		create: (owner: { id: string; owner: Actor }, entry: Entry, at: Date) => { id: string }
	) {
		return new Map(
			entries.map((entry) => [
				entry.key,
				create(organisationOf(entry.owner), entry, daysAgo(now, entry.createdDaysAgo)).id
			])
		);
	}
	const needIds = post(data.needs, (owner, entry, at) =>
		listings.createNeed(db, owner.owner, owner.id, needInputOf(entry, now), at)
	);
	const offerIds = post(data.offers, (owner, entry, at) =>
		listings.createOffer(db, owner.owner, owner.id, offerInputOf(entry, now), at)
	);

	const slugs = new Map(
		db
			.select({ id: table.organisation.id, slug: table.organisation.slug })
			.from(table.organisation)
			.where(
				inArray(
					table.organisation.id,
					[...organisations.values()].map((o) => o.id)
				)
			)
			.all()
			.map((row) => [row.id, row.slug])
	);
	const caseSlugs = data.partnerships.flatMap((p) => p.caseStudies);
	const caseIds = new Map(
		caseSlugs.length === 0
			? []
			: db
					.select({ id: table.caseStudy.id, slug: table.caseStudy.slug })
					.from(table.caseStudy)
					.where(inArray(table.caseStudy.slug, caseSlugs))
					.all()
					.map((row) => [row.slug, row.id])
	);

	// The history happened in the past: its in-app notifications are not news to anyone.
	const notificationsBefore = lastIds(db).notification;
	for (const entry of data.partnerships) {
		writePartnership(db, entry, {
			organisationOf,
			needId: needIds.get(entry.need)!,
			offerId: entry.offer ? offerIds.get(entry.offer)! : null,
			partnerSlug: entry.partner ? slugs.get(organisationOf(entry.partner).id)! : null,
			caseIds,
			now
		});
	}
	db.delete(table.notification).where(gt(table.notification.id, notificationsBefore)).run();

	// Introductions still waiting (and one declined), whose notifications people should see,
	// dated when they were sent.
	for (const entry of data.introductions) {
		const from = organisationOf(entry.requestedBy);
		const requestedAt = daysAgo(now, entry.daysAgo);
		const notificationsBeforeRequest = lastIds(db).notification;
		const { id } = partnerships.requestIntroduction(
			db,
			from.owner,
			{
				fromOrganisationId: from.id,
				needId: needIds.get(entry.need)!,
				offerId: offerIds.get(entry.offer)!,
				message: entry.message
			},
			requestedAt
		);
		backdateNotifications(db, notificationsBeforeRequest, requestedAt);
		if (entry.decision) {
			const answeredAt = daysAgo(now, entry.decidedDaysAgo ?? entry.daysAgo);
			const asked = data.needs.find((n) => n.key === entry.need)!.owner;
			const askedOwner =
				asked === entry.requestedBy
					? ownerOf(data.offers.find((o) => o.key === entry.offer)!.owner)
					: ownerOf(asked);
			const notificationsBeforeAnswer = lastIds(db).notification;
			partnerships.respondToIntroduction(
				db,
				askedOwner,
				id,
				{ decision: entry.decision, note: entry.note ?? '' },
				answeredAt
			);
			backdateNotifications(db, notificationsBeforeAnswer, answeredAt);
		}
	}

	// Statuses the file gives that the history did not already set (closed after completion,
	// a need marked in discussion while an introduction waits, a closed offer round).
	for (const entry of data.needs) {
		const id = needIds.get(entry.key)!;
		const current = db
			.select({ status: table.need.status })
			.from(table.need)
			.where(eq(table.need.id, id))
			.get()!.status;
		if (current !== entry.status) {
			listings.setNeedStatus(db, ownerOf(entry.owner), id, entry.status, now);
		}
	}
	for (const entry of data.offers) {
		if (entry.status !== 'open') {
			listings.setOfferStatus(
				db,
				ownerOf(entry.owner),
				offerIds.get(entry.key)!,
				entry.status,
				now
			);
		}
	}
}

/**
 * `notifyOrganisation` dates its rows when they are written; a replayed step gets the date it
 * happened. Written directly: no domain function sets a notification's date.
 */
function backdateNotifications(db: Db, afterId: number, at: Date) {
	db.update(table.notification)
		.set({ createdAt: at })
		.where(gt(table.notification.id, afterId))
		.run();
}

function writePartnership(
	db: Db,
	entry: DemoPartnership,
	context: {
		organisationOf: (organisationKey: string) => { id: string; owner: Actor };
		needId: string;
		offerId: string | null;
		partnerSlug: string | null;
		caseIds: Map<string, string>;
		now: Date;
	}
) {
	const { organisationOf, now } = context;
	const from = organisationOf(entry.requestedBy);
	const askedKey = entry.parties
		.slice(0, 2)
		.map((party) => party.organisation)
		.find((organisationKey) => organisationKey !== entry.requestedBy)!;
	const { id: introductionId } = partnerships.requestIntroduction(
		db,
		from.owner,
		{
			fromOrganisationId: from.id,
			needId: context.needId,
			offerId: context.offerId,
			toOrganisationSlug: context.partnerSlug,
			message: entry.introduction.message
		},
		daysAgo(now, entry.introduction.requestedDaysAgo)
	);
	const { partnershipId } = partnerships.respondToIntroduction(
		db,
		organisationOf(askedKey).owner,
		introductionId,
		{ decision: 'accept', note: entry.introduction.acceptance },
		daysAgo(now, entry.introduction.acceptedDaysAgo)
	);
	const id = partnershipId!;

	// What accepting cannot say, written directly (no domain function edits these): the
	// partnership's own title and description, roles other than beneficiary and lead, parties
	// beyond the two sides of the introduction, and the case studies it drew on. Each party's
	// consent to publish is part of the record as it stands today; `setConsent` would also notify
	// the other parties of a decision nobody is waiting for, so it is written here too.
	db.update(table.partnership)
		.set({ title: entry.title, description: entry.description })
		.where(eq(table.partnership.id, id))
		.run();
	entry.parties.forEach((party, position) => {
		const organisationId = organisationOf(party.organisation).id;
		const values = { role: party.role, position, consentsToPublish: party.consents };
		if (position < 2) {
			db.update(table.partnershipParty)
				.set(values)
				.where(
					and(
						eq(table.partnershipParty.partnershipId, id),
						eq(table.partnershipParty.organisationId, organisationId)
					)
				)
				.run();
		} else {
			db.insert(table.partnershipParty)
				.values({ partnershipId: id, organisationId, ...values })
				.run();
		}
	});
	const caseRows = entry.caseStudies.flatMap((slug) => {
		const caseStudyId = context.caseIds.get(slug);
		return caseStudyId ? [{ partnershipId: id, caseStudyId }] : [];
	});
	if (caseRows.length > 0) db.insert(table.partnershipCaseStudy).values(caseRows).run();

	// Then the history in date order; milestones and results recorded on a day come before
	// that day's status change (completing needs results).
	const steps: { daysAgo: number; order: number; run: (at: Date) => void }[] = [];
	const first = entry.parties[0].organisation;
	if (entry.milestones.length > 0) {
		steps.push({
			daysAgo: entry.milestonesDaysAgo ?? entry.introduction.acceptedDaysAgo,
			order: 0,
			run: (at) =>
				partnerships.saveMilestones(
					db,
					organisationOf(first).owner,
					id,
					milestoneRowsOf(entry, now),
					at
				)
		});
	}
	if (entry.results.length > 0) {
		steps.push({
			daysAgo: entry.resultsDaysAgo ?? 0,
			order: 0,
			run: (at) =>
				partnerships.saveResults(db, organisationOf(first).owner, id, resultRowsOf(entry, now), at)
		});
	}
	for (const event of entry.events) {
		const by = organisationOf(event.by);
		steps.push({
			daysAgo: event.daysAgo,
			order: 1,
			run: (at) =>
				event.status
					? partnerships.changeStatus(
							db,
							by.owner,
							id,
							{ to: event.status, reason: event.reason ?? '', note: event.body ?? '' },
							at
						)
					: partnerships.postUpdate(
							db,
							by.owner,
							id,
							{ organisationId: by.id, body: event.body ?? '' },
							at
						)
		});
	}
	steps.sort((a, b) => b.daysAgo - a.daysAgo || a.order - b.order);
	for (const step of steps) step.run(daysAgo(now, step.daysAgo));
}
