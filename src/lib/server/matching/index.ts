/**
 * Matches: for a need, the offers that fit it, partners with a track record, proven case studies
 * from similar cities and peer cities with the same need; for an offer, the needs it fits; for a
 * signed-in member, both across their organisations. Every candidate obeys the restricted
 * visibility rule (needs-offers/access.ts). Import as
 * `import * as matching from '$lib/server/matching'`.
 */
import { getLocale, type Locale } from '$lib/paraglide/runtime';
import type { Actor } from '$lib/server/auth/policy';
import type { Db } from '$lib/server/db';
import { canSee, viewerOf, type Viewer } from '$lib/server/needs-offers/access';
import {
	matchingData,
	type CaseStudyEntry,
	type MatchingData,
	type NeedEntry,
	type OfferEntry,
	type OrganisationCard,
	type PartnerEntry
} from './candidates';
import {
	compareRanked,
	describe,
	evaluateNeedCaseStudy,
	evaluateNeedOffer,
	evaluateNeedPartner,
	evaluatePeerNeed,
	isNeedActive,
	needCaseStudyTotal,
	needOfferTotal,
	peerNeedTotal,
	type Evaluation,
	type Reason
} from './score';

export { scoreNeedOffer, type MatchScore, type Reason } from './score';

/** How many matches of each kind by default, and at most. */
export const DEFAULT_LIMIT = 10;
export const MAX_LIMIT = 100;

export interface MatchOptions {
	limit?: number;
	/** Ms since the epoch (tests). */
	now?: number;
}

/** What a match card shows of the organisation behind it. */
export interface OrganisationSummary {
	id: string;
	slug: string;
	name: string;
	kind: string;
	isVerified: boolean;
	countryCode: string;
	countryName: string;
	cityName: string | null;
}

export interface ListingSummary {
	id: string;
	title: string;
	/** Restricted to verified organisations: the card says so. */
	isRestricted: boolean;
	organisation: OrganisationSummary;
}

export interface OfferSummary extends ListingSummary {
	format: string;
	deadline: string | null;
}

export interface CaseStudySummary {
	slug: string;
	title: string;
	summary: string;
	status: string;
	cityName: string | null;
	organisation: OrganisationSummary;
}

interface Scored {
	score: number;
	reasons: Reason[];
}
export type OfferMatch = Scored & { kind: 'offer'; offer: OfferSummary };
export type NeedMatch = Scored & { kind: 'need'; need: ListingSummary };
export type PartnerMatch = Scored & { kind: 'organisation'; organisation: OrganisationSummary };
export type CaseStudyMatch = Scored & { kind: 'case_study'; caseStudy: CaseStudySummary };
export type MatchItem = OfferMatch | NeedMatch | PartnerMatch | CaseStudyMatch;

export interface NeedMatches {
	offers: OfferMatch[];
	partners: PartnerMatch[];
	caseStudies: CaseStudyMatch[];
	/** Other cities' open needs on the same targets (South–South exchange). */
	peerNeeds: NeedMatch[];
}

function organisationSummary(card: OrganisationCard, locale: Locale): OrganisationSummary {
	return {
		id: card.id,
		slug: card.slug,
		name: card.name,
		kind: card.kind,
		isVerified: card.isVerified,
		countryCode: card.countryCode,
		countryName: locale === 'fr' ? card.countryNameFr : card.countryNameEn,
		cityName: card.cityName
	};
}

function needSummary(entry: NeedEntry, locale: Locale): ListingSummary {
	return {
		id: entry.profile.id,
		title: entry.title,
		isRestricted: entry.visibility !== 'public',
		organisation: organisationSummary(entry.organisation, locale)
	};
}

function offerSummary(entry: OfferEntry, locale: Locale): OfferSummary {
	const { deadline } = entry.profile;
	return {
		id: entry.profile.id,
		title: entry.title,
		format: entry.format,
		deadline: deadline === null ? null : new Date(deadline).toISOString().slice(0, 10),
		isRestricted: entry.visibility !== 'public',
		organisation: organisationSummary(entry.organisation, locale)
	};
}

function caseStudySummary(entry: CaseStudyEntry, locale: Locale): CaseStudySummary {
	return {
		slug: entry.slug,
		title: entry.title,
		summary: entry.summary,
		status: entry.status,
		cityName: entry.cityName,
		organisation: organisationSummary(entry.organisation, locale)
	};
}

const clampLimit = (limit: number | undefined) =>
	Math.max(1, Math.min(MAX_LIMIT, Math.floor(limit ?? DEFAULT_LIMIT)));

/** Marks entries already visited by the current walk over several index lists (no Set). */
let walk = 0;

/** Calls `visit` once for each distinct entry listed under any of the keys. */
function eachOf<T extends { visited: number }>(
	index: Map<string, T[]>,
	keys: readonly string[],
	visit: (entry: T) => void
): void {
	const stamp = ++walk;
	for (const key of keys) {
		const list = index.get(key);
		if (!list) continue;
		for (let i = 0; i < list.length; i += 1) {
			const entry = list[i];
			if (entry.visited === stamp) continue;
			entry.visited = stamp;
			visit(entry);
		}
	}
}

interface Ranked<T> {
	entry: T;
	id: string;
	total: number;
	createdAt: number;
}

/**
 * The best `limit` candidates so far, in the deterministic order of compareRanked. `floor` is the
 * worst total kept once the list is full: fast totals skip the text similarity of candidates that
 * cannot beat it (score.ts, PRUNED).
 */
class Best<T> {
	readonly items: Ranked<T>[] = [];
	constructor(readonly limit: number) {}

	get floor(): number {
		return this.items.length < this.limit ? -Infinity : this.items[this.items.length - 1].total;
	}

	wouldKeep(candidate: Ranked<T>): boolean {
		const items = this.items;
		return items.length < this.limit || compareRanked(candidate, items[items.length - 1]) < 0;
	}

	add(candidate: Ranked<T>): void {
		const items = this.items;
		if (!this.wouldKeep(candidate)) return;
		let at = items.length;
		while (at > 0 && compareRanked(candidate, items[at - 1]) < 0) at -= 1;
		items.splice(at, 0, candidate);
		if (items.length > this.limit) items.pop();
	}

	/** Each kept candidate evaluated in full (its parts for the reasons), only now it is shown. */
	evaluated(
		evaluate: (entry: T) => Evaluation | { excluded: string } | null
	): { entry: T; evaluation: Evaluation }[] {
		const shown: { entry: T; evaluation: Evaluation }[] = [];
		for (const { entry } of this.items) {
			const evaluation = evaluate(entry);
			if (evaluation && !('excluded' in evaluation)) shown.push({ entry, evaluation });
		}
		return shown;
	}
}

function rankOffers(
	data: MatchingData,
	viewer: Viewer,
	need: NeedEntry,
	now: number,
	limit: number
): Best<OfferEntry> {
	const best = new Best<OfferEntry>(limit);
	eachOf(data.openOffersByCooperation, need.profile.cooperationTypes, (offer) => {
		if (!canSee(viewer, offer)) return;
		const total = needOfferTotal(need.profile, offer.profile, now, best.floor);
		if (total < 0) return;
		best.add({ entry: offer, id: offer.profile.id, total, createdAt: offer.profile.createdAt });
	});
	return best;
}

/** Whether the organisation has an offer this viewer sees that fits the need. */
function isOffering(
	data: MatchingData,
	viewer: Viewer,
	need: NeedEntry,
	organisationId: string,
	now: number
): boolean {
	for (const offer of data.offersByOrganisation.get(organisationId) ?? []) {
		if (canSee(viewer, offer) && needOfferTotal(need.profile, offer.profile, now) !== -1) {
			return true;
		}
	}
	return false;
}

/**
 * Matches for a need, or null when the need does not exist or the actor may not see it (a 404,
 * never a 403). Each list is ranked by score with deterministic tie-breaks (score.ts).
 */
export function matchesForNeed(
	db: Db,
	actor: Actor,
	needId: string,
	options: MatchOptions = {}
): NeedMatches | null {
	const data = matchingData(db);
	const need = data.needs.get(needId);
	if (!need) return null;
	const viewer = viewerOf(db, actor);
	if (!canSee(viewer, need)) return null;
	return needMatches(data, viewer, need, options);
}

function needMatches(
	data: MatchingData,
	viewer: Viewer,
	need: NeedEntry,
	options: MatchOptions
): NeedMatches {
	const now = options.now ?? Date.now();
	const limit = clampLimit(options.limit);
	const locale = getLocale();
	const words = data.words;
	const place = need.profile.place;
	if (!isNeedActive(need.profile, now)) {
		return { offers: [], partners: [], caseStudies: [], peerNeeds: [] };
	}
	const offers = rankOffers(data, viewer, need, now, limit);

	const partners = new Best<PartnerEntry>(limit);
	eachOf(data.partnersByTarget, need.profile.sdgTargets, (partner) => {
		const evaluation = evaluateNeedPartner(need.profile, partner.profile);
		if (!evaluation) return;
		const candidate = {
			entry: partner,
			id: partner.organisation.slug,
			total: evaluation.total,
			createdAt: 0
		};
		// An organisation with a fitting offer is among the offers, which say more.
		if (!partners.wouldKeep(candidate)) return;
		if (isOffering(data, viewer, need, partner.profile.organisationId, now)) return;
		partners.add(candidate);
	});

	const caseStudies = new Best<CaseStudyEntry>(limit);
	eachOf(data.caseStudiesByTarget, need.profile.sdgTargets, (caseStudy) => {
		const total = needCaseStudyTotal(need.profile, caseStudy.profile, caseStudies.floor);
		if (total < 0) return;
		caseStudies.add({ entry: caseStudy, id: caseStudy.slug, total, createdAt: 0 });
	});

	const peers = new Best<NeedEntry>(limit);
	eachOf(data.activeNeedsByTarget, need.profile.sdgTargets, (peer) => {
		if (!canSee(viewer, peer)) return;
		const total = peerNeedTotal(need.profile, peer.profile, now, peers.floor);
		if (total < 0) return;
		peers.add({ entry: peer, id: peer.profile.id, total, createdAt: peer.profile.createdAt });
	});

	return {
		offers: offers
			.evaluated((offer) => evaluateNeedOffer(need.profile, offer.profile, now))
			.map(({ entry, evaluation }) => ({
				kind: 'offer',
				...describe(evaluation, {
					locale,
					place,
					words,
					vectors: [need.profile.text, entry.profile.text]
				}),
				offer: offerSummary(entry, locale)
			})),
		partners: partners
			.evaluated((partner) => evaluateNeedPartner(need.profile, partner.profile))
			.map(({ entry, evaluation }) => ({
				kind: 'organisation',
				...describe(evaluation, { locale, place, asCity: true }),
				organisation: organisationSummary(entry.organisation, locale)
			})),
		caseStudies: caseStudies
			.evaluated((caseStudy) => evaluateNeedCaseStudy(need.profile, caseStudy.profile))
			.map(({ entry, evaluation }) => ({
				kind: 'case_study',
				...describe(evaluation, {
					locale,
					place,
					words,
					vectors: [need.profile.text, entry.profile.text],
					asCity: true
				}),
				caseStudy: caseStudySummary(entry, locale)
			})),
		peerNeeds: peers
			.evaluated((peer) => evaluatePeerNeed(need.profile, peer.profile, now))
			.map(({ entry, evaluation }) => ({
				kind: 'need',
				...describe(evaluation, {
					locale,
					place,
					words,
					vectors: [need.profile.text, entry.profile.text],
					asCity: true
				}),
				need: needSummary(entry, locale)
			}))
	};
}

/** Needs an offer fits, ranked; null when the offer does not exist or the actor may not see it. */
export function matchesForOffer(
	db: Db,
	actor: Actor,
	offerId: string,
	options: MatchOptions = {}
): { needs: NeedMatch[] } | null {
	const data = matchingData(db);
	const offer = data.offers.get(offerId);
	if (!offer) return null;
	const viewer = viewerOf(db, actor);
	if (!canSee(viewer, offer)) return null;
	return offerMatches(data, viewer, offer, options);
}

function offerMatches(
	data: MatchingData,
	viewer: Viewer,
	offer: OfferEntry,
	options: MatchOptions
): { needs: NeedMatch[] } {
	const now = options.now ?? Date.now();
	const locale = getLocale();
	const ranked = new Best<NeedEntry>(clampLimit(options.limit));
	eachOf(data.activeNeedsByCooperation, offer.profile.cooperationTypes, (need) => {
		if (!canSee(viewer, need)) return;
		const total = needOfferTotal(need.profile, offer.profile, now, ranked.floor);
		if (total < 0) return;
		ranked.add({ entry: need, id: need.profile.id, total, createdAt: need.profile.createdAt });
	});
	return {
		needs: ranked
			.evaluated((need) => evaluateNeedOffer(need.profile, offer.profile, now))
			.map(({ entry, evaluation }) => ({
				kind: 'need',
				...describe(evaluation, {
					locale,
					place: entry.profile.place,
					words: data.words,
					vectors: [entry.profile.text, offer.profile.text]
				}),
				need: needSummary(entry, locale)
			}))
	};
}

export interface OrganisationMatches {
	/** The actor's organisations' active needs, each with its best offers. */
	needs: { need: ListingSummary; offers: OfferMatch[] }[];
	/** Their open offers, each with the needs it fits best. */
	offers: { offer: OfferSummary; needs: NeedMatch[] }[];
	/** Whether the actor belongs to any organisation (the page explains what to do if not). */
	hasOrganisation: boolean;
}

/**
 * "Matches for you": for each active need and open offer of the actor's organisations (newest
 * first), its best matches (3 by default).
 */
export function matchesForOrganisations(
	db: Db,
	actor: Actor,
	options: MatchOptions = {}
): OrganisationMatches {
	const viewer = viewerOf(db, actor);
	const result: OrganisationMatches = {
		needs: [],
		offers: [],
		hasOrganisation: viewer.memberOf.length > 0
	};
	if (!actor) return result;
	const data = matchingData(db);
	const now = options.now ?? Date.now();
	const perListing = { limit: options.limit ?? 3, now };
	const locale = getLocale();
	const newestFirst = <T extends { profile: { createdAt: number; id: string } }>(a: T, b: T) =>
		b.profile.createdAt - a.profile.createdAt ||
		(a.profile.id < b.profile.id ? -1 : a.profile.id > b.profile.id ? 1 : 0);
	const needs = viewer.memberOf
		.flatMap((organisationId) => data.needsByOrganisation.get(organisationId) ?? [])
		.filter((need) => isNeedActive(need.profile, now))
		.sort(newestFirst);
	for (const need of needs) {
		result.needs.push({
			need: needSummary(need, locale),
			offers: needMatches(data, viewer, need, perListing).offers
		});
	}
	const offers = viewer.memberOf
		.flatMap((organisationId) => data.offersByOrganisation.get(organisationId) ?? [])
		.filter(
			(offer) =>
				offer.profile.status === 'open' &&
				(offer.profile.deadline === null || offer.profile.deadline >= now)
		)
		.sort(newestFirst);
	for (const offer of offers) {
		result.offers.push({
			offer: offerSummary(offer, locale),
			needs: offerMatches(data, viewer, offer, perListing).needs
		});
	}
	return result;
}
