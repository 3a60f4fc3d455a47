import { and, count, desc, eq, inArray, lt, or, sql, type SQL } from 'drizzle-orm';
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
import { milestoneColumns, partiesFor, resultColumns, tagsOf } from './read';
import { isStale } from './stale';

/** The most values one filter takes (`?theme=S&theme=E` …). */
export const MAX_FILTER_VALUES = 20;
export const PAGE_SIZE = 20;

const facetSchemas = {
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

const publicOnly = sql`(exists (select 1 from ${table.partnershipParty} where ${table.partnershipParty.partnershipId} = ${table.partnership.id}) and not exists (select 1 from ${table.partnershipParty} where ${table.partnershipParty.partnershipId} = ${table.partnership.id} and ${table.partnershipParty.consentsToPublish} = 0))`;

const partyIn = (organisationIds: string[]) =>
	sql`exists (select 1 from ${table.partnershipParty} where ${table.partnershipParty.partnershipId} = ${table.partnership.id} and ${inArray(table.partnershipParty.organisationId, organisationIds)})`;

const hasTag = (vocabulary: (typeof table.partnershipTagVocabularies)[number], values: string[]) =>
	sql`exists (select 1 from ${table.partnershipTag} where ${table.partnershipTag.partnershipId} = ${table.partnership.id} and ${table.partnershipTag.vocabulary} = ${vocabulary} and ${inArray(table.partnershipTag.value, values)})`;

/** A party organisation's country matches. */
const partyCountry = (condition: SQL) =>
	sql`exists (select 1 from ${table.partnershipParty} join ${table.organisation} on ${table.organisation.id} = ${table.partnershipParty.organisationId} join ${table.country} on ${table.country.code} = ${table.organisation.countryCode} where ${table.partnershipParty.partnershipId} = ${table.partnership.id} and ${condition})`;

function filterConditions(filters: PartnershipFilters): SQL[] {
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

type Cursor = { createdAt: number; id: string };

export function encodeCursor(cursor: Cursor): string {
	return Buffer.from(JSON.stringify([cursor.createdAt, cursor.id])).toString('base64url');
}

/** The cursor, or null when it is not one of ours (the API answers 400 then). */
export function decodeCursor(value: string): Cursor | null {
	try {
		const parsed: unknown = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
		if (
			Array.isArray(parsed) &&
			parsed.length === 2 &&
			Number.isSafeInteger(parsed[0]) &&
			typeof parsed[1] === 'string'
		) {
			return { createdAt: parsed[0], id: parsed[1] };
		}
	} catch {
		// not base64url JSON: not a cursor of ours
	}
	return null;
}

/**
 * Public partnerships for the API, newest first, `limit` (1–100) at a time after `cursor`; each a
 * full public record (parties, status history, milestones, results).
 */
export function listPublicPartnerships(
	db: Db,
	filters: PartnershipFilters,
	options: { cursor?: string | null; limit?: number; now?: Date } = {}
) {
	const limit = Math.min(Math.max(Math.floor(options.limit ?? PAGE_SIZE), 1), 100);
	const base = and(publicOnly, ...filterConditions(filters));
	const total = db.select({ n: count() }).from(table.partnership).where(base).get()?.n ?? 0;
	const cursor = options.cursor ? decodeCursor(options.cursor) : null;
	const after = cursor
		? or(
				lt(table.partnership.createdAt, new Date(cursor.createdAt)),
				and(
					eq(table.partnership.createdAt, new Date(cursor.createdAt)),
					lt(table.partnership.id, cursor.id)
				)
			)
		: undefined;
	const rows = db
		.select({ id: table.partnership.id, createdAt: table.partnership.createdAt })
		.from(table.partnership)
		.where(and(base, after))
		.orderBy(desc(table.partnership.createdAt), desc(table.partnership.id))
		.limit(limit + 1)
		.all();
	const page = rows.slice(0, limit);
	const last = page.at(-1);
	return {
		data: publicRecords(
			db,
			page.map((row) => row.id),
			options.now
		),
		next:
			rows.length > limit && last
				? encodeCursor({ createdAt: last.createdAt.getTime(), id: last.id })
				: null,
		total
	};
}

/** One public partnership as the API gives it, or null when missing or not public. */
export function publicPartnership(db: Db, id: string, now = new Date()) {
	const visible = db
		.select({ id: table.partnership.id })
		.from(table.partnership)
		.where(and(eq(table.partnership.id, id), publicOnly))
		.get();
	return visible ? publicRecords(db, [id], now)[0] : null;
}

/**
 * The public record of each partnership: only what anyone may see (restricted needs and offers
 * and unpublished case studies are left out).
 */
function publicRecords(db: Db, ids: string[], now = new Date()) {
	if (ids.length === 0) return [];
	const rows = db
		.select({
			id: table.partnership.id,
			title: table.partnership.title,
			description: table.partnership.description,
			status: table.partnership.status,
			discontinuedReason: table.partnership.discontinuedReason,
			needId: table.partnership.needId,
			offerId: table.partnership.offerId,
			resultingCaseStudyId: table.partnership.resultingCaseStudyId,
			createdAt: table.partnership.createdAt,
			lastActivityAt: table.partnership.lastActivityAt
		})
		.from(table.partnership)
		.where(inArray(table.partnership.id, ids))
		.all();
	const byId = new Map(rows.map((row) => [row.id, row]));
	const parties = partiesFor(db, ids);
	const tags = tagsOf(db, ids);
	const history = groupBy(
		db
			.select({
				partnershipId: table.partnershipUpdate.partnershipId,
				from: table.partnershipUpdate.statusFrom,
				to: table.partnershipUpdate.statusTo,
				at: table.partnershipUpdate.createdAt
			})
			.from(table.partnershipUpdate)
			.where(
				and(
					inArray(table.partnershipUpdate.partnershipId, ids),
					sql`${table.partnershipUpdate.statusTo} is not null`
				)
			)
			.orderBy(table.partnershipUpdate.createdAt, table.partnershipUpdate.id)
			.all()
	);
	const milestones = groupBy(
		db
			.select({ partnershipId: table.partnershipMilestone.partnershipId, ...milestoneColumns })
			.from(table.partnershipMilestone)
			.where(inArray(table.partnershipMilestone.partnershipId, ids))
			.orderBy(table.partnershipMilestone.position)
			.all()
	);
	const results = groupBy(
		db
			.select({ partnershipId: table.partnershipResult.partnershipId, ...resultColumns })
			.from(table.partnershipResult)
			.where(inArray(table.partnershipResult.partnershipId, ids))
			.orderBy(table.partnershipResult.position)
			.all()
	);
	const publicNeeds = publicTitles(
		db,
		table.need,
		rows.map((row) => row.needId)
	);
	const publicOffers = publicTitles(
		db,
		table.offer,
		rows.map((row) => row.offerId)
	);
	const published = publishedCaseStudies(
		db,
		ids,
		rows.map((row) => row.resultingCaseStudyId)
	);
	return ids.flatMap((id) => {
		const row = byId.get(id);
		if (!row) return [];
		return [
			{
				id: row.id,
				title: row.title,
				description: row.description,
				status: row.status,
				discontinuedReason: row.discontinuedReason,
				...tags.get(id)!,
				parties: (parties.get(id) ?? []).map(({ slug, name, role, countryCode }) => ({
					organisation: slug,
					name,
					role,
					country: countryCode
				})),
				need: row.needId ? (publicNeeds.get(row.needId) ?? null) : null,
				offer: row.offerId ? (publicOffers.get(row.offerId) ?? null) : null,
				caseStudies: published.drewOn.get(id) ?? [],
				resultingCaseStudy: row.resultingCaseStudyId
					? (published.bySlugId.get(row.resultingCaseStudyId) ?? null)
					: null,
				statusHistory: (history.get(id) ?? []).map(({ from, to, at }) => ({ from, to, at })),
				milestones: (milestones.get(id) ?? []).map(({ title, dueOn, doneOn }) => ({
					title,
					dueOn,
					doneOn
				})),
				results: (results.get(id) ?? []).map(({ partnershipId: _, ...result }) => result),
				stale: isStale(row.lastActivityAt, now, row.status),
				createdAt: row.createdAt,
				lastActivityAt: row.lastActivityAt,
				path: `/partnerships/${id}`
			}
		];
	});
}
export type PublicPartnership = ReturnType<typeof publicRecords>[number];

function groupBy<T extends { partnershipId: string }>(rows: T[]): Map<string, T[]> {
	const groups = new Map<string, T[]>();
	for (const row of rows) {
		const list = groups.get(row.partnershipId) ?? [];
		list.push(row);
		groups.set(row.partnershipId, list);
	}
	return groups;
}

function publicTitles(
	db: Db,
	listing: typeof table.need | typeof table.offer,
	ids: (string | null)[]
): Map<string, { id: string; title: string }> {
	const wanted = ids.filter((id): id is string => id !== null);
	if (wanted.length === 0) return new Map();
	const rows = db
		.select({ id: listing.id, title: listing.title })
		.from(listing)
		.where(and(inArray(listing.id, wanted), eq(listing.visibility, 'public')))
		.all();
	return new Map(rows.map((row) => [row.id, row]));
}

function publishedCaseStudies(db: Db, partnershipIds: string[], resulting: (string | null)[]) {
	const drew = db
		.select({
			partnershipId: table.partnershipCaseStudy.partnershipId,
			slug: table.caseStudy.slug,
			title: table.caseStudy.title
		})
		.from(table.partnershipCaseStudy)
		.innerJoin(table.caseStudy, eq(table.caseStudy.id, table.partnershipCaseStudy.caseStudyId))
		.where(
			and(
				inArray(table.partnershipCaseStudy.partnershipId, partnershipIds),
				eq(table.caseStudy.workflowState, 'published')
			)
		)
		.all();
	const resultingIds = resulting.filter((id): id is string => id !== null);
	const made = resultingIds.length
		? db
				.select({
					id: table.caseStudy.id,
					slug: table.caseStudy.slug,
					title: table.caseStudy.title
				})
				.from(table.caseStudy)
				.where(
					and(
						inArray(table.caseStudy.id, resultingIds),
						eq(table.caseStudy.workflowState, 'published')
					)
				)
				.all()
		: [];
	return {
		drewOn: new Map(
			[...groupBy(drew)].map(([id, list]) => [id, list.map(({ slug, title }) => ({ slug, title }))])
		),
		bySlugId: new Map(made.map(({ id, slug, title }) => [id, { slug, title }]))
	};
}
