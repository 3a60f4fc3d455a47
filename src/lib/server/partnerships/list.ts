import { and, count, desc, inArray, or, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { m } from '$lib/paraglide/messages';
import type { Actor } from '$lib/server/auth/policy';
import type { Db } from '$lib/server/db';
import * as table from '$lib/server/db/schema';
import { partnershipStatuses } from '$lib/vocab/matchmaking';
import { isRegionCode } from '$lib/vocab/regions';
import {
	cooperationTypeSchema,
	regionCodeSchema,
	sdgTargetIdSchema,
	subregionCodeSchema,
	themeIdSchema
} from '$lib/vocab/schemas';
import { everyPartyConsents, memberships } from './access';
import { partiesFor, tagsOf } from './read';
import { isStale } from './stale';

/** The most values one filter takes (`?theme=S&theme=E` …). */
export const MAX_FILTER_VALUES = 20;
export const PAGE_SIZE = 20;

/** Each filter's value schema (also the OpenAPI document's). */
export const facetSchemas = {
	status: z.enum(partnershipStatuses, { error: () => m.partnerships_status_invalid() }),
	theme: themeIdSchema,
	sdg: sdgTargetIdSchema,
	/** A party's country in this UN M49 region or sub-region. */
	region: z.union([regionCodeSchema, subregionCodeSchema], {
		error: () => m.vocab_invalid_choice()
	}),
	country: z
		.string()
		.trim()
		.toUpperCase()
		.regex(/^[A-Z]{2}$/, { error: () => m.vocab_invalid_choice() }),
	cooperation: cooperationTypeSchema
} as const;
export type FilterName = keyof typeof facetSchemas;
export const filterNames = Object.keys(facetSchemas) as FilterName[];

export type PartnershipFilters = { [K in FilterName]?: z.output<(typeof facetSchemas)[K]>[] };

/**
 * Reads the list filters from a URL one value at a time: a bad value is dropped and reported in
 * `invalid` (the page says so and goes on; the API answers 400), a facet may be repeated (OR).
 */
export function parseListFilters(params: URLSearchParams): {
	filters: PartnershipFilters;
	invalid: { field: FilterName; value: string; message: string }[];
} {
	const filters: Record<string, unknown[]> = {};
	const invalid: { field: FilterName; value: string; message: string }[] = [];
	for (const name of filterNames) {
		const kept = new Set<unknown>();
		for (const value of params.getAll(name)) {
			if (value.trim() === '') continue;
			const parsed = facetSchemas[name].safeParse(value);
			if (!parsed.success) {
				invalid.push({ field: name, value, message: parsed.error.issues[0].message });
			} else if (kept.size >= MAX_FILTER_VALUES && !kept.has(parsed.data)) {
				invalid.push({
					field: name,
					value,
					message: m.caselist_filter_too_many({ max: MAX_FILTER_VALUES })
				});
			} else kept.add(parsed.data);
		}
		if (kept.size) filters[name] = [...kept];
	}
	return { filters: filters as PartnershipFilters, invalid };
}

/** Every party consents to publish (and there is at least one party). */
export const publicOnly = sql`(exists (select 1 from ${table.partnershipParty} where ${table.partnershipParty.partnershipId} = ${table.partnership.id}) and not exists (select 1 from ${table.partnershipParty} where ${table.partnershipParty.partnershipId} = ${table.partnership.id} and ${table.partnershipParty.consentsToPublish} = 0))`;

const partyIn = (organisationIds: string[]) =>
	sql`exists (select 1 from ${table.partnershipParty} where ${table.partnershipParty.partnershipId} = ${table.partnership.id} and ${inArray(table.partnershipParty.organisationId, organisationIds)})`;

const hasTag = (vocabulary: (typeof table.partnershipTagVocabularies)[number], values: string[]) =>
	sql`exists (select 1 from ${table.partnershipTag} where ${table.partnershipTag.partnershipId} = ${table.partnership.id} and ${table.partnershipTag.vocabulary} = ${vocabulary} and ${inArray(table.partnershipTag.value, values)})`;

/** A party organisation's country matches. */
const partyCountry = (condition: SQL) =>
	sql`exists (select 1 from ${table.partnershipParty} join ${table.organisation} on ${table.organisation.id} = ${table.partnershipParty.organisationId} join ${table.country} on ${table.country.code} = ${table.organisation.countryCode} where ${table.partnershipParty.partnershipId} = ${table.partnership.id} and ${condition})`;

export function filterConditions(filters: PartnershipFilters): SQL[] {
	const conditions: SQL[] = [];
	if (filters.status?.length) conditions.push(inArray(table.partnership.status, filters.status));
	if (filters.theme?.length) conditions.push(hasTag('theme', filters.theme));
	if (filters.sdg?.length) conditions.push(hasTag('sdg_target', filters.sdg));
	if (filters.cooperation?.length) conditions.push(hasTag('cooperation', filters.cooperation));
	if (filters.country?.length) {
		conditions.push(partyCountry(inArray(table.country.code, filters.country)));
	}
	if (filters.region?.length) {
		const regions = filters.region.filter((code) => isRegionCode(code));
		const subregions = filters.region.filter((code) => !isRegionCode(code));
		conditions.push(
			partyCountry(
				or(
					regions.length ? inArray(table.country.regionCode, regions) : undefined,
					subregions.length ? inArray(table.country.subregionCode, subregions) : undefined
				)!
			)
		);
	}
	return conditions;
}

/** Card fields of each partnership: parties, tags, staleness. */
function cards(
	db: Db,
	rows: {
		id: string;
		title: string;
		status: (typeof partnershipStatuses)[number];
		lastActivityAt: Date;
		createdAt: Date;
	}[],
	now: Date
) {
	const ids = rows.map((row) => row.id);
	const parties = partiesFor(db, ids);
	const tags = tagsOf(db, ids);
	return rows.map((row) => {
		const its = parties.get(row.id) ?? [];
		return {
			...row,
			isPublic: everyPartyConsents(its),
			isStale: isStale(row.lastActivityAt, now, row.status),
			parties: its.map(({ slug, name, role, countryCode }) => ({ slug, name, role, countryCode })),
			...tags.get(row.id)!
		};
	});
}

const cardColumns = {
	id: table.partnership.id,
	title: table.partnership.title,
	status: table.partnership.status,
	lastActivityAt: table.partnership.lastActivityAt,
	createdAt: table.partnership.createdAt
};

/**
 * The /partnerships list: public partnerships, and for a signed-in member also those of their own
 * organisations (`isPublic` false), most recently active first, one page at a time.
 */
export function listPartnerships(
	db: Db,
	actor: Actor,
	filters: PartnershipFilters,
	page = 1,
	now = new Date()
) {
	const own = [...memberships(db, actor).keys()];
	const where = and(
		own.length ? or(publicOnly, partyIn(own)) : publicOnly,
		...filterConditions(filters)
	);
	const total = db.select({ n: count() }).from(table.partnership).where(where).get()?.n ?? 0;
	const pageCount = Math.max(1, Math.ceil(total / PAGE_SIZE));
	const current = Math.min(Math.max(1, Math.floor(Number.isFinite(page) ? page : 1)), pageCount);
	const rows = db
		.select(cardColumns)
		.from(table.partnership)
		.where(where)
		.orderBy(desc(table.partnership.lastActivityAt), desc(table.partnership.id))
		.limit(PAGE_SIZE)
		.offset((current - 1) * PAGE_SIZE)
		.all();
	return { items: cards(db, rows, now), total, page: current, pageCount };
}
export type PartnershipCard = ReturnType<typeof listPartnerships>['items'][number];
