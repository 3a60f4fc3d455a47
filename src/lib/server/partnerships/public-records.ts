import { and, count, desc, eq, inArray, lt, or, sql } from 'drizzle-orm';
import type { Db } from '$lib/server/db';
import * as table from '$lib/server/db/schema';
import * as listings from '$lib/server/needs-offers';
import { filterConditions, PAGE_SIZE, publicOnly, type PartnershipFilters } from './list';
import { milestoneColumns, partiesFor, recordColumns, resultColumns, tagsOf } from './read';
import { isStale } from './stale';

/** Public partnership records as the API gives them, newest first with a cursor. */

/** The same cursor as the needs and offers lists: the last row's creation time and id. */
export const { encodeCursor, decodeCursor } = listings;

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
		.select(recordColumns)
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
