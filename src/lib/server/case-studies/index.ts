import {
	and,
	desc,
	eq,
	exists,
	gte,
	inArray,
	isNull,
	lt,
	lte,
	or,
	sql,
	type SQL
} from 'drizzle-orm';
import { z } from 'zod';
import { authorize, type Actor } from '$lib/server/auth/policy';
import type { Db } from '$lib/server/db';
import * as table from '$lib/server/db/schema';
import { renderMarkdown } from '$lib/server/markdown';
import {
	incomeGroupSchema,
	regionCodeSchema,
	sdgTargetIdSchema,
	serviceDomainSchema,
	technologySchema,
	themeIdSchema
} from '$lib/vocab/schemas';
import { canSeeUnpublished, permissionsOn } from './access';
import { tagsOf, type CaseStudySnapshot } from './content';
import { isOutOfDate } from './freshness';
import { listImages } from './images';
import { getRevision } from './revisions';
import { listValidations, validationCounts } from './validations';

export * from './workflow';
export { permissionsOn, stateLabel, type CasePermissions } from './access';
export { snapshotFields, type CaseStudySnapshot } from './content';
export * from './schema';

/** The long Markdown fields of a case, in page order. */
export const markdownFields = [
	'context',
	'objectives',
	'whatWasDone',
	'enablingFactors',
	'constraints',
	'lessons',
	'transferability'
] as const;

/**
 * A case for its page, or null when it does not exist or the actor may not see it: a case that
 * is not published is visible only to its organisation's members and to moderators.
 */
export function getBySlug(db: Db, actor: Actor, slug: string, now = new Date()) {
	const row = db
		.select({
			caseStudy: table.caseStudy,
			organisation: {
				id: table.organisation.id,
				slug: table.organisation.slug,
				name: table.organisation.name,
				verificationState: table.organisation.verificationState
			},
			country: {
				code: table.country.code,
				nameEn: table.country.nameEn,
				nameFr: table.country.nameFr,
				regionCode: table.country.regionCode,
				incomeGroup: table.country.incomeGroup
			},
			cityName: table.city.name
		})
		.from(table.caseStudy)
		.innerJoin(table.organisation, eq(table.organisation.id, table.caseStudy.organisationId))
		.innerJoin(table.country, eq(table.country.code, table.caseStudy.countryCode))
		.leftJoin(table.city, eq(table.city.id, table.caseStudy.cityId))
		.where(eq(table.caseStudy.slug, slug))
		.get();
	if (!row) return null;
	const { caseStudy, organisation, country, cityName } = row;
	if (caseStudy.workflowState !== 'published' && !canSeeUnpublished(db, actor, caseStudy)) {
		return null;
	}
	const stakeholders = db
		.select({
			name: table.caseStudyStakeholder.name,
			role: table.caseStudyStakeholder.role,
			organisationSlug: table.organisation.slug,
			organisationName: table.organisation.name
		})
		.from(table.caseStudyStakeholder)
		.leftJoin(
			table.organisation,
			eq(table.organisation.id, table.caseStudyStakeholder.organisationId)
		)
		.where(eq(table.caseStudyStakeholder.caseStudyId, caseStudy.id))
		.orderBy(table.caseStudyStakeholder.position)
		.all();
	const results = db
		.select({
			indicator: table.caseStudyResult.indicator,
			sdgIndicator: table.caseStudyResult.sdgIndicator,
			baseline: table.caseStudyResult.baseline,
			result: table.caseStudyResult.result,
			unit: table.caseStudyResult.unit,
			year: table.caseStudyResult.year,
			source: table.caseStudyResult.source
		})
		.from(table.caseStudyResult)
		.where(eq(table.caseStudyResult.caseStudyId, caseStudy.id))
		.orderBy(table.caseStudyResult.position)
		.all();
	const html = Object.fromEntries(
		markdownFields.map((field) => [field, renderMarkdown(caseStudy[field])])
	) as Record<(typeof markdownFields)[number], string>;
	return {
		...caseStudy,
		createdBy: undefined,
		reminderSentAt: undefined,
		budget:
			caseStudy.budgetAmount !== null
				? { amount: caseStudy.budgetAmount, currency: caseStudy.budgetCurrency ?? '' }
				: null,
		organisation,
		country,
		cityName,
		...tagsOf(db, caseStudy.id),
		stakeholders,
		results,
		html,
		validations: listValidations(db, caseStudy.id),
		validationCounts: validationCounts(db, caseStudy.id),
		images: listImages(db, caseStudy.id),
		outOfDate:
			caseStudy.workflowState === 'published' && isOutOfDate(caseStudy.lastReviewedAt, now),
		permissions: permissionsOn(db, actor, caseStudy)
	};
}
export type CaseStudyDetail = NonNullable<ReturnType<typeof getBySlug>>;

/** The latest saved content, for the editor (it is the newest revision's snapshot). */
export function editorValues(
	db: Db,
	caseStudyId: string
): { revision: number; values: CaseStudySnapshot } {
	const row = db
		.select({ revisionCount: table.caseStudy.revisionCount })
		.from(table.caseStudy)
		.where(eq(table.caseStudy.id, caseStudyId))
		.get();
	const revision = getRevision(db, caseStudyId, row?.revisionCount ?? 0);
	return { revision: revision.number, values: revision.snapshot };
}

export const sortOrders = ['newest', 'validated'] as const;
export type SortOrder = (typeof sortOrders)[number];

/** The list filters as query parameters (`/cases?theme=S&sdg=11.2&sort=validated`). */
export const listFilterSchema = z.object({
	theme: themeIdSchema.optional(),
	sdg: sdgTargetIdSchema.optional(),
	region: regionCodeSchema.optional(),
	country: z
		.string()
		.trim()
		.toUpperCase()
		.regex(/^[A-Z]{2}$/)
		.optional(),
	income: incomeGroupSchema.optional(),
	domain: serviceDomainSchema.optional(),
	technology: technologySchema.optional(),
	status: z.enum(table.caseStudyStatuses).optional(),
	year: z.coerce.number().int().min(1900).max(2200).optional(),
	organisation: z.string().trim().max(100).optional(),
	sort: z.enum(sortOrders).optional()
});
export type ListFilters = z.output<typeof listFilterSchema>;

/** Reads the filters from a URL; empty parameters are ignored. */
export function parseListFilters(params: URLSearchParams) {
	const values: Record<string, string> = {};
	for (const key of Object.keys(listFilterSchema.shape)) {
		const value = params.get(key);
		if (value !== null && value.trim() !== '') values[key] = value;
	}
	return listFilterSchema.safeParse(values);
}

type Cursor = { publishedAt: number; validationCount: number; id: string };

export function encodeCursor(cursor: Cursor): string {
	return Buffer.from(
		JSON.stringify([cursor.publishedAt, cursor.validationCount, cursor.id])
	).toString('base64url');
}

export function decodeCursor(value: string): Cursor | null {
	try {
		const parsed: unknown = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
		if (
			Array.isArray(parsed) &&
			parsed.length === 3 &&
			Number.isSafeInteger(parsed[0]) &&
			Number.isSafeInteger(parsed[1]) &&
			typeof parsed[2] === 'string'
		) {
			return { publishedAt: parsed[0], validationCount: parsed[1], id: parsed[2] };
		}
	} catch {
		// falls through: a broken cursor means the first page
	}
	return null;
}

const hasTag = (vocabulary: (typeof table.caseStudyTagVocabularies)[number], value: string) =>
	exists(
		sql`(select 1 from ${table.caseStudyTag} where ${table.caseStudyTag.caseStudyId} = ${table.caseStudy.id} and ${table.caseStudyTag.vocabulary} = ${vocabulary} and ${table.caseStudyTag.value} = ${value})`
	);

function filterConditions(filters: ListFilters): SQL[] {
	const conditions: SQL[] = [eq(table.caseStudy.workflowState, 'published')];
	if (filters.theme) conditions.push(hasTag('theme', filters.theme));
	if (filters.sdg) conditions.push(hasTag('sdg_target', filters.sdg));
	if (filters.domain) conditions.push(hasTag('domain', filters.domain));
	if (filters.technology) conditions.push(hasTag('technology', filters.technology));
	if (filters.region) conditions.push(eq(table.country.regionCode, filters.region));
	if (filters.country) conditions.push(eq(table.caseStudy.countryCode, filters.country));
	if (filters.income) conditions.push(eq(table.country.incomeGroup, filters.income));
	if (filters.status) conditions.push(eq(table.caseStudy.status, filters.status));
	if (filters.organisation) conditions.push(eq(table.organisation.slug, filters.organisation));
	if (filters.year !== undefined) {
		// Running in that year: started by then and not finished before.
		conditions.push(lte(table.caseStudy.startYear, filters.year));
		conditions.push(
			or(isNull(table.caseStudy.endYear), gte(table.caseStudy.endYear, filters.year)) as SQL
		);
	}
	return conditions;
}

function cursorCondition(sort: SortOrder, cursor: Cursor): SQL {
	const published = new Date(cursor.publishedAt);
	const newer = or(
		lt(table.caseStudy.publishedAt, published),
		and(eq(table.caseStudy.publishedAt, published), lt(table.caseStudy.id, cursor.id))
	) as SQL;
	if (sort === 'newest') return newer;
	return or(
		lt(table.caseStudy.validationCount, cursor.validationCount),
		and(eq(table.caseStudy.validationCount, cursor.validationCount), newer)
	) as SQL;
}

export const PAGE_SIZE = 20;

/**
 * Published cases matching the filters, newest or most validated first, `limit` at a time.
 * `nextCursor` is null on the last page.
 */
export function listPublished(
	db: Db,
	filters: ListFilters,
	options: { cursor?: string | null; limit?: number; now?: Date } = {}
) {
	const sort = filters.sort ?? 'newest';
	const limit = Math.min(Math.max(options.limit ?? PAGE_SIZE, 1), 100);
	const now = options.now ?? new Date();
	const conditions = filterConditions(filters);
	const cursor = options.cursor ? decodeCursor(options.cursor) : null;
	if (cursor) conditions.push(cursorCondition(sort, cursor));
	const order =
		sort === 'newest'
			? [desc(table.caseStudy.publishedAt), desc(table.caseStudy.id)]
			: [
					desc(table.caseStudy.validationCount),
					desc(table.caseStudy.publishedAt),
					desc(table.caseStudy.id)
				];
	const rows = db
		.select({
			id: table.caseStudy.id,
			slug: table.caseStudy.slug,
			title: table.caseStudy.title,
			summary: table.caseStudy.summary,
			status: table.caseStudy.status,
			startYear: table.caseStudy.startYear,
			endYear: table.caseStudy.endYear,
			language: table.caseStudy.language,
			publishedAt: table.caseStudy.publishedAt,
			updatedAt: table.caseStudy.updatedAt,
			lastReviewedAt: table.caseStudy.lastReviewedAt,
			validationCount: table.caseStudy.validationCount,
			organisationSlug: table.organisation.slug,
			organisationName: table.organisation.name,
			organisationVerified:
				sql<boolean>`${table.organisation.verificationState} = 'verified'`.mapWith(Boolean),
			countryCode: table.country.code,
			countryNameEn: table.country.nameEn,
			countryNameFr: table.country.nameFr,
			cityName: table.city.name
		})
		.from(table.caseStudy)
		.innerJoin(table.organisation, eq(table.organisation.id, table.caseStudy.organisationId))
		.innerJoin(table.country, eq(table.country.code, table.caseStudy.countryCode))
		.leftJoin(table.city, eq(table.city.id, table.caseStudy.cityId))
		.where(and(...conditions))
		.orderBy(...order)
		.limit(limit + 1)
		.all();
	const page = rows.slice(0, limit);
	const tags = tagsFor(
		db,
		page.map((row) => row.id)
	);
	const last = page.at(-1);
	return {
		items: page.map((row) => ({
			...row,
			themes: tags.get(row.id)?.theme ?? [],
			sdgTargets: tags.get(row.id)?.sdg_target ?? [],
			domains: tags.get(row.id)?.domain ?? [],
			technologies: tags.get(row.id)?.technology ?? [],
			outOfDate: isOutOfDate(row.lastReviewedAt, now)
		})),
		nextCursor:
			rows.length > limit && last
				? encodeCursor({
						publishedAt: last.publishedAt?.getTime() ?? 0,
						validationCount: last.validationCount,
						id: last.id
					})
				: null
	};
}
export type CaseStudyListItem = ReturnType<typeof listPublished>['items'][number];

/** How many published cases match the filters (for "see all N" links and the list's count). */
export function countPublished(db: Db, filters: ListFilters): number {
	const row = db
		.select({ count: sql<number>`count(*)` })
		.from(table.caseStudy)
		.innerJoin(table.organisation, eq(table.organisation.id, table.caseStudy.organisationId))
		.innerJoin(table.country, eq(table.country.code, table.caseStudy.countryCode))
		.where(and(...filterConditions(filters)))
		.get();
	return row?.count ?? 0;
}

/**
 * Reads the filters from a URL one at a time, so that one bad value (an unknown theme, year
 * "abc") drops only that filter and the page can say so, instead of failing or dropping all.
 */
export function parseListFiltersLeniently(params: URLSearchParams): {
	filters: ListFilters;
	ignored: { name: keyof ListFilters; value: string }[];
} {
	const filters: Record<string, unknown> = {};
	const ignored: { name: keyof ListFilters; value: string }[] = [];
	for (const [name, schema] of Object.entries(listFilterSchema.shape)) {
		const value = params.get(name);
		if (value === null || value.trim() === '') continue;
		const parsed = schema.safeParse(value);
		if (parsed.success) filters[name] = parsed.data;
		else ignored.push({ name: name as keyof ListFilters, value });
	}
	return { filters: filters as ListFilters, ignored };
}

/** The countries that have published cases, for the list's country filter. */
export function countriesWithPublishedCases(db: Db) {
	return db
		.selectDistinct({
			code: table.country.code,
			nameEn: table.country.nameEn,
			nameFr: table.country.nameFr
		})
		.from(table.caseStudy)
		.innerJoin(table.country, eq(table.country.code, table.caseStudy.countryCode))
		.where(eq(table.caseStudy.workflowState, 'published'))
		.all();
}

function tagsFor(db: Db, ids: string[]) {
	const byCase = new Map<string, Record<string, string[]>>();
	if (ids.length === 0) return byCase;
	const rows = db
		.select({
			caseStudyId: table.caseStudyTag.caseStudyId,
			vocabulary: table.caseStudyTag.vocabulary,
			value: table.caseStudyTag.value
		})
		.from(table.caseStudyTag)
		.where(
			and(
				inArray(table.caseStudyTag.caseStudyId, ids),
				inArray(table.caseStudyTag.vocabulary, ['theme', 'sdg_target', 'domain', 'technology'])
			)
		)
		.orderBy(table.caseStudyTag.position)
		.all();
	for (const row of rows) {
		const tags = byCase.get(row.caseStudyId) ?? {};
		(tags[row.vocabulary] ??= []).push(row.value);
		byCase.set(row.caseStudyId, tags);
	}
	return byCase;
}

/**
 * An organisation's cases for its profile: published ones for everyone, all of them (with their
 * state) for its members and moderators.
 */
export function listForOrganisation(db: Db, actor: Actor, organisationId: string) {
	const everyState = canSeeUnpublished(db, actor, { organisationId });
	return db
		.select({
			id: table.caseStudy.id,
			slug: table.caseStudy.slug,
			title: table.caseStudy.title,
			summary: table.caseStudy.summary,
			workflowState: table.caseStudy.workflowState,
			moderatorFeedback: table.caseStudy.moderatorFeedback,
			publishedAt: table.caseStudy.publishedAt,
			updatedAt: table.caseStudy.updatedAt,
			validationCount: table.caseStudy.validationCount
		})
		.from(table.caseStudy)
		.where(
			and(
				eq(table.caseStudy.organisationId, organisationId),
				everyState ? undefined : eq(table.caseStudy.workflowState, 'published')
			)
		)
		.orderBy(desc(table.caseStudy.updatedAt))
		.all()
		.map((row) => (everyState ? row : { ...row, moderatorFeedback: null }));
}

/** Cases waiting for a moderator, oldest first (moderators only). */
export function submittedCases(db: Db, actor: Actor) {
	authorize(actor, 'case_study:moderate');
	return db
		.select({
			id: table.caseStudy.id,
			slug: table.caseStudy.slug,
			title: table.caseStudy.title,
			submittedAt: table.caseStudy.submittedAt,
			organisationName: table.organisation.name,
			organisationSlug: table.organisation.slug
		})
		.from(table.caseStudy)
		.innerJoin(table.organisation, eq(table.organisation.id, table.caseStudy.organisationId))
		.where(eq(table.caseStudy.workflowState, 'submitted'))
		.orderBy(table.caseStudy.submittedAt)
		.all();
}
