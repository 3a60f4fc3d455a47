/** The /needs and /offers lists and the API's: filters, the visibility rule and totals in SQL. */
import {
	and,
	asc,
	count,
	desc,
	eq,
	exists,
	gt,
	gte,
	inArray,
	isNull,
	lt,
	or,
	sql,
	type SQL,
	type SQLWrapper
} from 'drizzle-orm';
import type { SQLiteSelect } from 'drizzle-orm/sqlite-core';
import type { Actor } from '$lib/server/auth/policy';
import type { Db } from '$lib/server/db';
import * as table from '$lib/server/db/schema';
import type { NeedStatus, OfferStatus } from '$lib/vocab/matchmaking';
import { subregionsByRegion, isRegionCode, type RegionCode } from '$lib/vocab/regions';
import { needState, offerState, viewerOf, visibleTo } from './access';
import { decodeCursor, encodeCursor, statusesOf, type ListingFilters } from './filters';
import {
	needTagsOf,
	offerTagsOf,
	organisationColumns,
	organisationOf,
	type ListingOrganisation
} from './rows';

export const PAGE_SIZE = 20;
export const API_LIMIT_MAX = 100;

const jsonHasAny = (column: SQLWrapper, values: string[]) =>
	sql`exists (select 1 from json_each(${column}) where json_each.value in ${values})`;

/** A region filter matches the region itself, its sub-regions, and for a sub-region its region. */
function regionFamily(codes: string[]): string[] {
	const family = new Set(codes);
	for (const code of codes) {
		if (isRegionCode(code)) for (const sub of subregionsByRegion[code]) family.add(sub);
		for (const [region, subs] of Object.entries(subregionsByRegion)) {
			if ((subs as readonly string[]).includes(code)) family.add(region as RegionCode);
		}
	}
	return [...family];
}

/** `status=open` means open and not expired; other statuses match as they are. */
function needStatusCondition(statuses: string[], now: Date): SQL {
	return or(
		...statuses.map((status) =>
			status === 'open'
				? and(eq(table.need.status, 'open'), sql`${table.need.expiresAt} > ${now.getTime()}`)
				: eq(table.need.status, status as NeedStatus)
		)
	) as SQL;
}

function offerStatusCondition(statuses: string[], now: Date): SQL {
	return or(
		...statuses.map((status) =>
			status === 'open'
				? and(
						eq(table.offer.status, 'open'),
						or(isNull(table.offer.deadline), gte(table.offer.deadline, now))
					)
				: eq(table.offer.status, status as OfferStatus)
		)
	) as SQL;
}

const needHasTag = (vocabulary: (typeof table.needTagVocabularies)[number], values: string[]) =>
	exists(
		sql`(select 1 from ${table.needTag} where ${table.needTag.needId} = ${table.need.id} and ${table.needTag.vocabulary} = ${vocabulary} and ${inArray(table.needTag.value, values)})`
	);

const offerHasTag = (vocabulary: (typeof table.offerTagVocabularies)[number], values: string[]) =>
	exists(
		sql`(select 1 from ${table.offerTag} where ${table.offerTag.offerId} = ${table.offer.id} and ${table.offerTag.vocabulary} = ${vocabulary} and ${inArray(table.offerTag.value, values)})`
	);

/** Needs are placed by their organisation's country. */
function needConditions(filters: ListingFilters, now: Date): SQL[] {
	const conditions: SQL[] = [needStatusCondition(statusesOf(filters), now)];
	if (filters.theme?.length) conditions.push(needHasTag('theme', filters.theme));
	if (filters.sdg?.length) conditions.push(needHasTag('sdg_target', filters.sdg));
	if (filters.cooperation?.length) conditions.push(needHasTag('cooperation', filters.cooperation));
	if (filters.region?.length) {
		conditions.push(
			or(
				inArray(table.country.regionCode, filters.region),
				inArray(table.country.subregionCode, filters.region)
			) as SQL
		);
	}
	if (filters.country?.length) conditions.push(inArray(table.country.code, filters.country));
	if (filters.income?.length) {
		conditions.push(
			inArray(table.country.incomeGroup, filters.income as ('L' | 'LM' | 'UM' | 'H')[])
		);
	}
	if (filters.language?.length) conditions.push(jsonHasAny(table.need.languages, filters.language));
	return conditions;
}

/**
 * Offers are placed where they serve: a region or country filter matches global offers, offers
 * serving that region (or its wider region or a sub-region of it), and offers naming a country
 * there; an income filter matches offers open to that group (an empty list is open to all).
 */
function offerConditions(filters: ListingFilters, now: Date): SQL[] {
	const conditions: SQL[] = [offerStatusCondition(statusesOf(filters), now)];
	if (filters.theme?.length) conditions.push(offerHasTag('theme', filters.theme));
	if (filters.sdg?.length) conditions.push(offerHasTag('sdg_target', filters.sdg));
	if (filters.cooperation?.length) conditions.push(offerHasTag('cooperation', filters.cooperation));
	if (filters.offerFormat?.length) {
		conditions.push(
			inArray(table.offer.format, filters.offerFormat as (typeof table.offer.format._.data)[])
		);
	}
	if (filters.region?.length) {
		const regions = filters.region;
		conditions.push(
			or(
				eq(table.offer.isGlobal, true),
				offerHasTag('region', regionFamily(regions)),
				exists(
					sql`(select 1 from ${table.offerTag} t join ${table.country} c on c.code = t.value where t.offer_id = ${table.offer.id} and t.vocabulary = 'country' and (c.region_code in ${regions} or c.subregion_code in ${regions}))`
				)
			) as SQL
		);
	}
	if (filters.country?.length) {
		const countries = filters.country;
		conditions.push(
			or(
				eq(table.offer.isGlobal, true),
				offerHasTag('country', countries),
				exists(
					sql`(select 1 from ${table.offerTag} t join ${table.country} c on (c.region_code = t.value or c.subregion_code = t.value) where t.offer_id = ${table.offer.id} and t.vocabulary = 'region' and c.code in ${countries})`
				)
			) as SQL
		);
	}
	if (filters.income?.length) {
		conditions.push(
			or(
				sql`json_array_length(${table.offer.eligibleIncomeGroups}) = 0`,
				jsonHasAny(table.offer.eligibleIncomeGroups, filters.income)
			) as SQL
		);
	}
	if (filters.language?.length) {
		conditions.push(jsonHasAny(table.offer.languages, filters.language));
	}
	return conditions;
}

type Paging = { offset: number; limit: number } | { cursor: string | null; limit: number };

/** Lists go newest first: after a cursor come older rows, or as old ones with a smaller id. */
function afterCursor(
	columns: {
		createdAt: typeof table.need.createdAt | typeof table.offer.createdAt;
		id: SQLWrapper;
	},
	paging: Paging
): SQL | undefined {
	const cursor = 'cursor' in paging && paging.cursor ? decodeCursor(paging.cursor) : null;
	if (!cursor) return undefined;
	const at = new Date(cursor.createdAt);
	return or(
		lt(columns.createdAt, at),
		and(eq(columns.createdAt, at), sql`${columns.id} < ${cursor.id}`)
	);
}

/** The page of rows read one beyond the limit, and the cursor to the next page if there is one. */
function pageOf<T extends { createdAt: Date; id: string }>(rows: T[], limit: number) {
	const page = rows.slice(0, limit);
	const last = page.at(-1);
	const nextCursor =
		rows.length > limit && last
			? encodeCursor({ createdAt: last.createdAt.getTime(), id: last.id })
			: null;
	return { page, nextCursor };
}

/** Which listings a reader wants, in which order, and how many. */
type ListingWindow = { where: SQL | undefined; orderBy: SQL[]; limit: number; offset?: number };

function inWindow<Query extends SQLiteSelect>(query: Query, window: ListingWindow) {
	return query
		.where(window.where)
		.orderBy(...window.orderBy)
		.limit(window.limit)
		.offset(window.offset ?? 0);
}

/** The rows completed as every reader shows them: tags, organisation and open/expired state. */
function withTagsAndState<
	Row extends { id: string; organisation: Parameters<typeof organisationOf>[0] },
	Tags,
	State
>(
	rows: Row[],
	tags: Map<string, Tags>,
	stateOf: (row: Row) => State
): (Omit<Row, 'organisation'> & Tags & { organisation: ListingOrganisation } & State)[] {
	return rows.map((row) => ({
		...row,
		...tags.get(row.id)!,
		organisation: organisationOf(row.organisation),
		...stateOf(row)
	}));
}

function needItems(db: Db, window: ListingWindow, now: Date) {
	const rows = inWindow(
		db
			.select({
				id: table.need.id,
				title: table.need.title,
				challenge: table.need.challenge,
				languages: table.need.languages,
				timeframe: table.need.timeframe,
				budgetAmount: table.need.budgetAmount,
				budgetCurrency: table.need.budgetCurrency,
				visibility: table.need.visibility,
				status: table.need.status,
				expiresAt: table.need.expiresAt,
				createdAt: table.need.createdAt,
				updatedAt: table.need.updatedAt,
				organisation: organisationColumns
			})
			.from(table.need)
			.innerJoin(table.organisation, eq(table.organisation.id, table.need.organisationId))
			.innerJoin(table.country, eq(table.country.code, table.organisation.countryCode))
			.leftJoin(table.city, eq(table.city.id, table.organisation.cityId))
			.$dynamic(),
		window
	).all();
	const tags = needTagsOf(
		db,
		rows.map((row) => row.id)
	);
	return withTagsAndState(rows, tags, (row) => needState(row, now));
}
export type NeedListItem = ReturnType<typeof needItems>[number];

function offerItems(db: Db, window: ListingWindow, now: Date) {
	const rows = inWindow(
		db
			.select({
				id: table.offer.id,
				title: table.offer.title,
				description: table.offer.description,
				format: table.offer.format,
				languages: table.offer.languages,
				isGlobal: table.offer.isGlobal,
				capacity: table.offer.capacity,
				eligibleIncomeGroups: table.offer.eligibleIncomeGroups,
				onlyLeastDeveloped: table.offer.onlyLeastDeveloped,
				deadline: table.offer.deadline,
				visibility: table.offer.visibility,
				status: table.offer.status,
				createdAt: table.offer.createdAt,
				updatedAt: table.offer.updatedAt,
				organisation: organisationColumns
			})
			.from(table.offer)
			.innerJoin(table.organisation, eq(table.organisation.id, table.offer.organisationId))
			.innerJoin(table.country, eq(table.country.code, table.organisation.countryCode))
			.leftJoin(table.city, eq(table.city.id, table.organisation.cityId))
			.$dynamic(),
		window
	).all();
	const tags = offerTagsOf(
		db,
		rows.map((row) => row.id)
	);
	return withTagsAndState(rows, tags, (row) => offerState(row, now));
}
export type OfferListItem = ReturnType<typeof offerItems>[number];

/** What differs between reading needs and reading offers. */
type ListingReader<Item> = {
	table: typeof table.need | typeof table.offer;
	conditions: (filters: ListingFilters, now: Date) => SQL[];
	items: (db: Db, window: ListingWindow, now: Date) => Item[];
};

const needReader: ListingReader<NeedListItem> = {
	table: table.need,
	conditions: needConditions,
	items: needItems
};

const offerReader: ListingReader<OfferListItem> = {
	table: table.offer,
	conditions: offerConditions,
	items: offerItems
};

/**
 * The listings the actor may see that match the filters, newest first, read one beyond the limit
 * to know whether another page follows; `total` counts only what the actor may see.
 */
function listingPage<Item extends { createdAt: Date; id: string }>(
	db: Db,
	reader: ListingReader<Item>,
	actor: Actor,
	filters: ListingFilters,
	now: Date,
	paging: Paging
) {
	const listing = reader.table;
	const conditions = [...reader.conditions(filters, now), visibleTo(viewerOf(db, actor), listing)];
	const total =
		db
			.select({ count: count() })
			.from(listing)
			.innerJoin(table.organisation, eq(table.organisation.id, listing.organisationId))
			.innerJoin(table.country, eq(table.country.code, table.organisation.countryCode))
			.where(and(...conditions))
			.get()?.count ?? 0;
	conditions.push(afterCursor(listing, paging));
	const rows = reader.items(
		db,
		{
			where: and(...conditions),
			orderBy: [desc(listing.createdAt), desc(listing.id)],
			limit: paging.limit + 1,
			offset: 'offset' in paging ? paging.offset : 0
		},
		now
	);
	const { page, nextCursor } = pageOf(rows, paging.limit);
	return { items: page, total, nextCursor };
}

const pageNumber = (page: number) => (Number.isSafeInteger(page) && page >= 1 ? page : 1);

type NumberedPageOptions = { now?: Date; pageSize?: number };

function numberedPage<Item extends { createdAt: Date; id: string }>(
	db: Db,
	reader: ListingReader<Item>,
	actor: Actor,
	filters: ListingFilters,
	page: number,
	options: NumberedPageOptions
) {
	const pageSize = options.pageSize ?? PAGE_SIZE;
	const current = pageNumber(page);
	const { items, total } = listingPage(db, reader, actor, filters, options.now ?? new Date(), {
		offset: (current - 1) * pageSize,
		limit: pageSize
	});
	return { items, total, page: current, pageCount: Math.max(1, Math.ceil(total / pageSize)) };
}

/**
 * One page (1-based) of the needs the actor may see that match the filters, newest first.
 * `total` counts only what the actor may see.
 */
export const listNeeds = (
	db: Db,
	actor: Actor,
	filters: ListingFilters,
	page = 1,
	options: NumberedPageOptions = {}
) => numberedPage(db, needReader, actor, filters, page, options);

export const listOffers = (
	db: Db,
	actor: Actor,
	filters: ListingFilters,
	page = 1,
	options: NumberedPageOptions = {}
) => numberedPage(db, offerReader, actor, filters, page, options);

type CursorPageOptions = { cursor?: string | null; limit?: number; now?: Date };

function cursorPage<Item extends { createdAt: Date; id: string }>(
	db: Db,
	reader: ListingReader<Item>,
	actor: Actor,
	filters: ListingFilters,
	options: CursorPageOptions
) {
	const limit = Math.min(Math.max(options.limit ?? PAGE_SIZE, 1), API_LIMIT_MAX);
	return listingPage(db, reader, actor, filters, options.now ?? new Date(), {
		cursor: options.cursor ?? null,
		limit
	});
}

/** The API's cursor pages: `nextCursor` is null on the last page. */
export const needsAfter = (
	db: Db,
	actor: Actor,
	filters: ListingFilters,
	options: CursorPageOptions = {}
) => cursorPage(db, needReader, actor, filters, options);

export const offersAfter = (
	db: Db,
	actor: Actor,
	filters: ListingFilters,
	options: CursorPageOptions = {}
) => cursorPage(db, offerReader, actor, filters, options);

type BatchOptions = { afterId: string; limit: number; now: Date };

/**
 * Every public listing of a kind, whatever its status, in id order after `afterId`: the bulk
 * files read them in batches this way. Restricted listings are never read.
 */
function publicListings<Item>(db: Db, reader: ListingReader<Item>, options: BatchOptions) {
	const listing = reader.table;
	return reader.items(
		db,
		{
			where: and(eq(listing.visibility, 'public'), gt(listing.id, options.afterId)),
			orderBy: [asc(listing.id)],
			limit: options.limit
		},
		options.now
	);
}

export const publicNeeds = (db: Db, options: BatchOptions) =>
	publicListings(db, needReader, options);

export const publicOffers = (db: Db, options: BatchOptions) =>
	publicListings(db, offerReader, options);
