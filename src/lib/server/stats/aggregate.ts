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
import { inhabitedRegionCodes, subregionsByRegion } from '$lib/vocab/regions';
import { sdgTargetIds } from '$lib/vocab/sdg';
import { themeIds } from '$lib/vocab/themes';
import {
	countryCodeAt,
	countryCount,
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
import { statsKinds } from './types';

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

/** Months are counted in an array from January 1970 to December 2100 (no record is outside). */
const FIRST_MONTH = 1970 * 12;
const MONTH_SLOTS = (2101 - 1970) * 12;
/** A record's theme and target masks as one number: 6 theme bits above 10 target bits. */
const TAG_SLOTS = 1 << (themeIds.length + sdgTargetIds.length);
const tagKey = (themes: number, sdgs: number) => (themes << sdgTargetIds.length) | sdgs;

/**
 * What the filters keep of one kind, counted in one pass: by country, by month and by theme ×
 * target combination (spread over the matrix cells afterwards), and how many are placed in
 * developing and least developed countries.
 */
export interface Tally {
	count: number;
	byCountry: Int32Array;
	byMonth: Int32Array;
	byTags: Int32Array;
	placed: number;
	developing: number;
	leastDeveloped: number;
}

function emptyTally(countries: number): Tally {
	return {
		count: 0,
		byCountry: new Int32Array(countries),
		byMonth: new Int32Array(MONTH_SLOTS),
		byTags: new Int32Array(TAG_SLOTS),
		placed: 0,
		developing: 0,
		leastDeveloped: 0
	};
}

/** Per-country flags read in the tallies' inner loops. */
interface CountryFlags {
	size: number;
	known: Uint8Array;
	developing: Uint8Array;
	leastDeveloped: Uint8Array;
}

function flagsOf(countries: CountryFacts): CountryFlags {
	const size = Math.max(countries.code.length, countryCount());
	const flags = {
		size,
		known: new Uint8Array(size),
		developing: new Uint8Array(size),
		leastDeveloped: new Uint8Array(size)
	};
	countries.code.forEach((code, index) => {
		if (!code) return;
		flags.known[index] = 1;
		if (developingIncomes.has(countries.income[index] ?? '')) flags.developing[index] = 1;
		if (countries.isLdc[index]) flags.leastDeveloped[index] = 1;
	});
	return flags;
}

/** Adds one record to the tally (country -1: not placed; `placed` false: offers). */
function count(
	tally: Tally,
	flags: CountryFlags,
	country: number,
	month: number,
	themes: number,
	sdgs: number,
	placed = true
) {
	tally.count += 1;
	const slot = month - FIRST_MONTH;
	if (slot >= 0 && slot < MONTH_SLOTS) tally.byMonth[slot] += 1;
	tally.byTags[tagKey(themes, sdgs)] += 1;
	if (!placed || country < 0 || country >= flags.size || flags.known[country] === 0) return;
	tally.byCountry[country] += 1;
	tally.placed += 1;
	tally.developing += flags.developing[country];
	tally.leastDeveloped += flags.leastDeveloped[country];
}

/** Published case studies the filters keep (no cooperation type: not narrowed by it). */
function caseStudyTally(facts: StatsFacts, s: Selection, flags: CountryFlags): Tally {
	const cases = facts.caseStudies;
	const tally = emptyTally(flags.size);
	const { place, themes, sdgs, from, to } = s;
	for (let i = 0; i < cases.count; i += 1) {
		const country = cases.country[i];
		if (place !== null && (country < 0 || place[country] !== 1)) continue;
		const caseThemes = cases.themes[i];
		const caseSdgs = cases.sdgs[i];
		const month = cases.month[i];
		if (themes !== 0 && (caseThemes & themes) === 0) continue;
		if (sdgs !== 0 && (caseSdgs & sdgs) === 0) continue;
		if (month < from || month > to) continue;
		count(tally, flags, country, month, caseThemes, caseSdgs);
	}
	return tally;
}

/**
 * Public partnerships and introductions the filters keep, with what does not change with the time
 * of the request (statuses, introductions, medians); kept per filters like case studies' tally.
 */
interface PartnershipPart {
	partnerships: StatsFacts['partnerships'];
	tally: Tally;
	byStatus: Record<PartnershipStatus, number>;
	introductions: Pipeline['introductions'];
	medianDaysToAgreement: number | null;
	medianDaysToCompletion: number | null;
}

function partnershipPart(facts: StatsFacts, s: Selection, flags: CountryFlags): PartnershipPart {
	const partnerships = facts.partnerships.filter(
		(partnership) =>
			placeKept(s, partnership.country) && tagsKept(s, partnership, partnership.cooperation)
	);
	const tally = emptyTally(flags.size);
	const byStatus = Object.fromEntries(partnershipStatuses.map((status) => [status, 0])) as Record<
		PartnershipStatus,
		number
	>;
	const toAgreement: number[] = [];
	const toCompletion: number[] = [];
	for (const partnership of partnerships) {
		count(
			tally,
			flags,
			partnership.country,
			partnership.month,
			partnership.themes,
			partnership.sdgs
		);
		byStatus[partnership.status] += 1;
		if (partnership.agreedAt !== null) {
			toAgreement.push(partnership.agreedAt - partnership.startedAt);
		}
		if (partnership.completedAt !== null) {
			toCompletion.push(partnership.completedAt - partnership.startedAt);
		}
	}
	// Requested counts every introduction, withdrawn ones included.
	const introductions = { requested: 0, accepted: 0, declined: 0, pending: 0 };
	for (const introduction of facts.introductions) {
		if (
			!placeKept(s, introduction.country) ||
			!tagsKept(s, introduction, introduction.cooperation)
		) {
			continue;
		}
		introductions.requested += 1;
		if (introduction.status !== 'withdrawn') introductions[introduction.status] += 1;
	}
	return {
		partnerships,
		tally,
		byStatus,
		introductions,
		medianDaysToAgreement: medianDays(toAgreement),
		medianDaysToCompletion: medianDays(toCompletion)
	};
}

/** A few recent results per facts object and filters (the filters' JSON as the key). */
function memoised<Facts extends object, T>(limit: number) {
	const byFacts = new WeakMap<Facts, Map<string, T>>();
	return (facts: Facts, key: string, compute: () => T): T => {
		let known = byFacts.get(facts);
		if (!known) byFacts.set(facts, (known = new Map()));
		const hit = known.get(key);
		if (hit !== undefined) return hit;
		const value = compute();
		if (known.size >= limit) known.delete(known.keys().next().value!);
		known.set(key, value);
		return value;
	};
}
const countryVersions = new WeakMap<CountryFacts, number>();
let countryVersionCount = 0;
function countriesVersion(countries: CountryFacts): number {
	let version = countryVersions.get(countries);
	if (version === undefined) countryVersions.set(countries, (version = ++countryVersionCount));
	return version;
}
const caseTallies = memoised<StatsFacts['caseStudies'], Tally>(64);
const partnershipParts = memoised<StatsFacts['partnerships'], PartnershipPart>(64);

/** The records the filters keep: tallies of every kind, and the lists the gap and pipeline need. */
export interface Kept extends Omit<PartnershipPart, 'tally'> {
	tallies: Record<StatsKind, Tally>;
	needs: NeedFact[];
	/** Each kept need's index in the facts (for its plausibility). */
	needIndexes: number[];
	offers: OfferFact[];
	/** Kept open offers serving everywhere (counted apart from the map). */
	globalOffers: number;
	flags: CountryFlags;
}

export function keptRecords(
	facts: StatsFacts,
	filters: StatsFilters,
	s: Selection,
	now: number
): Kept {
	const flags = flagsOf(facts.countries);
	// Case studies and partnerships do not change with the time of the request; the place filters
	// read the country table, so its copy is part of the key.
	const key = JSON.stringify([countriesVersion(facts.countries), flags.size, filters]);
	const caseTally = caseTallies(facts.caseStudies, key, () => caseStudyTally(facts, s, flags));
	const { tally: partnershipTally, ...partnershipLists } = partnershipParts(
		facts.partnerships,
		key,
		() => partnershipPart(facts, s, flags)
	);
	const needs: NeedFact[] = [];
	const needIndexes: number[] = [];
	const needTally = emptyTally(flags.size);
	facts.needs.forEach((need, index) => {
		if (!isOpenNeed(need, now) || !placeKept(s, need.country)) return;
		if (!tagsKept(s, need, need.cooperation)) return;
		needs.push(need);
		needIndexes.push(index);
		count(needTally, flags, need.country, need.month, need.themes, need.sdgs);
	});
	// An offer counts once in the totals, months and matrix, and in each country it serves that
	// the filters keep; offers serving everywhere stay off the map.
	const offers = facts.offers.filter(
		(offer) =>
			isOpenOffer(offer, now) && offerPlaceKept(s, offer) && tagsKept(s, offer, offer.cooperation)
	);
	const offerTally = emptyTally(flags.size);
	let globalOffers = 0;
	for (const offer of offers) {
		count(offerTally, flags, -1, offer.month, offer.themes, offer.sdgs, false);
		if (offer.isGlobal) {
			globalOffers += 1;
			continue;
		}
		for (const country of offer.served) {
			if (placeKept(s, country) && country < flags.size) offerTally.byCountry[country] += 1;
		}
	}
	return {
		...partnershipLists,
		tallies: {
			case_study: caseTally,
			need: needTally,
			offer: offerTally,
			partnership: partnershipTally
		},
		needs,
		needIndexes,
		offers,
		globalOffers,
		flags
	};
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
	const { case_study: cases, need, partnership } = kept.tallies;
	let reached = 0;
	for (let country = 0; country < kept.flags.size; country += 1) {
		if (cases.byCountry[country] || need.byCountry[country] || partnership.byCountry[country]) {
			reached += 1;
		}
	}
	const placed = cases.placed + need.placed + partnership.placed;
	const developing = cases.developing + need.developing + partnership.developing;
	const leastDeveloped = cases.leastDeveloped + need.leastDeveloped + partnership.leastDeveloped;
	return {
		caseStudies: cases.count,
		cities,
		partners,
		openNeeds: need.count,
		openOffers: kept.tallies.offer.count,
		partnerships: { ...kept.byStatus, total: partnership.count },
		countriesReached: reached,
		developingShare: placed ? developing / placed : null,
		ldcShare: placed ? leastDeveloped / placed : null
	};
}

/** Theme × target: a record with two themes and two targets counts in four cells. */
export function matrixOf(kept: Kept): Matrix {
	const targets = sdgTargetIds.length;
	const cellCounts = Object.fromEntries(
		statsKinds.map((kind) => [kind, new Int32Array(themeIds.length * targets)])
	) as Record<StatsKind, Int32Array>;
	for (const kind of statsKinds) {
		const byTags = kept.tallies[kind].byTags;
		const cells = cellCounts[kind];
		for (let key = 0; key < TAG_SLOTS; key += 1) {
			const n = byTags[key];
			if (n === 0) continue;
			const themes = key >> targets;
			for (let t = 0; t < themeIds.length; t += 1) {
				if ((themes & (1 << t)) === 0) continue;
				for (let g = 0; g < targets; g += 1) {
					if ((key & (1 << g)) !== 0) cells[t * targets + g] += n;
				}
			}
		}
	}
	const max = zeroCounts();
	const cells = themeIds.flatMap((theme, t) =>
		sdgTargetIds.map((sdg, g) => {
			const counts = zeroCounts();
			for (const kind of statsKinds) {
				counts[kind] = cellCounts[kind][t * targets + g];
				max[kind] = Math.max(max[kind], counts[kind]);
			}
			return { theme, sdg, counts };
		})
	);
	return { cells, max };
}

/**
 * Countries with at least one record, by code. An offer counts in every country it serves that the
 * filters keep; offers serving everywhere are counted apart (`globalOffers`), not on the map.
 */
export function countriesOf(kept: Kept): CountryCounts[] {
	const countries: CountryCounts[] = [];
	for (let country = 0; country < kept.flags.size; country += 1) {
		const counts = zeroCounts();
		let any = 0;
		for (const kind of statsKinds) {
			counts[kind] = kept.tallies[kind].byCountry[country];
			any += counts[kind];
		}
		if (any) countries.push({ country: countryCodeAt(country), counts });
	}
	return countries.sort((a, b) => (a.country < b.country ? -1 : a.country > b.country ? 1 : 0));
}

/**
 * Every month of the period, zeros kept: from the filter's `from` (else the first month with a
 * record, else this month) to its `to` (else this month, or a later record's).
 */
export function monthsOf(s: Selection, kept: Kept, now: number): MonthCounts[] {
	let first = monthKey(now) - FIRST_MONTH;
	let last = first;
	for (const kind of statsKinds) {
		const byMonth = kept.tallies[kind].byMonth;
		for (let slot = 0; slot < MONTH_SLOTS; slot += 1) {
			if (byMonth[slot] === 0) continue;
			first = Math.min(first, slot);
			last = Math.max(last, slot);
		}
	}
	if (s.from !== -Infinity) first = s.from - FIRST_MONTH;
	if (s.to !== Infinity) last = s.to - FIRST_MONTH;
	const months: MonthCounts[] = [];
	for (let slot = first; slot <= last; slot += 1) {
		const counts = zeroCounts();
		if (slot >= 0 && slot < MONTH_SLOTS) {
			for (const kind of statsKinds) counts[kind] = kept.tallies[kind].byMonth[slot];
		}
		months.push({ month: monthText(slot + FIRST_MONTH), counts });
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

/**
 * The gap's rows: every theme and target, and each inhabited region and sub-region with any need
 * or offer (a global offer reaches Antarctica, but no one there asks).
 */
const gapValues = {
	theme: themeIds.map((id, bit) => ({ id, bit })),
	sdg: sdgTargetIds.map((id, bit) => ({ id, bit })),
	region: [
		...inhabitedRegionCodes,
		...inhabitedRegionCodes.flatMap((code) => subregionsByRegion[code])
	] as string[]
};
const gapRegions = new Set<string>(gapValues.region);

/**
 * Supply against demand: for each theme, target and region, open needs, open offers that could
 * serve them (same theme or target; serving the region) and open needs without a plausible offer.
 * Where cooperation is missing comes first: most needs without an offer, then fewest offers per
 * need; rows without needs last.
 */
export function gapOf(facts: StatsFacts, kept: Kept, now: number): Gap {
	const plausible = plausibleNeeds(facts, now);
	const rows = new Map<string, GapRow>();
	const rowOf = (dimension: GapRow['dimension'], value: string) => {
		const key = `${dimension}:${value}`;
		let row = rows.get(key);
		if (!row) {
			row = { dimension, value, openNeeds: 0, servingOffers: 0, needsWithoutOffer: 0 };
			rows.set(key, row);
		}
		return row;
	};
	for (const { id } of gapValues.theme) rowOf('theme', id);
	for (const { id } of gapValues.sdg) rowOf('sdg', id);
	const rowsOfRecord = (
		record: { themes: number; sdgs: number },
		regions: Iterable<string | null | undefined>
	) => {
		const hit: GapRow[] = [];
		for (const { id, bit } of gapValues.theme) {
			if ((record.themes & (1 << bit)) !== 0) hit.push(rowOf('theme', id));
		}
		for (const { id, bit } of gapValues.sdg) {
			if ((record.sdgs & (1 << bit)) !== 0) hit.push(rowOf('sdg', id));
		}
		for (const code of new Set(regions)) {
			if (code && gapRegions.has(code)) hit.push(rowOf('region', code));
		}
		return hit;
	};
	const countries = facts.countries;
	kept.needs.forEach((need, i) => {
		const alone = plausible[kept.needIndexes[i]] === 0;
		const regions = [countries.region[need.country], countries.subregion[need.country]];
		for (const row of rowsOfRecord(need, regions)) {
			row.openNeeds += 1;
			if (alone) row.needsWithoutOffer += 1;
		}
	});
	for (const offer of kept.offers) {
		for (const row of rowsOfRecord(offer, offer.servedRegions)) row.servingOffers += 1;
	}
	const supply = (row: GapRow) =>
		row.openNeeds ? row.servingOffers / row.openNeeds : Number.POSITIVE_INFINITY;
	const order = (row: GapRow) =>
		row.dimension === 'theme'
			? themeIds.indexOf(row.value as never)
			: row.dimension === 'sdg'
				? 10 + sdgTargetIds.indexOf(row.value as never)
				: 100 + gapValues.region.indexOf(row.value);
	return {
		rows: [...rows.values()].sort(
			(a, b) =>
				b.needsWithoutOffer - a.needsWithoutOffer ||
				supply(a) - supply(b) ||
				b.openNeeds - a.openNeeds ||
				order(a) - order(b)
		)
	};
}

/** The middle value in whole days (of an even count, the lower middle's and upper's mean, down). */
export function medianDays(durations: number[]): number | null {
	if (durations.length === 0) return null;
	const days = Float64Array.from(durations, (ms) => Math.floor(ms / DAY_MS)).sort();
	const middle = days.length >> 1;
	return days.length % 2 ? days[middle] : Math.floor((days[middle - 1] + days[middle]) / 2);
}

/**
 * Statuses, introductions (requested = all of them, withdrawn ones included), the median days
 * from the introduction (else the proposal) to the first change to agreed and to completed, and
 * the open partnerships the partnerships module calls stale.
 */
export function pipelineOf(kept: Kept, now: Date): Pipeline {
	let stale = 0;
	for (const partnership of kept.partnerships) {
		if (isStale(partnership.lastActivityAt, now, partnership.status)) stale += 1;
	}
	return {
		byStatus: { ...kept.byStatus },
		introductions: { ...kept.introductions },
		medianDaysToAgreement: kept.medianDaysToAgreement,
		medianDaysToCompletion: kept.medianDaysToCompletion,
		stale
	};
}

/** Every figure of the insights for these filters. */
export function aggregate(facts: StatsFacts, filters: StatsFilters, now: Date): Insights {
	const s = selectionOf(facts.countries, filters);
	const at = now.getTime();
	const kept = keptRecords(facts, filters, s, at);
	return {
		filters,
		generatedAt: now.toISOString(),
		headline: headlineOf(facts, s, kept),
		matrix: matrixOf(kept),
		gap: gapOf(facts, kept, at),
		pipeline: pipelineOf(kept, now),
		countries: countriesOf(kept),
		globalOffers: kept.globalOffers,
		months: monthsOf(s, kept, at)
	};
}
