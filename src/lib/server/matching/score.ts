/**
 * The matching score: pure functions over profiles (what candidates.ts loads), no database. A
 * need–offer pair is either excluded by a hard rule or scored 0–100 with the reasons behind the
 * score, each with its share. `evaluateNeedOffer` is the fast part (numbers only) used to rank
 * every candidate; `describe` (words.ts) turns the few shown into plain words.
 */
import type { Locale } from '$lib/paraglide/runtime';
import type { NeedStatus, OfferStatus } from '$lib/vocab/matchmaking';
import { cosine, type SparseVector } from './text';
import { describe } from './words';
import {
	caseStudyWeights,
	closingSoonDays,
	fullTextCosine,
	fullTrackRecord,
	fullValidations,
	geographyShares,
	needOfferWeights,
	openEligibilityShare,
	overlapBlend,
	partnerWeights,
	partnershipTrackRecordFactor,
	peerNeedWeights
} from './weights';

const DAY_MS = 86_400_000;

/** Where an organisation is, from the reference data. */
export interface Place {
	countryCode: string;
	countryName: string;
	regionCode: string | null;
	subregionCode: string | null;
	incomeGroup: string | null;
	isLdc: boolean;
}

/**
 * An organisation's proof of delivery: the SDG targets of each of its published case studies and
 * of each public, completed partnership it delivered (as a party other than the beneficiary).
 */
export interface TrackRecord {
	caseStudies: readonly (readonly string[])[];
	partnerships: readonly (readonly string[])[];
}

export const noTrackRecord: TrackRecord = { caseStudies: [], partnerships: [] };

export interface NeedProfile {
	id: string;
	organisationId: string;
	status: NeedStatus;
	/** Ms since the epoch; the need is expired from then on. */
	expiresAt: number;
	createdAt: number;
	themes: readonly string[];
	sdgTargets: readonly string[];
	cooperationTypes: readonly string[];
	/** The need's languages, or its organisation's when it names none. */
	languages: readonly string[];
	place: Place;
	text: SparseVector;
}

export interface OfferProfile {
	id: string;
	organisationId: string;
	status: OfferStatus;
	/** Last day to apply (its last millisecond, UTC); null: open-ended. */
	deadline: number | null;
	createdAt: number;
	themes: readonly string[];
	sdgTargets: readonly string[];
	cooperationTypes: readonly string[];
	/** The offer's languages, or its organisation's when it names none. */
	languages: readonly string[];
	isGlobal: boolean;
	/** M49 region or sub-region codes. */
	regions: readonly string[];
	/** ISO alpha-2 codes. */
	countries: readonly string[];
	capacity: number | null;
	/** Partnerships made from this offer that were not discontinued. */
	capacityUsed: number;
	eligibleIncomeGroups: readonly string[];
	onlyLeastDeveloped: boolean;
	text: SparseVector;
	trackRecord: TrackRecord;
}

export interface MatchContext {
	/** Ms since the epoch: what "expired" and "closing soon" are measured against. */
	now: number;
	/** Language of the labels; the request's by default. */
	locale?: Locale;
	/** The term of each text vector id (text.ts), to name the shared words. */
	words?: readonly string[];
}

export const reasonCodes = [
	'sdg_targets',
	'themes',
	'cooperation',
	'geography',
	'language',
	'text',
	'track_record',
	'eligibility',
	'availability',
	'income_group',
	'validations'
] as const;
export type ReasonCode = (typeof reasonCodes)[number];

export const exclusionCodes = [
	'need_closed',
	'need_expired',
	'offer_closed',
	'offer_expired',
	'same_organisation',
	'no_common_cooperation',
	'not_served',
	'not_eligible',
	'no_capacity'
] as const;
export type ExclusionCode = (typeof exclusionCodes)[number];

export interface Reason {
	code: ReasonCode;
	/** In plain words, e.g. "Shares SDG target 11.2". */
	label: string;
	/** Its share of the score, 0–1 (the shares of a match add up to 1). */
	weight: number;
	detail: {
		/** The criterion's name, e.g. "SDG targets". */
		criterion: string;
		/** Points it adds to the score (out of 100). */
		points: number;
		/** What it found in common: SDG target, theme, cooperation type, language or place codes. */
		values: string[];
	};
}

export type Scored = { score: number; reasons: Reason[] };
export type MatchScore = Scored | { excluded: ExclusionCode };

/** What a criterion awarded, before it is put in words. */
export interface Part {
	code: ReasonCode;
	points: number;
	/** What the words say: shared ids, a place, counts. */
	values: readonly string[];
	count?: number;
	/** Second list (partnerships' targets for a track record, the deadline for availability). */
	more?: readonly string[];
	moreCount?: number;
}

export interface Evaluation {
	/** Unrounded sum of the parts: the tie-break under equal rounded scores. */
	total: number;
	parts: Part[];
}

const activeNeedStatuses: ReadonlySet<NeedStatus> = new Set(['open', 'in_discussion']);

export function isNeedActive(need: Pick<NeedProfile, 'status' | 'expiresAt'>, now: number) {
	return activeNeedStatuses.has(need.status) && need.expiresAt > now;
}

/** The deadline is the last day to apply, stored as its last millisecond (23:59:59.999 UTC). */
export function isOfferExpired(offer: Pick<OfferProfile, 'deadline'>, now: number) {
	return offer.deadline !== null && offer.deadline < now;
}

/** Shared values of two tag lists, in the first list's order. */
export function shared(a: readonly string[], b: readonly string[]): string[] {
	if (a.length === 0 || b.length === 0) return [];
	return a.filter((value) => b.includes(value));
}

/** Overlap of the need's tags with the other side's, 0–1 (weights.ts: coverage and focus). */
export function overlap(needTags: readonly string[], otherTags: readonly string[], common: number) {
	if (common === 0) return 0;
	return (
		overlapBlend.coverage * (common / needTags.length) +
		overlapBlend.focus * (common / otherTags.length)
	);
}

/** How precisely the offer names the city's place; null when it does not serve it. */
function servedPlace(
	offer: Pick<OfferProfile, 'countries' | 'regions' | 'isGlobal'>,
	place: Place
): { share: number; value: string; kind: 'country' | 'subregion' | 'region' | 'global' } | null {
	if (offer.countries.includes(place.countryCode)) {
		return { share: geographyShares.country, value: place.countryCode, kind: 'country' };
	}
	if (place.subregionCode && offer.regions.includes(place.subregionCode)) {
		return { share: geographyShares.subregion, value: place.subregionCode, kind: 'subregion' };
	}
	if (place.regionCode && offer.regions.includes(place.regionCode)) {
		return { share: geographyShares.region, value: place.regionCode, kind: 'region' };
	}
	if (offer.isGlobal) return { share: geographyShares.global, value: '', kind: 'global' };
	return null;
}

/** Items of a track record on at least one of the targets, and the targets they cover. */
function recordOn(items: readonly (readonly string[])[], targets: readonly string[]) {
	let count = 0;
	const covered = new Set<string>();
	for (const itemTargets of items) {
		let hit = false;
		for (const target of itemTargets) {
			if (targets.includes(target)) {
				hit = true;
				covered.add(target);
			}
		}
		if (hit) count += 1;
	}
	return { count, targets: targets.filter((target) => covered.has(target)) };
}

function trackRecordPart(record: TrackRecord, targets: readonly string[], weight: number): Part {
	const cases = recordOn(record.caseStudies, targets);
	const partnerships = recordOn(record.partnerships, targets);
	const proof = cases.count + partnershipTrackRecordFactor * partnerships.count;
	return {
		code: 'track_record',
		points: weight * Math.min(1, proof / fullTrackRecord),
		values: cases.targets,
		count: cases.count,
		more: partnerships.targets,
		moreCount: partnerships.count
	};
}

function textPart(a: SparseVector, b: SparseVector, weight: number): Part {
	const similarity = cosine(a, b);
	return {
		code: 'text',
		points: weight * Math.min(1, similarity / fullTextCosine),
		values: []
	};
}

function tagPart(
	code: ReasonCode,
	needTags: readonly string[],
	otherTags: readonly string[],
	weight: number
): Part {
	const common = shared(needTags, otherTags);
	return { code, points: weight * overlap(needTags, otherTags, common.length), values: common };
}

/** The need's side of the hard rules. */
export type ExclusionNeed = Pick<
	NeedProfile,
	'status' | 'expiresAt' | 'organisationId' | 'cooperationTypes' | 'place'
>;
/** The offer's side of the hard rules. */
export type ExclusionOffer = Pick<
	OfferProfile,
	| 'status'
	| 'deadline'
	| 'organisationId'
	| 'cooperationTypes'
	| 'isGlobal'
	| 'regions'
	| 'countries'
	| 'eligibleIncomeGroups'
	| 'onlyLeastDeveloped'
	| 'capacity'
	| 'capacityUsed'
>;

/**
 * The hard rules alone: the exclusion's code when the pair cannot work together, else null. The
 * insights' supply-and-demand gap (stats) judges a "plausible offer" by the same rules.
 */
export function hardExclusion(
	need: ExclusionNeed,
	offer: ExclusionOffer,
	now: number
): ExclusionCode | null {
	if (!activeNeedStatuses.has(need.status)) return 'need_closed';
	if (need.expiresAt <= now) return 'need_expired';
	if (offer.status !== 'open') return 'offer_closed';
	if (isOfferExpired(offer, now)) return 'offer_expired';
	if (need.organisationId === offer.organisationId) return 'same_organisation';
	if (countShared(need.cooperationTypes, offer.cooperationTypes) === 0) {
		return 'no_common_cooperation';
	}
	if (!servedPlace(offer, need.place)) return 'not_served';
	if (
		(offer.eligibleIncomeGroups.length > 0 &&
			(need.place.incomeGroup === null ||
				!offer.eligibleIncomeGroups.includes(need.place.incomeGroup))) ||
		(offer.onlyLeastDeveloped && !need.place.isLdc)
	) {
		return 'not_eligible';
	}
	if (offer.capacity !== null && offer.capacity - offer.capacityUsed <= 0) return 'no_capacity';
	return null;
}

/**
 * The hard rules, then the points of each criterion (weights.ts). Returns the exclusion's code
 * when the pair cannot work together.
 */
export function evaluateNeedOffer(
	need: NeedProfile,
	offer: OfferProfile,
	now: number
): Evaluation | { excluded: ExclusionCode } {
	const excluded = hardExclusion(need, offer, now);
	if (excluded) return { excluded };
	const cooperation = shared(need.cooperationTypes, offer.cooperationTypes);
	const place = servedPlace(offer, need.place)!;
	const incomeRestricted = offer.eligibleIncomeGroups.length > 0;
	const placesLeft = offer.capacity === null ? null : offer.capacity - offer.capacityUsed;

	const w = needOfferWeights;
	const languages = shared(need.languages, offer.languages);
	const closingSoon = offer.deadline !== null && offer.deadline - now < closingSoonDays * DAY_MS;
	const parts: Part[] = [
		tagPart('sdg_targets', need.sdgTargets, offer.sdgTargets, w.sdgTargets),
		tagPart('themes', need.themes, offer.themes, w.themes),
		{
			code: 'cooperation',
			points:
				w.cooperation * overlap(need.cooperationTypes, offer.cooperationTypes, cooperation.length),
			values: cooperation
		},
		{
			code: 'geography',
			points: w.geography * place.share,
			values: place.kind === 'global' ? [] : [place.value],
			more: [place.kind]
		},
		{ code: 'language', points: languages.length ? w.language : 0, values: languages },
		trackRecordPart(offer.trackRecord, need.sdgTargets, w.trackRecord),
		{
			code: 'eligibility',
			points:
				w.eligibility * (incomeRestricted || offer.onlyLeastDeveloped ? 1 : openEligibilityShare),
			values: offer.onlyLeastDeveloped ? ['ldc'] : offer.eligibleIncomeGroups
		},
		{
			code: 'availability',
			points: w.availability * (placesLeft === 1 ? 0.5 : 1) * (closingSoon ? 0.5 : 1),
			values: [],
			count: placesLeft ?? undefined,
			more: offer.deadline === null ? [] : [new Date(offer.deadline).toISOString().slice(0, 10)]
		},
		// Last: the fast totals add the costly text similarity last, after deciding it can matter.
		textPart(need.text, offer.text, w.text)
	];
	return totalled(parts);
}

/**
 * What a fast total answers for a candidate that cannot reach `floor` even with a perfect text
 * similarity (it is not excluded, only not worth the cosine): below every real total.
 */
export const PRUNED = -2;

/** How many of a's values b has (no allocation: the ranking's inner loop). */
function countShared(a: readonly string[], b: readonly string[]): number {
	let count = 0;
	for (let i = 0; i < a.length; i += 1) if (b.includes(a[i])) count += 1;
	return count;
}

function servedShare(offer: OfferProfile, place: Place): number {
	if (offer.countries.includes(place.countryCode)) return geographyShares.country;
	if (place.subregionCode && offer.regions.includes(place.subregionCode)) {
		return geographyShares.subregion;
	}
	if (place.regionCode && offer.regions.includes(place.regionCode)) return geographyShares.region;
	return offer.isGlobal ? geographyShares.global : 0;
}

function recordCount(items: readonly (readonly string[])[], targets: readonly string[]): number {
	let count = 0;
	for (const itemTargets of items) if (countShared(itemTargets, targets) > 0) count += 1;
	return count;
}

/**
 * The total of evaluateNeedOffer without its parts (-1 when excluded): the same arithmetic in the
 * same order, so it ranks every candidate cheaply and only the shown ones are evaluated in full.
 * With `floor` (the worst total still shown, when the list is full), a candidate that cannot beat
 * it by a whole point even with a perfect text similarity answers PRUNED before the cosine.
 */
export function needOfferTotal(
	need: NeedProfile,
	offer: OfferProfile,
	now: number,
	floor = -Infinity
): number {
	if (!activeNeedStatuses.has(need.status) || need.expiresAt <= now) return -1;
	if (offer.status !== 'open' || isOfferExpired(offer, now)) return -1;
	if (need.organisationId === offer.organisationId) return -1;
	const cooperation = countShared(need.cooperationTypes, offer.cooperationTypes);
	if (cooperation === 0) return -1;
	const placeShare = servedShare(offer, need.place);
	if (placeShare === 0) return -1;
	const incomeRestricted = offer.eligibleIncomeGroups.length > 0;
	if (
		(incomeRestricted &&
			(need.place.incomeGroup === null ||
				!offer.eligibleIncomeGroups.includes(need.place.incomeGroup))) ||
		(offer.onlyLeastDeveloped && !need.place.isLdc)
	) {
		return -1;
	}
	const placesLeft = offer.capacity === null ? null : offer.capacity - offer.capacityUsed;
	if (placesLeft !== null && placesLeft <= 0) return -1;
	const w = needOfferWeights;
	const record = offer.trackRecord;
	const proof =
		recordCount(record.caseStudies, need.sdgTargets) +
		partnershipTrackRecordFactor * recordCount(record.partnerships, need.sdgTargets);
	const closingSoon = offer.deadline !== null && offer.deadline - now < closingSoonDays * DAY_MS;
	let total = 0;
	total +=
		w.sdgTargets *
		overlap(need.sdgTargets, offer.sdgTargets, countShared(need.sdgTargets, offer.sdgTargets));
	total += w.themes * overlap(need.themes, offer.themes, countShared(need.themes, offer.themes));
	total += w.cooperation * overlap(need.cooperationTypes, offer.cooperationTypes, cooperation);
	total += w.geography * placeShare;
	total += countShared(need.languages, offer.languages) > 0 ? w.language : 0;
	total += w.trackRecord * Math.min(1, proof / fullTrackRecord);
	total +=
		w.eligibility * (incomeRestricted || offer.onlyLeastDeveloped ? 1 : openEligibilityShare);
	total += w.availability * (placesLeft === 1 ? 0.5 : 1) * (closingSoon ? 0.5 : 1);
	if (total + w.text + 1 < floor) return PRUNED;
	total += w.text * Math.min(1, cosine(need.text, offer.text) / fullTextCosine);
	return total;
}

/** The total of similarCityParts (case studies, peer needs) without its parts. */
function similarCityTotal(
	need: NeedProfile,
	other: {
		themes: readonly string[];
		sdgTargets: readonly string[];
		place: Place;
		text: SparseVector;
	},
	w: { sdgTargets: number; themes: number; text: number; geography: number; incomeGroup: number },
	floor: number,
	headroom: number
): number {
	const place = other.place;
	const share =
		place.countryCode === need.place.countryCode
			? 1
			: need.place.subregionCode && need.place.subregionCode === place.subregionCode
				? 0.7
				: need.place.regionCode && need.place.regionCode === place.regionCode
					? 0.4
					: 0;
	let total = 0;
	total +=
		w.sdgTargets *
		overlap(need.sdgTargets, other.sdgTargets, countShared(need.sdgTargets, other.sdgTargets));
	total += w.themes * overlap(need.themes, other.themes, countShared(need.themes, other.themes));
	total += w.geography * share;
	total +=
		need.place.incomeGroup !== null && need.place.incomeGroup === place.incomeGroup
			? w.incomeGroup
			: 0;
	if (total + w.text + headroom + 1 < floor) return PRUNED;
	total += w.text * Math.min(1, cosine(need.text, other.text) / fullTextCosine);
	return total;
}

/** The total of evaluateNeedCaseStudy without its parts; -1 when it is not a candidate. */
export function needCaseStudyTotal(
	need: NeedProfile,
	caseStudy: CaseStudyProfile,
	floor = -Infinity
): number {
	if (caseStudy.organisationId === need.organisationId) return -1;
	if (countShared(need.sdgTargets, caseStudy.sdgTargets) === 0) return -1;
	const w = caseStudyWeights;
	const total = similarCityTotal(need, caseStudy, w, floor, w.validations);
	if (total === PRUNED) return PRUNED;
	return total + w.validations * Math.min(1, caseStudy.validations / fullValidations);
}

/** The total of evaluatePeerNeed without its parts; -1 when it is not a peer. */
export function peerNeedTotal(
	need: NeedProfile,
	peer: NeedProfile,
	now: number,
	floor = -Infinity
): number {
	if (peer.id === need.id || peer.organisationId === need.organisationId) return -1;
	if (!isNeedActive(peer, now)) return -1;
	if (countShared(need.sdgTargets, peer.sdgTargets) === 0) return -1;
	return similarCityTotal(need, peer, peerNeedWeights, floor, 0);
}

function totalled(parts: Part[]): Evaluation {
	const kept = parts.filter((part) => part.points > 0);
	return { total: kept.reduce((sum, part) => sum + part.points, 0), parts: kept };
}

/** A need and a partner organisation without a matching offer: its track record and closeness. */
export interface PartnerProfile {
	organisationId: string;
	themes: readonly string[];
	/** Places of its published case studies and partnerships (country codes, sub-regions, regions). */
	countries: readonly string[];
	regions: readonly string[];
	languages: readonly string[];
	trackRecord: TrackRecord;
}

export function evaluateNeedPartner(need: NeedProfile, partner: PartnerProfile): Evaluation | null {
	if (partner.organisationId === need.organisationId) return null;
	const w = partnerWeights;
	const record = trackRecordPart(partner.trackRecord, need.sdgTargets, w.trackRecord);
	if (record.points === 0) return null;
	const targets = [...new Set([...record.values, ...(record.more ?? [])])];
	const proximity = proximityOf(need.place, partner.countries, partner.regions);
	const languages = shared(need.languages, partner.languages);
	return totalled([
		{
			code: 'sdg_targets',
			points: w.sdgTargets * (targets.length / need.sdgTargets.length),
			values: need.sdgTargets.filter((target) => targets.includes(target))
		},
		record,
		tagPart('themes', need.themes, partner.themes, w.themes),
		{ ...proximity, code: 'geography', points: w.geography * proximity.share },
		{ code: 'language', points: languages.length ? w.language : 0, values: languages }
	]);
}

/** The closest of a candidate's places to the city: same country, sub-region, then region. */
function proximityOf(place: Place, countries: readonly string[], regions: readonly string[]) {
	if (countries.includes(place.countryCode)) {
		return { share: 1, values: [place.countryCode], more: ['country'] };
	}
	if (place.subregionCode && regions.includes(place.subregionCode)) {
		return { share: 0.7, values: [place.subregionCode], more: ['subregion'] };
	}
	if (place.regionCode && regions.includes(place.regionCode)) {
		return { share: 0.4, values: [place.regionCode], more: ['region'] };
	}
	return { share: 0, values: [] as string[], more: [] as string[] };
}

/** A published case study: its city, tags, text and proof. */
export interface CaseStudyProfile {
	id: string;
	organisationId: string;
	themes: readonly string[];
	sdgTargets: readonly string[];
	place: Place;
	validations: number;
	text: SparseVector;
}

export function evaluateNeedCaseStudy(
	need: NeedProfile,
	caseStudy: CaseStudyProfile
): Evaluation | null {
	if (caseStudy.organisationId === need.organisationId) return null;
	const targets = shared(need.sdgTargets, caseStudy.sdgTargets);
	if (targets.length === 0) return null;
	return totalled([
		...similarCityParts(need, caseStudy, caseStudyWeights),
		{
			code: 'validations',
			points: caseStudyWeights.validations * Math.min(1, caseStudy.validations / fullValidations),
			values: [],
			count: caseStudy.validations
		}
	]);
}

function similarCityParts(
	need: NeedProfile,
	other: {
		themes: readonly string[];
		sdgTargets: readonly string[];
		place: Place;
		text: SparseVector;
	},
	w: { sdgTargets: number; themes: number; text: number; geography: number; incomeGroup: number }
): Part[] {
	const proximity = proximityOf(
		need.place,
		[other.place.countryCode],
		[other.place.subregionCode, other.place.regionCode].filter((code): code is string => !!code)
	);
	const sameIncome =
		need.place.incomeGroup !== null && need.place.incomeGroup === other.place.incomeGroup;
	return [
		tagPart('sdg_targets', need.sdgTargets, other.sdgTargets, w.sdgTargets),
		tagPart('themes', need.themes, other.themes, w.themes),
		{ ...proximity, code: 'geography', points: w.geography * proximity.share },
		{
			code: 'income_group',
			points: sameIncome ? w.incomeGroup : 0,
			values: sameIncome ? [need.place.incomeGroup!] : []
		},
		textPart(need.text, other.text, w.text)
	];
}

/** Another city's need on the same targets: a peer for South–South exchange. */
export function evaluatePeerNeed(
	need: NeedProfile,
	peer: NeedProfile,
	now: number
): Evaluation | null {
	if (peer.id === need.id || peer.organisationId === need.organisationId) return null;
	if (!isNeedActive(peer, now)) return null;
	if (shared(need.sdgTargets, peer.sdgTargets).length === 0) return null;
	return totalled(similarCityParts(need, peer, peerNeedWeights));
}

/**
 * The offer–need pair seen from the offer: the same rules and points, so a pair scores the same
 * from both sides.
 */
export const evaluateOfferNeed = (offer: OfferProfile, need: NeedProfile, now: number) =>
	evaluateNeedOffer(need, offer, now);

/**
 * Deterministic order of evaluated candidates: rounded score first, then the unrounded total (a
 * finer difference), then the newer listing, then the id (unique), so equal inputs always give
 * the same list.
 */
export function compareRanked(
	a: { total: number; createdAt: number; id: string },
	b: { total: number; createdAt: number; id: string }
): number {
	return (
		Math.round(b.total) - Math.round(a.total) ||
		b.total - a.total ||
		b.createdAt - a.createdAt ||
		(a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
	);
}

/**
 * Scores a need against an offer: an exclusion's code, or a score from 0 to 100 with its reasons
 * in plain words. Pure: the same profiles and context always give the same answer.
 */
export function scoreNeedOffer(
	need: NeedProfile,
	offer: OfferProfile,
	context: MatchContext
): MatchScore {
	const evaluation = evaluateNeedOffer(need, offer, context.now);
	if ('excluded' in evaluation) return evaluation;
	return describe(evaluation, {
		locale: context.locale,
		place: need.place,
		words: context.words,
		vectors: [need.text, offer.text]
	});
}

export { describe } from './words';
