/**
 * The facts the insights aggregate: one compact row per PUBLIC record (its tags as bit masks, its
 * place, its dates, its status), read from SQL once per connection and kept until a write to what
 * it is read from (db/watched-copy.ts). Each group is its own copy, so publishing a need does not
 * read 100,000 case studies again. Unpublished, restricted and private records are never read, so
 * no aggregate can count them.
 */
import type Database from 'better-sqlite3';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import type { Db } from '$lib/server/db';
import * as table from '$lib/server/db/schema';
import { watchedCopy, type WatchedTable } from '$lib/server/db/watched-copy';
import type { ExclusionNeed, ExclusionOffer, Place } from '$lib/server/matching/score';
import { publicOnly } from '$lib/server/partnerships/list';
import type {
	IntroductionStatus,
	NeedStatus,
	OfferStatus,
	PartnershipStatus
} from '$lib/vocab/matchmaking';
import { sdgTargetIds } from '$lib/vocab/sdg';
import { themeIds } from '$lib/vocab/themes';
import { cooperationTypes, type IncomeGroup } from '$lib/vocab/vocabularies';

/** Bit i set: the record has themeIds[i] (sdgTargetIds[i], cooperationTypes[i]). */
export function maskOf(ids: readonly string[], values: Iterable<string>): number {
	let mask = 0;
	for (const value of values) {
		const index = ids.indexOf(value);
		if (index >= 0) mask |= 1 << index;
	}
	return mask;
}
export const themeMask = (values: Iterable<string>) => maskOf(themeIds, values);
export const sdgMask = (values: Iterable<string>) => maskOf(sdgTargetIds, values);
export const cooperationMask = (values: Iterable<string>) => maskOf(cooperationTypes, values);

/** A calendar month as one number (year × 12 + month index), UTC. */
export function monthKey(ms: number): number {
	const date = new Date(ms);
	return date.getUTCFullYear() * 12 + date.getUTCMonth();
}
export const monthText = (key: number) =>
	`${Math.floor(key / 12)}-${String((key % 12) + 1).padStart(2, '0')}`;
/** `YYYY-MM` (already validated) to its key. */
export const monthOfText = (text: string) =>
	Number(text.slice(0, 4)) * 12 + Number(text.slice(5, 7)) - 1;

/**
 * Country codes as small numbers, the same for the life of the process in every copy (a copy read
 * later never shifts an earlier one's numbers). -1: no place.
 */
const countryCodes: string[] = [];
const countryNumbers = new Map<string, number>();
export function countryIndex(code: string | null): number {
	if (code === null) return -1;
	let index = countryNumbers.get(code);
	if (index === undefined) {
		index = countryCodes.length;
		countryCodes.push(code);
		countryNumbers.set(code, index);
	}
	return index;
}
export const countryCodeAt = (index: number): string => countryCodes[index];
/** How many country numbers were given out so far. */
export const countryCount = (): number => countryCodes.length;

/** The country reference table by country index; "developing" and LDC come from here only. */
export interface CountryFacts {
	code: string[];
	region: (string | null)[];
	subregion: (string | null)[];
	income: (IncomeGroup | null)[];
	isLdc: boolean[];
}

/** Published case studies, as parallel arrays (100,000 rows stay small and fast to walk). */
export interface CaseStudyFacts {
	count: number;
	country: Int32Array;
	/** Month of publication (monthKey). */
	month: Int32Array;
	themes: Int32Array;
	sdgs: Int32Array;
}

/** A public need (visibility 'public'), any status; placed in its city's country. */
export interface NeedFact {
	country: number;
	/** Month it was posted. */
	month: number;
	status: NeedStatus;
	expiresAt: number;
	themes: number;
	sdgs: number;
	cooperation: number;
	/** What matching's hard rules read. */
	exclusion: ExclusionNeed;
}

/** A public offer, any status; placed where it serves. */
export interface OfferFact {
	month: number;
	status: OfferStatus;
	deadline: number | null;
	themes: number;
	sdgs: number;
	cooperation: number;
	isGlobal: boolean;
	/**
	 * Countries it serves (named, in a region or sub-region it names, or every country when
	 * global) and is open to (eligible income groups, least developed only).
	 */
	served: Int32Array;
	/** M49 regions and sub-regions of those countries. */
	servedRegions: string[];
	exclusion: ExclusionOffer;
}

/** A partnership every party agreed to publish (the partnerships module's rule). */
export interface PartnershipFact {
	status: PartnershipStatus;
	/** The first beneficiary's country, else the lead's; -1 when neither. */
	country: number;
	/** Month it was proposed. */
	month: number;
	themes: number;
	sdgs: number;
	cooperation: number;
	lastActivityAt: Date;
	/** The introduction it came from, else its proposal (ms). */
	startedAt: number;
	/** First status change to agreed / to completed (ms), null when it never got there. */
	agreedAt: number | null;
	completedAt: number | null;
}

/**
 * An introduction behind a public partnership, or without a partnership between public listings
 * (a public need and a public offer, or a public need and a partner organisation); tagged and
 * placed by its need when the listings are public, else by its partnership.
 */
export interface IntroductionFact {
	status: IntroductionStatus;
	country: number;
	month: number;
	themes: number;
	sdgs: number;
	cooperation: number;
}

/** A verified organisation. */
export interface OrganisationFact {
	country: number;
	isCity: boolean;
}

export interface ListingFacts {
	needs: NeedFact[];
	offers: OfferFact[];
}
export interface PartnershipFacts {
	partnerships: PartnershipFact[];
	introductions: IntroductionFact[];
}

export interface StatsFacts extends ListingFacts, PartnershipFacts {
	countries: CountryFacts;
	caseStudies: CaseStudyFacts;
	organisations: OrganisationFact[];
}

const rowsOf = <Row>(client: Database.Database, query: string, ...params: unknown[]) =>
	client
		.prepare(query)
		.raw()
		.all(...params) as Row[];
const listOf = (concatenated: string | null) => (concatenated ? concatenated.split(',') : []);

function readCountries(client: Database.Database): CountryFacts {
	const facts: CountryFacts = { code: [], region: [], subregion: [], income: [], isLdc: [] };
	for (const [code, region, subregion, income, isLdc] of rowsOf<
		[string, string, string, IncomeGroup | null, number]
	>(
		client,
		'SELECT code, region_code, subregion_code, income_group, is_ldc FROM country ORDER BY code'
	)) {
		const index = countryIndex(code);
		facts.code[index] = code;
		facts.region[index] = region;
		facts.subregion[index] = subregion;
		facts.income[index] = income;
		facts.isLdc[index] = isLdc === 1;
	}
	return facts;
}

/** Bit of each theme and target id, for the tag scans. */
const tagBits = new Map<string, number>([
	...themeIds.map((id, bit) => [`theme:${id}`, bit] as const),
	...sdgTargetIds.map((id, bit) => [`sdg_target:${id}`, bit] as const)
]);

/**
 * Two scans (the published rows, then every theme and target tag) joined in memory: at 100,000
 * case studies much faster than a tag lookup per row.
 */
function readCaseStudies(client: Database.Database): CaseStudyFacts {
	const rows = rowsOf<[string, string, number | null]>(
		client,
		`SELECT id, country_code, published_at FROM case_study WHERE workflow_state = 'published'`
	);
	const facts: CaseStudyFacts = {
		count: rows.length,
		country: new Int32Array(rows.length),
		month: new Int32Array(rows.length),
		themes: new Int32Array(rows.length),
		sdgs: new Int32Array(rows.length)
	};
	const indexOf = new Map<string, number>();
	rows.forEach(([id, country, publishedAt], i) => {
		indexOf.set(id, i);
		facts.country[i] = countryIndex(country);
		facts.month[i] = monthKey(publishedAt ?? 0);
	});
	const tags = client
		.prepare(
			`SELECT case_study_id, vocabulary, value FROM case_study_tag
			  WHERE vocabulary IN ('theme', 'sdg_target')`
		)
		.raw()
		.iterate() as IterableIterator<[string, 'theme' | 'sdg_target', string]>;
	for (const [id, vocabulary, value] of tags) {
		const i = indexOf.get(id);
		const bit = tagBits.get(`${vocabulary}:${value}`);
		if (i === undefined || bit === undefined) continue;
		if (vocabulary === 'theme') facts.themes[i] |= 1 << bit;
		else facts.sdgs[i] |= 1 << bit;
	}
	return facts;
}

function placeOf(countries: CountryFacts, index: number): Place {
	return {
		countryCode: countries.code[index],
		countryName: countries.code[index],
		regionCode: countries.region[index] ?? null,
		subregionCode: countries.subregion[index] ?? null,
		incomeGroup: countries.income[index] ?? null,
		isLdc: countries.isLdc[index] ?? false
	};
}

const tagColumns = (tagTable: string, key: string, id: string, vocabularies: string[]) =>
	vocabularies
		.map(
			(vocabulary) =>
				`(SELECT group_concat(t.value) FROM ${tagTable} t WHERE t.${key} = ${id} AND t.vocabulary = '${vocabulary}')`
		)
		.join(', ');

function readListings(client: Database.Database): ListingFacts {
	const countries = readCountries(client);
	const needs = rowsOf<
		[string, string, NeedStatus, number, number, string | null, string | null, string | null]
	>(
		client,
		`SELECT n.organisation_id, o.country_code, n.status, n.expires_at, n.created_at,
		        ${tagColumns('need_tag', 'need_id', 'n.id', ['theme', 'sdg_target', 'cooperation'])}
		   FROM need n JOIN organisation o ON o.id = n.organisation_id
		  WHERE n.visibility = 'public'`
	).map(([organisationId, country, status, expiresAt, createdAt, themes, sdgs, cooperation]) => {
		const index = countryIndex(country);
		const cooperationTypes = listOf(cooperation);
		return {
			country: index,
			month: monthKey(createdAt),
			status,
			expiresAt,
			themes: themeMask(listOf(themes)),
			sdgs: sdgMask(listOf(sdgs)),
			cooperation: cooperationMask(cooperationTypes),
			exclusion: {
				status,
				expiresAt,
				organisationId,
				cooperationTypes,
				place: placeOf(countries, index)
			}
		} satisfies NeedFact;
	});

	// Partnerships made from an offer that were not discontinued use up its capacity (matching).
	const capacityUsed = new Map(
		rowsOf<[string, number]>(
			client,
			`SELECT offer_id, count(*) FROM partnership
			  WHERE offer_id IS NOT NULL AND status <> 'discontinued' GROUP BY offer_id`
		)
	);
	const everyCountry = countries.code.flatMap((code, index) => (code ? [index] : []));
	const offers = rowsOf<
		[
			string,
			string,
			OfferStatus,
			number | null,
			number,
			number,
			number | null,
			string,
			number,
			string | null,
			string | null,
			string | null,
			string | null,
			string | null
		]
	>(
		client,
		`SELECT f.id, f.organisation_id, f.status, f.deadline, f.created_at, f.is_global, f.capacity,
		        f.eligible_income_groups, f.only_least_developed,
		        ${tagColumns('offer_tag', 'offer_id', 'f.id', ['theme', 'sdg_target', 'cooperation', 'region', 'country'])}
		   FROM offer f
		  WHERE f.visibility = 'public'`
	).map(
		([
			id,
			organisationId,
			status,
			deadline,
			createdAt,
			isGlobal,
			capacity,
			eligible,
			onlyLeastDeveloped,
			themes,
			sdgs,
			cooperation,
			regions,
			named
		]) => {
			const exclusion: ExclusionOffer = {
				status,
				deadline,
				organisationId,
				cooperationTypes: listOf(cooperation),
				isGlobal: isGlobal === 1,
				regions: listOf(regions),
				countries: listOf(named),
				eligibleIncomeGroups: JSON.parse(eligible) as string[],
				onlyLeastDeveloped: onlyLeastDeveloped === 1,
				capacity,
				capacityUsed: capacityUsed.get(id) ?? 0
			};
			const served = everyCountry.filter((index) => serves(exclusion, countries, index));
			const servedRegions = new Set<string>();
			for (const index of served) {
				if (countries.region[index]) servedRegions.add(countries.region[index]!);
				if (countries.subregion[index]) servedRegions.add(countries.subregion[index]!);
			}
			return {
				month: monthKey(createdAt),
				status,
				deadline,
				themes: themeMask(listOf(themes)),
				sdgs: sdgMask(listOf(sdgs)),
				cooperation: cooperationMask(exclusion.cooperationTypes),
				isGlobal: exclusion.isGlobal,
				served: Int32Array.from(served),
				servedRegions: [...servedRegions],
				exclusion
			} satisfies OfferFact;
		}
	);
	return { needs, offers };
}

/** Whether the offer serves the country and is open to it (as matching's hard rules judge it). */
function serves(offer: ExclusionOffer, countries: CountryFacts, index: number): boolean {
	const code = countries.code[index];
	const inPlace =
		offer.isGlobal ||
		offer.countries.includes(code) ||
		(countries.region[index] !== null && offer.regions.includes(countries.region[index]!)) ||
		(countries.subregion[index] !== null && offer.regions.includes(countries.subregion[index]!));
	if (!inPlace) return false;
	const income = countries.income[index];
	if (
		offer.eligibleIncomeGroups.length > 0 &&
		(income === null || !offer.eligibleIncomeGroups.includes(income))
	) {
		return false;
	}
	return !offer.onlyLeastDeveloped || countries.isLdc[index];
}

function readPartnerships(client: Database.Database): PartnershipFacts {
	// The public rule is the partnerships module's own SQL (every party consents), run here raw.
	const query = drizzle(client)
		.select({
			id: table.partnership.id,
			status: table.partnership.status,
			createdAt: sql`${table.partnership.createdAt}`,
			lastActivityAt: sql`${table.partnership.lastActivityAt}`,
			agreedAt: table.partnership.agreedAt,
			completedAt: table.partnership.completedAt
		})
		.from(table.partnership)
		.where(publicOnly)
		.toSQL();
	const publicRows = rowsOf<
		[string, PartnershipStatus, number, number, number | null, number | null]
	>(client, query.sql, ...query.params);
	const ids = new Set(publicRows.map(([id]) => id));
	const details = new Map(
		rowsOf<
			[
				string,
				string | null,
				number | null,
				number | null,
				string | null,
				string | null,
				string | null
			]
		>(
			client,
			`SELECT p.id,
			        (SELECT o.country_code FROM partnership_party pp
			           JOIN organisation o ON o.id = pp.organisation_id
			          WHERE pp.partnership_id = p.id AND pp.role IN ('beneficiary', 'lead')
			          ORDER BY pp.role = 'beneficiary' DESC, pp.position LIMIT 1),
			        (SELECT min(u.created_at) FROM partnership_update u
			          WHERE u.partnership_id = p.id AND u.status_to = 'agreed'),
			        (SELECT min(u.created_at) FROM partnership_update u
			          WHERE u.partnership_id = p.id AND u.status_to = 'completed'),
			        ${tagColumns('partnership_tag', 'partnership_id', 'p.id', ['theme', 'sdg_target', 'cooperation'])}
			   FROM partnership p`
		)
			.filter(([id]) => ids.has(id))
			.map(([id, ...rest]) => [id, rest] as const)
	);
	// Grouped once: introduction.partnership_id has no index, a lookup per partnership would scan.
	const introducedAt = new Map(
		rowsOf<[string, number]>(
			client,
			`SELECT partnership_id, min(created_at) FROM introduction
			  WHERE partnership_id IS NOT NULL GROUP BY partnership_id`
		)
	);
	const partnerships = new Map<string, PartnershipFact>();
	for (const [id, status, createdAt, lastActivityAt, agreedColumn, completedColumn] of publicRows) {
		const [country, agreedAt, completedAt, themes, sdgs, cooperation] = details.get(id)!;
		partnerships.set(id, {
			status,
			country: countryIndex(country),
			month: monthKey(createdAt),
			themes: themeMask(listOf(themes)),
			sdgs: sdgMask(listOf(sdgs)),
			cooperation: cooperationMask(listOf(cooperation)),
			lastActivityAt: new Date(lastActivityAt),
			startedAt: introducedAt.get(id) ?? createdAt,
			agreedAt: agreedAt ?? agreedColumn,
			completedAt: completedAt ?? completedColumn
		});
	}

	const introductions: IntroductionFact[] = [];
	for (const [
		status,
		createdAt,
		partnershipId,
		needVisibility,
		offerId,
		offerVisibility,
		country,
		themes,
		sdgs,
		cooperation
	] of rowsOf<
		[
			IntroductionStatus,
			number,
			string | null,
			string | null,
			string | null,
			string | null,
			string | null,
			string | null,
			string | null,
			string | null
		]
	>(
		client,
		`SELECT i.status, i.created_at, i.partnership_id, n.visibility, i.offer_id, f.visibility,
		        o.country_code,
		        ${tagColumns('need_tag', 'need_id', 'n.id', ['theme', 'sdg_target', 'cooperation'])}
		   FROM introduction i
		   LEFT JOIN need n ON n.id = i.need_id
		   LEFT JOIN organisation o ON o.id = n.organisation_id
		   LEFT JOIN offer f ON f.id = i.offer_id`
	)) {
		// One that led to a partnership counts only when that partnership is public: an accepted
		// introduction behind a private record is that record's business.
		const partnership = partnershipId ? partnerships.get(partnershipId) : undefined;
		if (partnershipId && !partnership) continue;
		const betweenPublicListings =
			needVisibility === 'public' && (offerId === null || offerVisibility === 'public');
		if (betweenPublicListings) {
			introductions.push({
				status,
				country: countryIndex(country),
				month: monthKey(createdAt),
				themes: themeMask(listOf(themes)),
				sdgs: sdgMask(listOf(sdgs)),
				cooperation: cooperationMask(listOf(cooperation))
			});
		} else if (partnership) {
			const { country: place, themes: t, sdgs: s, cooperation: c } = partnership;
			introductions.push({
				status,
				country: place,
				month: monthKey(createdAt),
				themes: t,
				sdgs: s,
				cooperation: c
			});
		}
	}
	return { partnerships: [...partnerships.values()], introductions };
}

function readOrganisations(client: Database.Database): OrganisationFact[] {
	return rowsOf<[string, string]>(
		client,
		`SELECT country_code, kind FROM organisation WHERE verification_state = 'verified'`
	).map(([country, kind]) => ({ country: countryIndex(country), isCity: kind === 'city' }));
}

/** Reference data: a new or changed country changes places in every group. */
const countryTable: WatchedTable = { table: 'country' };
const organisationCountry: WatchedTable = { table: 'organisation', columns: 'country_code' };

/** Each group is read in one read transaction, so it is consistent in itself. */
const inOneRead =
	<T>(read: (client: Database.Database) => T) =>
	(client: Database.Database): T =>
		client.transaction(() => read(client))();

const copies = {
	countries: watchedCopy('stats_countries', [countryTable], inOneRead(readCountries)),
	caseStudies: watchedCopy(
		'stats_case_studies',
		[
			{
				table: 'case_study',
				columns: 'workflow_state, published_at, country_code',
				rows: (row) => `${row}.workflow_state = 'published'`
			},
			{
				table: 'case_study_tag',
				rows: (row) =>
					`${row}.vocabulary IN ('theme', 'sdg_target') AND EXISTS (SELECT 1 FROM main.case_study cs WHERE cs.id = ${row}.case_study_id AND cs.workflow_state = 'published')`
			}
		],
		inOneRead(readCaseStudies)
	),
	listings: watchedCopy(
		'stats_listings',
		[
			{ table: 'need' },
			{ table: 'need_tag' },
			{ table: 'offer' },
			{ table: 'offer_tag' },
			{ table: 'partnership', columns: 'status, offer_id' },
			organisationCountry,
			countryTable
		],
		inOneRead(readListings)
	),
	partnerships: watchedCopy(
		'stats_partnerships',
		[
			{ table: 'partnership' },
			{ table: 'partnership_party' },
			{ table: 'partnership_tag' },
			{ table: 'partnership_update', columns: 'status_to, created_at' },
			{ table: 'introduction' },
			{ table: 'need', columns: 'visibility, organisation_id' },
			{ table: 'need_tag' },
			{ table: 'offer', columns: 'visibility' },
			organisationCountry
		],
		inOneRead(readPartnerships)
	),
	organisations: watchedCopy(
		'stats_organisations',
		[{ table: 'organisation', columns: 'kind, verification_state, country_code' }],
		inOneRead(readOrganisations)
	)
};

/**
 * The facts as of now for this connection. Each group is read inside its own read transaction;
 * a write between two groups' reads is seen by the next call (its trigger marks the copy).
 */
export function statsFacts(db: Db): StatsFacts {
	return {
		countries: copies.countries.get(db),
		caseStudies: copies.caseStudies.get(db),
		...copies.listings.get(db),
		...copies.partnerships.get(db),
		organisations: copies.organisations.get(db)
	};
}

/** Forgets this connection's facts (the bench's cold runs). */
export function forgetStatsFacts(db: Db): void {
	for (const copy of Object.values(copies)) copy.forget(db);
}

/** How many times each group was read in full (tests, bench). */
export function statsFullReads(): Record<keyof typeof copies, number> {
	return Object.fromEntries(
		Object.entries(copies).map(([name, copy]) => [name, copy.fullReads()])
	) as Record<keyof typeof copies, number>;
}
