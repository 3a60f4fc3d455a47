/**
 * An organisation's portfolio for its members (issue 6): its partnerships with status, freshness,
 * consent and results, and its needs and offers with their best matches. Members see everything
 * of their own organisation (private partnerships, restricted listings); the matches obey the
 * restricted visibility rule for the member as everywhere else. Import as
 * `import * as portfolios from '$lib/server/portfolio'`.
 */
import { asc, desc, eq, inArray, sql } from 'drizzle-orm';
import { authorize, can, type Actor } from '$lib/server/auth/policy';
import type { Db } from '$lib/server/db';
import * as table from '$lib/server/db/schema';
import * as matching from '$lib/server/matching';
import * as listings from '$lib/server/needs-offers';
import * as organisations from '$lib/server/organisations';
import * as partnerships from '$lib/server/partnerships';
import {
	needStatuses,
	offerStatuses,
	partnershipStatuses,
	type NeedStatus,
	type OfferStatus,
	type PartnershipStatus
} from '$lib/vocab/matchmaking';

/** The page stays small: at most this many of each, with a link to the full lists. */
export const PARTNERSHIP_LIMIT = 20;
export const LISTING_LIMIT = 10;
export const MATCHES_PER_LISTING = 3;
export const RESULTS_PER_PARTNERSHIP = 3;
/** An open need or offer ending within this many days is flagged, so members can extend it. */
export const ENDS_SOON_DAYS = 14;

const DAY_MS = 86_400_000;

/** A match as the portfolio shows it: what, whose, how good, and the main reason. */
export type PortfolioMatch = {
	kind: 'need' | 'offer';
	id: string;
	title: string;
	organisationName: string;
	isRestricted: boolean;
	score: number;
	/** The first (strongest) reason in plain words; null when the match gives none. */
	reason: string | null;
};

/** Each status with its count, in the vocabulary's order; zero counts left out. */
function countByStatus<S extends string>(statuses: readonly S[], rows: { status: S }[]) {
	return statuses
		.map((status) => ({ status, count: rows.filter((row) => row.status === status).length }))
		.filter((entry) => entry.count > 0);
}

const isFinished = (status: PartnershipStatus) =>
	status === 'completed' || status === 'discontinued';

/** Whether an open listing ends (need expiry, offer deadline) within ENDS_SOON_DAYS. */
const endsSoon = (isOpen: boolean, end: Date | null, now: Date) =>
	isOpen && end !== null && end.getTime() - now.getTime() <= ENDS_SOON_DAYS * DAY_MS;

/** Consent to publish of each partnership: how many parties consent, and whether this one does. */
function consentOf(db: Db, ids: string[], organisationId: string) {
	const byId = new Map<string, { consenting: number; parties: number; ownConsent: boolean }>();
	if (ids.length === 0) return byId;
	const rows = db
		.select({
			partnershipId: table.partnershipParty.partnershipId,
			organisationId: table.partnershipParty.organisationId,
			consentsToPublish: table.partnershipParty.consentsToPublish
		})
		.from(table.partnershipParty)
		.where(inArray(table.partnershipParty.partnershipId, ids))
		.all();
	for (const row of rows) {
		const entry = byId.get(row.partnershipId) ?? { consenting: 0, parties: 0, ownConsent: false };
		entry.parties += 1;
		if (row.consentsToPublish) entry.consenting += 1;
		if (row.organisationId === organisationId) entry.ownConsent = row.consentsToPublish;
		byId.set(row.partnershipId, entry);
	}
	return byId;
}

/** The latest results of each partnership (most recent year first), and how many there are. */
function latestResultsOf(db: Db, ids: string[]) {
	const byId = new Map<
		string,
		{
			total: number;
			latest: {
				indicator: string;
				baseline: string;
				result: string;
				unit: string;
				year: number | null;
			}[];
		}
	>();
	if (ids.length === 0) return byId;
	const rows = db
		.select({
			partnershipId: table.partnershipResult.partnershipId,
			indicator: table.partnershipResult.indicator,
			baseline: table.partnershipResult.baseline,
			result: table.partnershipResult.result,
			unit: table.partnershipResult.unit,
			year: table.partnershipResult.year
		})
		.from(table.partnershipResult)
		.where(inArray(table.partnershipResult.partnershipId, ids))
		.orderBy(
			sql`${table.partnershipResult.year} is null`,
			desc(table.partnershipResult.year),
			asc(table.partnershipResult.position)
		)
		.all();
	for (const { partnershipId, ...result } of rows) {
		const entry = byId.get(partnershipId) ?? { total: 0, latest: [] };
		entry.total += 1;
		if (entry.latest.length < RESULTS_PER_PARTNERSHIP) entry.latest.push(result);
		byId.set(partnershipId, entry);
	}
	return byId;
}

function partnershipSection(
	db: Db,
	actor: Actor,
	organisation: { id: string; slug: string },
	now: Date
) {
	const all = partnerships.partnershipsOfOrganisation(db, actor, organisation.id, now);
	// What needs attention first: stale open ones, then other open ones, then finished ones.
	const rank = (item: (typeof all)[number]) => (isFinished(item.status) ? 2 : item.isStale ? 0 : 1);
	const ordered = all
		.map((item, index) => ({ item, index }))
		.sort((a, b) => rank(a.item) - rank(b.item) || a.index - b.index)
		.map(({ item }) => item);
	const shown = ordered.slice(0, PARTNERSHIP_LIMIT);
	const ids = shown.map((item) => item.id);
	const consent = consentOf(db, ids, organisation.id);
	const results = latestResultsOf(db, ids);
	return {
		total: all.length,
		byStatus: countByStatus(partnershipStatuses, all),
		staleCount: all.filter((item) => item.isStale).length,
		privateCount: all.filter((item) => !item.isPublic).length,
		items: shown.map((item) => ({
			id: item.id,
			title: item.title,
			status: item.status,
			role: item.role,
			lastActivityAt: item.lastActivityAt,
			isStale: item.isStale,
			isPublic: item.isPublic,
			consent: consent.get(item.id) ?? { consenting: 0, parties: 0, ownConsent: false },
			otherParties: item.parties
				.filter((party) => party.slug !== organisation.slug)
				.map(({ slug, name, role }) => ({ slug, name, role })),
			results: results.get(item.id) ?? { total: 0, latest: [] }
		}))
	};
}

function matchOf(
	kind: 'need' | 'offer',
	item: { score: number; reasons: { label: string }[] },
	listing: matching.ListingSummary
): PortfolioMatch {
	return {
		kind,
		id: listing.id,
		title: listing.title,
		organisationName: listing.organisation.name,
		isRestricted: listing.isRestricted,
		score: item.score,
		reason: item.reasons[0]?.label ?? null
	};
}

/**
 * A section of needs or offers: counts over all of them, the first LISTING_LIMIT with their end
 * date flags and, for open ones, their best matches (matching leaves the others out).
 */
function listingSection<S extends string>(
	rows: {
		id: string;
		title: string;
		status: S;
		visibility: string;
		isOpen: boolean;
		isExpired: boolean;
		endsAt: Date | null;
	}[],
	statuses: readonly S[],
	matchesOf: (id: string) => PortfolioMatch[],
	now: Date
) {
	return {
		total: rows.length,
		byStatus: countByStatus(statuses, rows),
		expiredCount: rows.filter((row) => row.status === 'open' && row.isExpired).length,
		items: rows.slice(0, LISTING_LIMIT).map((row) => ({
			id: row.id,
			title: row.title,
			status: row.status,
			isRestricted: row.visibility === 'verified',
			isOpen: row.isOpen,
			isExpired: row.isExpired,
			endsAt: row.endsAt,
			endsSoon: endsSoon(row.isOpen, row.endsAt, now),
			matches: row.isOpen ? matchesOf(row.id) : null
		}))
	};
}

function needSection(db: Db, actor: Actor, organisationId: string, now: Date) {
	const options = { limit: MATCHES_PER_LISTING, now: now.getTime() };
	return listingSection<NeedStatus>(
		listings
			.needsOfOrganisation(db, actor, organisationId, now)
			.map((need) => ({ ...need, endsAt: need.expiresAt })),
		needStatuses,
		(id) =>
			(matching.matchesForNeed(db, actor, id, options)?.offers ?? []).map((match) =>
				matchOf('offer', match, match.offer)
			),
		now
	);
}

function offerSection(db: Db, actor: Actor, organisationId: string, now: Date) {
	const options = { limit: MATCHES_PER_LISTING, now: now.getTime() };
	return listingSection<OfferStatus>(
		listings
			.offersOfOrganisation(db, actor, organisationId, now)
			.map((offer) => ({ ...offer, endsAt: offer.deadline })),
		offerStatuses,
		(id) =>
			(matching.matchesForOffer(db, actor, id, options)?.needs ?? []).map((match) =>
				matchOf('need', match, match.need)
			),
		now
	);
}

/**
 * The portfolio of one organisation for a member (or a moderator): throws 401/403 through the
 * policy module for anyone else, and returns null when the organisation does not exist.
 */
export function portfolio(db: Db, actor: Actor, organisationId: string, now = new Date()) {
	const role = organisations.roleOf(db, organisationId, actor?.id);
	authorize(actor, 'portfolio:view', { organisationRole: role });
	const organisation = db
		.select({
			id: table.organisation.id,
			slug: table.organisation.slug,
			name: table.organisation.name,
			kind: table.organisation.kind
		})
		.from(table.organisation)
		.where(eq(table.organisation.id, organisationId))
		.get();
	if (!organisation) return null;
	const context = { organisationRole: role };
	const isCity = organisation.kind === 'city';
	return {
		organisation: { slug: organisation.slug, name: organisation.name, isCity },
		isMember: role !== null,
		canPostNeed: isCity && can(actor, 'need:create', context),
		canPostOffer: can(actor, 'offer:create', context),
		partnerships: partnershipSection(db, actor, organisation, now),
		needs: needSection(db, actor, organisationId, now),
		offers: offerSection(db, actor, organisationId, now),
		limits: {
			partnerships: PARTNERSHIP_LIMIT,
			listings: LISTING_LIMIT,
			endsSoonDays: ENDS_SOON_DAYS,
			staleAfterMonths: partnerships.STALE_AFTER_MONTHS
		}
	};
}
export type Portfolio = NonNullable<ReturnType<typeof portfolio>>;
