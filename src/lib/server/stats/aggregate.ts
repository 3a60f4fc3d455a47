/**
 * The insights from the facts (facts.ts): pure functions, no database, so every figure is
 * unit-tested on hand-made facts. What is counted (definitions the page and the API share):
 * - case studies: published ones, dated by publication;
 * - needs and offers: public ones that are OPEN (status open and not expired, as the lists'
 *   default and `needState`/`offerState` say) — in the headline, the matrix, the map, the months
 *   and the gap alike, so a heat-map cell and the list it links to hold the same records; a month
 *   counts the open ones posted in it;
 * - partnerships: those every party agreed to publish, whatever their status, dated by proposal;
 * - developing: income group L, LM or UM in the country table; least developed: its LDC flag.
 */
import { hardExclusion } from '$lib/server/matching/score';
import { isStale } from '$lib/server/partnerships/stale';
import { partnershipStatuses, type PartnershipStatus } from '$lib/vocab/matchmaking';
import { regionCodes, subregionCodes } from '$lib/vocab/regions';
import { sdgTargetIds } from '$lib/vocab/sdg';
import { themeIds } from '$lib/vocab/themes';
import {
	countryCodeAt,
	monthKey,
	monthOfText,
	monthText,
	cooperationMask,
	sdgMask,
	themeMask,
	type CountryFacts,
	type ListingFacts,
	type NeedFact,
	type OfferFact,
	type StatsFacts
} from './facts';
import type {
	CountryCounts,
	Gap,
	GapRow,
	Headline,
	Insights,
	KindCounts,
	Matrix,
	MonthCounts,
	Pipeline,
	StatsFilters,
	StatsKind
} from './types';

const DAY_MS = 86_400_000;
const developingIncomes = new Set(['L', 'LM', 'UM']);

/** What the filters keep, prepared once per request: masks, a place table, a month range. */
export interface Selection {
	/** Countries the region and income filters keep (by country index); null: no such filter. */
	place: Uint8Array | null;
	themes: number;
	sdgs: number;
	cooperation: number;
	from: number;
	to: number;
}

export function selectionOf(countries: CountryFacts, filters: StatsFilters): Selection {
	let place: Uint8Array | null = null;
	if (filters.region?.length || filters.income?.length) {
		const regions = new Set(filters.region ?? []);
		const incomes = new Set<string>(filters.income ?? []);
		place = new Uint8Array(countries.code.length);
		countries.code.forEach((code, index) => {
			if (!code) return;
			const inRegion =
				regions.size === 0 ||
				regions.has(countries.region[index] ?? '') ||
				regions.has(countries.subregion[index] ?? '');
			const inIncome = incomes.size === 0 || incomes.has(countries.income[index] ?? '');
			if (inRegion && inIncome) place![index] = 1;
		});
	}
	return {
		place,
		themes: themeMask(filters.theme ?? []),
		sdgs: sdgMask(filters.sdg ?? []),
		cooperation: cooperationMask(filters.cooperation ?? []),
		from: filters.from ? monthOfText(filters.from) : -Infinity,
		to: filters.to ? monthOfText(filters.to) : Infinity
	};
}

const placeKept = (s: Selection, country: number) =>
	s.place === null || (country >= 0 && s.place[country] === 1);

/** Tags and period; cooperation only where the record has cooperation types (not case studies). */
function tagsKept(
	s: Selection,
	record: { themes: number; sdgs: number; month: number },
	cooperation: number | null
) {
	return (
		(s.themes === 0 || (record.themes & s.themes) !== 0) &&
		(s.sdgs === 0 || (record.sdgs & s.sdgs) !== 0) &&
		(s.cooperation === 0 || cooperation === null || (cooperation & s.cooperation) !== 0) &&
		record.month >= s.from &&
		record.month <= s.to
	);
}

/** Open: status open and not expired (the lists' and `needState`'s rule). */
export const isOpenNeed = (need: NeedFact, now: number) =>
	need.status === 'open' && need.expiresAt > now;
/** Open: status open and its deadline not passed (`offerState`'s rule). */
export const isOpenOffer = (offer: OfferFact, now: number) =>
	offer.status === 'open' && !(offer.deadline !== null && offer.deadline < now);

/** An offer is placed where it serves: kept when it serves a country the filters keep. */
function offerPlaceKept(s: Selection, offer: OfferFact) {
	if (s.place === null) return true;
	for (const country of offer.served) if (s.place[country] === 1) return true;
	return false;
}

const zeroCounts = (): KindCounts => ({ case_study: 0, need: 0, offer: 0, partnership: 0 });

/** The records the filters keep, by kind (indexes into the facts' lists). */
export interface Kept {
	caseStudies: Int32Array;
	needs: NeedFact[];
	offers: OfferFact[];
	partnerships: StatsFacts['partnerships'];
	introductions: StatsFacts['introductions'];
}

export function keptRecords(facts: StatsFacts, s: Selection, now: number): Kept {
	const cases = facts.caseStudies;
	const caseStudies: number[] = [];
	const noTagFilter = s.themes === 0 && s.sdgs === 0 && s.from === -Infinity && s.to === Infinity;
	for (let i = 0; i < cases.count; i += 1) {
		if (s.place !== null && !placeKept(s, cases.country[i])) continue;
		if (!noTagFilter) {
			const themes = cases.themes[i];
			const sdgs = cases.sdgs[i];
			const month = cases.month[i];
			if (s.themes !== 0 && (themes & s.themes) === 0) continue;
			if (s.sdgs !== 0 && (sdgs & s.sdgs) === 0) continue;
			if (month < s.from || month > s.to) continue;
		}
		caseStudies.push(i);
	}
	return {
		caseStudies: Int32Array.from(caseStudies),
		needs: facts.needs.filter(
			(need) =>
				isOpenNeed(need, now) && placeKept(s, need.country) && tagsKept(s, need, need.cooperation)
		),
		offers: facts.offers.filter(
			(offer) =>
				isOpenOffer(offer, now) && offerPlaceKept(s, offer) && tagsKept(s, offer, offer.cooperation)
		),
		partnerships: facts.partnerships.filter(
			(partnership) =>
				placeKept(s, partnership.country) && tagsKept(s, partnership, partnership.cooperation)
		),
		introductions: facts.introductions.filter(
			(introduction) =>
				placeKept(s, introduction.country) && tagsKept(s, introduction, introduction.cooperation)
		)
	};
}

function statusCounts(kept: Kept): Record<PartnershipStatus, number> {
	const counts = Object.fromEntries(partnershipStatuses.map((status) => [status, 0])) as Record<
		PartnershipStatus,
		number
	>;
	for (const partnership of kept.partnerships) counts[partnership.status] += 1;
	return counts;
}

/**
 * Headline figures. Cities and partners are verified organisations (cities: kind city), narrowed
 * by the region and income filters only (an organisation has no theme or date). Countries reached
 * and the shares count placed case studies, open needs and partnerships; offers are left out (an
 * offer serving a whole region reaches no country yet).
 */
export function headlineOf(facts: StatsFacts, s: Selection, kept: Kept): Headline {
	let cities = 0;
	let partners = 0;
	for (const organisation of facts.organisations) {
		if (!placeKept(s, organisation.country)) continue;
		if (organisation.isCity) cities += 1;
		else partners += 1;
	}
	const reached = new Set<number>();
	let placed = 0;
	let developing = 0;
	let leastDeveloped = 0;
	const countries = facts.countries;
	const place = (country: number) => {
		if (country < 0 || !countries.code[country]) return;
		reached.add(country);
		placed += 1;
		if (developingIncomes.has(countries.income[country] ?? '')) developing += 1;
		if (countries.isLdc[country]) leastDeveloped += 1;
	};
	for (const i of kept.caseStudies) place(facts.caseStudies.country[i]);
	for (const need of kept.needs) place(need.country);
	for (const partnership of kept.partnerships) place(partnership.country);
	const byStatus = statusCounts(kept);
	return {
		caseStudies: kept.caseStudies.length,
		cities,
		partners,
		openNeeds: kept.needs.length,
		openOffers: kept.offers.length,
		partnerships: { ...byStatus, total: kept.partnerships.length },
		countriesReached: reached.size,
		developingShare: placed ? developing / placed : null,
		ldcShare: placed ? leastDeveloped / placed : null
	};
}

/** Calls `visit(theme index, target index)` for every theme × target pair of a record. */
function eachPair(themes: number, sdgs: number, visit: (cell: number) => void) {
	for (let t = 0; t < themeIds.length; t += 1) {
		if ((themes & (1 << t)) === 0) continue;
		for (let g = 0; g < sdgTargetIds.length; g += 1) {
			if ((sdgs & (1 << g)) !== 0) visit(t * sdgTargetIds.length + g);
		}
	}
}

/** Theme × target: a record with two themes and two targets counts in four cells. */
export function matrixOf(facts: StatsFacts, kept: Kept): Matrix {
	const size = themeIds.length * sdgTargetIds.length;
	const counts: Record<StatsKind, Int32Array> = {
		case_study: new Int32Array(size),
		need: new Int32Array(size),
		offer: new Int32Array(size),
		partnership: new Int32Array(size)
	};
	const cases = facts.caseStudies;
	for (const i of kept.caseStudies) {
		const cell = counts.case_study;
		eachPair(cases.themes[i], cases.sdgs[i], (at) => (cell[at] += 1));
	}
	for (const [kind, records] of [
		['need', kept.needs],
		['offer', kept.offers],
		['partnership', kept.partnerships]
	] as const) {
		const cell = counts[kind];
		for (const record of records) eachPair(record.themes, record.sdgs, (at) => (cell[at] += 1));
	}
	const max = zeroCounts();
	const cells = themeIds.flatMap((theme, t) =>
		sdgTargetIds.map((sdg, g) => {
			const at = t * sdgTargetIds.length + g;
			const cell = {
				theme,
				sdg,
				counts: {
					case_study: counts.case_study[at],
					need: counts.need[at],
					offer: counts.offer[at],
					partnership: counts.partnership[at]
				}
			};
			for (const kind of Object.keys(max) as StatsKind[]) {
				max[kind] = Math.max(max[kind], cell.counts[kind]);
			}
			return cell;
		})
	);
	return { cells, max };
}

/**
 * Countries with at least one record, by code. An offer counts in every country it serves that the
 * filters keep; offers serving everywhere are counted apart (`globalOffers`), not on the map.
 */
export function countriesOf(
	facts: StatsFacts,
	s: Selection,
	kept: Kept
): { countries: CountryCounts[]; globalOffers: number } {
	const byCountry = new Map<number, KindCounts>();
	const add = (country: number, kind: StatsKind) => {
		if (country < 0) return;
		let counts = byCountry.get(country);
		if (!counts) byCountry.set(country, (counts = zeroCounts()));
		counts[kind] += 1;
	};
	for (const i of kept.caseStudies) add(facts.caseStudies.country[i], 'case_study');
	for (const need of kept.needs) add(need.country, 'need');
	for (const partnership of kept.partnerships) add(partnership.country, 'partnership');
	let globalOffers = 0;
	for (const offer of kept.offers) {
		if (offer.isGlobal) {
			globalOffers += 1;
			continue;
		}
		for (const country of offer.served) if (placeKept(s, country)) add(country, 'offer');
	}
	const countries = [...byCountry]
		.map(([country, counts]) => ({ country: countryCodeAt(country), counts }))
		.sort((a, b) => (a.country < b.country ? -1 : a.country > b.country ? 1 : 0));
	return { countries, globalOffers };
}

/**
 * Every month of the period, zeros kept: from the filter's `from` (else the first month with a
 * record, else this month) to its `to` (else this month, or a later record's).
 */
export function monthsOf(facts: StatsFacts, s: Selection, kept: Kept, now: number): MonthCounts[] {
	const byMonth = new Map<number, KindCounts>();
	const add = (month: number, kind: StatsKind) => {
		let counts = byMonth.get(month);
		if (!counts) byMonth.set(month, (counts = zeroCounts()));
		counts[kind] += 1;
	};
	for (const i of kept.caseStudies) add(facts.caseStudies.month[i], 'case_study');
	for (const need of kept.needs) add(need.month, 'need');
	for (const offer of kept.offers) add(offer.month, 'offer');
	for (const partnership of kept.partnerships) add(partnership.month, 'partnership');
	const current = monthKey(now);
	const dated = [...byMonth.keys()];
	const first = s.from !== -Infinity ? s.from : Math.min(current, ...dated);
	const last = s.to !== Infinity ? s.to : Math.max(current, ...dated);
	const months: MonthCounts[] = [];
	for (let month = first; month <= last; month += 1) {
		months.push({ month: monthText(month), counts: byMonth.get(month) ?? zeroCounts() });
	}
	return months;
}

interface Plausibility {
	/** The instants between which every open/expired state below stays the same. */
	from: number;
	until: number;
	/** By need index: 1 when at least one open offer is plausible for it. */
	plausible: Uint8Array;
}
const plausibilities = new WeakMap<ListingFacts, Plausibility>();

/**
 * For each open need, whether any open offer could serve it: it passes matching's hard rules
 * (`hardExclusion`: cooperation type in common, serves the city's place, eligible, capacity left,
 * not the same organisation) and shares at least one SDG target or theme. Judged against every
 * open public offer, whatever the filters. Kept until a need or offer opens or expires.
 */
export function plausibleNeeds(listings: ListingFacts, now: number): Uint8Array {
	const known = plausibilities.get(listings);
	if (known && known.from <= now && now < known.until) return known.plausible;
	let until = Infinity;
	for (const need of listings.needs)
		if (need.expiresAt > now) until = Math.min(until, need.expiresAt);
	for (const offer of listings.offers) {
		if (offer.deadline !== null && offer.deadline >= now) {
			until = Math.min(until, offer.deadline + 1);
		}
	}
	const openOffers = listings.offers.filter((offer) => isOpenOffer(offer, now));
	const plausible = new Uint8Array(listings.needs.length);
	listings.needs.forEach((need, index) => {
		if (!isOpenNeed(need, now)) return;
		for (const offer of openOffers) {
			if ((offer.cooperation & need.cooperation) === 0) continue;
			if ((offer.themes & need.themes) === 0 && (offer.sdgs & need.sdgs) === 0) continue;
			if (hardExclusion(need.exclusion, offer.exclusion, now) === null) {
				plausible[index] = 1;
				return;
			}
		}
	});
	plausibilities.set(listings, { from: now, until, plausible });
	return plausible;
}

/** The gap's rows: every theme and target, and each region and sub-region with any need or offer. */
const gapValues = {
	theme: themeIds.map((id, bit) => ({ id, bit })),
	sdg: sdgTargetIds.map((id, bit) => ({ id, bit })),
	region: [...new Set<string>([...regionCodes, ...subregionCodes])]
};

/**
 * Supply against demand: for each theme, target and region, open needs, open offers that could
 * serve them (same theme or target; serving the region) and open needs without a plausible offer.
 * Where cooperation is missing comes first: most needs without an offer, then fewest offers per
 * need; rows without needs last.
 */
export function gapOf(facts: StatsFacts, kept: Kept, now: number): Gap {
	const plausible = plausibleNeeds(facts, now);
	const indexOf = new Map(facts.needs.map((need, index) => [need, index]));
	const needs = kept.needs.map((need) => ({ need, alone: plausible[indexOf.get(need)!] === 0 }));
	const rows: GapRow[] = [];
	for (const dimension of ['theme', 'sdg'] as const) {
		for (const { id, bit } of gapValues[dimension]) {
			const mask = 1 << bit;
			const field = dimension === 'theme' ? 'themes' : 'sdgs';
			const row: GapRow = {
				dimension,
				value: id,
				openNeeds: 0,
				servingOffers: 0,
				needsWithoutOffer: 0
			};
			for (const { need, alone } of needs) {
				if ((need[field] & mask) === 0) continue;
				row.openNeeds += 1;
				if (alone) row.needsWithoutOffer += 1;
			}
			for (const offer of kept.offers) if ((offer[field] & mask) !== 0) row.servingOffers += 1;
			rows.push(row);
		}
	}
	const countries = facts.countries;
	for (const code of gapValues.region) {
		const row: GapRow = {
			dimension: 'region',
			value: code,
			openNeeds: 0,
			servingOffers: 0,
			needsWithoutOffer: 0
		};
		for (const { need, alone } of needs) {
			if (countries.region[need.country] !== code && countries.subregion[need.country] !== code) {
				continue;
			}
			row.openNeeds += 1;
			if (alone) row.needsWithoutOffer += 1;
		}
		for (const offer of kept.offers) if (offer.servedRegions.includes(code)) row.servingOffers += 1;
		if (row.openNeeds || row.servingOffers) rows.push(row);
	}
	const supply = (row: GapRow) =>
		row.openNeeds ? row.servingOffers / row.openNeeds : Number.POSITIVE_INFINITY;
	rows.sort(
		(a, b) =>
			b.needsWithoutOffer - a.needsWithoutOffer ||
			supply(a) - supply(b) ||
			b.openNeeds - a.openNeeds ||
			0
	);
	return { rows };
}

/** The middle value in whole days (of an even count, the lower middle's and upper's mean, down). */
export function medianDays(durations: number[]): number | null {
	if (durations.length === 0) return null;
	const days = durations.map((ms) => Math.floor(ms / DAY_MS)).sort((a, b) => a - b);
	const middle = days.length >> 1;
	return days.length % 2 ? days[middle] : Math.floor((days[middle - 1] + days[middle]) / 2);
}

/**
 * Statuses, introductions (requested = all of them, withdrawn ones included), the median days
 * from the introduction (else the proposal) to the first change to agreed and to completed, and
 * the open partnerships the partnerships module calls stale.
 */
export function pipelineOf(kept: Kept, now: Date): Pipeline {
	const introductions = { requested: 0, accepted: 0, declined: 0, pending: 0 };
	for (const introduction of kept.introductions) {
		introductions.requested += 1;
		if (introduction.status !== 'withdrawn') introductions[introduction.status] += 1;
	}
	const toAgreement: number[] = [];
	const toCompletion: number[] = [];
	let stale = 0;
	for (const partnership of kept.partnerships) {
		if (partnership.agreedAt !== null)
			toAgreement.push(partnership.agreedAt - partnership.startedAt);
		if (partnership.completedAt !== null) {
			toCompletion.push(partnership.completedAt - partnership.startedAt);
		}
		if (isStale(partnership.lastActivityAt, now, partnership.status)) stale += 1;
	}
	return {
		byStatus: statusCounts(kept),
		introductions,
		medianDaysToAgreement: medianDays(toAgreement),
		medianDaysToCompletion: medianDays(toCompletion),
		stale
	};
}

/** Every figure of the insights for these filters. */
export function aggregate(facts: StatsFacts, filters: StatsFilters, now: Date): Insights {
	const s = selectionOf(facts.countries, filters);
	const at = now.getTime();
	const kept = keptRecords(facts, s, at);
	const { countries, globalOffers } = countriesOf(facts, s, kept);
	return {
		filters,
		generatedAt: now.toISOString(),
		headline: headlineOf(facts, s, kept),
		matrix: matrixOf(facts, kept),
		gap: gapOf(facts, kept, at),
		pipeline: pipelineOf(kept, now),
		countries,
		globalOffers,
		months: monthsOf(facts, s, kept, at)
	};
}
