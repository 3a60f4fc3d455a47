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
import { markdownFields, type MarkdownField } from '$lib/case-study-fields';
import { m } from '$lib/paraglide/messages';
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
import { resultColumns, tagsOf, type CaseStudySnapshot } from './content';
import { isOutOfDate } from './freshness';
import { listImages } from './images';
import { getRevision } from './revisions';
import { listValidations, validationCounts } from './validations';

export * from './workflow';
export { permissionsOn, stateLabel, type CasePermissions } from './access';
export { snapshotFields, type CaseStudySnapshot } from './content';
export * from './schema';

export { markdownFields };

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
		.select(resultColumns)
		.from(table.caseStudyResult)
		.where(eq(table.caseStudyResult.caseStudyId, caseStudy.id))
		.orderBy(table.caseStudyResult.position)
		.all();
	const html = Object.fromEntries(
		markdownFields.map((field) => [field, renderMarkdown(caseStudy[field])])
	) as Record<MarkdownField, string>;
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

/** The most values one filter takes (`?theme=S&theme=E` …); more is a mistake or an attack. */
export const MAX_FILTER_VALUES = 20;

/**
 * A filter that may be repeated for OR (`?theme=S&theme=E`): its values, duplicates dropped,
 * at most MAX_FILTER_VALUES of them.
 */
const manyOf = <T extends z.ZodType>(value: T) =>
	z
		.array(value)
		.transform((values) => [...new Set(values)])
		.refine((values) => values.length <= MAX_FILTER_VALUES, {
			error: () => m.caselist_filter_too_many({ max: MAX_FILTER_VALUES })
		});

const countryCodeSchema = z
	.string()
	.trim()
	.toUpperCase()
	.regex(/^[A-Z]{2}$/);
const yearSchema = z.coerce.number().int().min(1900).max(2200);

/** Each value of the repeatable filters, as read from one query parameter. */
const facetValueSchemas = {
	theme: themeIdSchema,
	sdg: sdgTargetIdSchema,
	region: regionCodeSchema,
	country: countryCodeSchema,
	income: incomeGroupSchema,
	domain: serviceDomainSchema,
	technology: technologySchema,
	status: z.enum(table.caseStudyStatuses),
	year: yearSchema
} as const;
type FacetName = keyof typeof facetValueSchemas;
const facetNames = Object.keys(facetValueSchemas) as FacetName[];

/**
 * The list filters as query parameters (`/cases?theme=S&theme=E&sdg=11.2&sort=validated`): a
 * repeated facet means any of its values (OR), different facets all apply (AND). `organisation`
 * and `sort` are single.
 */
export const listFilterSchema = z.object({
	theme: manyOf(facetValueSchemas.theme).optional(),
	sdg: manyOf(facetValueSchemas.sdg).optional(),
	region: manyOf(facetValueSchemas.region).optional(),
	country: manyOf(facetValueSchemas.country).optional(),
	income: manyOf(facetValueSchemas.income).optional(),
	domain: manyOf(facetValueSchemas.domain).optional(),
	technology: manyOf(facetValueSchemas.technology).optional(),
	status: manyOf(facetValueSchemas.status).optional(),
	year: manyOf(facetValueSchemas.year).optional(),
	organisation: z.string().trim().max(100).optional(),
	sort: z.enum(sortOrders).optional()
});
/** The filters that take one value; the API refuses them repeated. */
export const singleValuedFilters = ['organisation', 'sort'] as const;

/** The filters as parsed from a URL: each facet a list of values. */
export type ParsedListFilters = z.output<typeof listFilterSchema>;
type OneOrMany<T> = NonNullable<T> extends readonly (infer V)[] ? V | readonly V[] : T;
/** The filters the list functions take: each facet one value or several (any of them). */
export type ListFilters = { [K in keyof ParsedListFilters]?: OneOrMany<ParsedListFilters[K]> };

const nonEmptyValues = (params: URLSearchParams, name: string) =>
	params.getAll(name).filter((value) => value.trim() !== '');

/** Reads the filters from a URL; empty parameters are ignored, a facet may be repeated. */
export function parseListFilters(params: URLSearchParams) {
	const values: Record<string, string | string[]> = {};
	for (const name of facetNames) {
		const given = nonEmptyValues(params, name);
		if (given.length) values[name] = given;
	}
	for (const name of singleValuedFilters) {
		const value = params.get(name);
		if (value !== null && value.trim() !== '') values[name] = value;
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

const listOf = <T>(value: T | readonly T[] | undefined): T[] =>
	value === undefined ? [] : Array.isArray(value) ? [...(value as readonly T[])] : [value as T];

/** The case has a tag of that vocabulary with any of the values. */
const hasTag = (vocabulary: (typeof table.caseStudyTagVocabularies)[number], values: string[]) =>
	exists(
		sql`(select 1 from ${table.caseStudyTag} where ${table.caseStudyTag.caseStudyId} = ${table.caseStudy.id} and ${table.caseStudyTag.vocabulary} = ${vocabulary} and ${inArray(table.caseStudyTag.value, values)})`
	);

function filterConditions(filters: ListFilters): SQL[] {
	const conditions: SQL[] = [eq(table.caseStudy.workflowState, 'published')];
	const themes = listOf(filters.theme);
	const sdgs = listOf(filters.sdg);
	const domains = listOf(filters.domain);
	const technologies = listOf(filters.technology);
	const regions = listOf(filters.region);
	const countries = listOf(filters.country);
	const incomes = listOf(filters.income);
	const statuses = listOf(filters.status);
	const years = listOf(filters.year);
	if (themes.length) conditions.push(hasTag('theme', themes));
	if (sdgs.length) conditions.push(hasTag('sdg_target', sdgs));
	if (domains.length) conditions.push(hasTag('domain', domains));
	if (technologies.length) conditions.push(hasTag('technology', technologies));
	if (regions.length) conditions.push(inArray(table.country.regionCode, regions));
	if (countries.length) conditions.push(inArray(table.caseStudy.countryCode, countries));
	if (incomes.length) conditions.push(inArray(table.country.incomeGroup, incomes));
	if (statuses.length) conditions.push(inArray(table.caseStudy.status, statuses));
	if (filters.organisation) conditions.push(eq(table.organisation.slug, filters.organisation));
	if (years.length) {
		// Running in any of those years: started by then and not finished before.
		conditions.push(
			or(
				...years.map(
					(year) =>
						and(
							lte(table.caseStudy.startYear, year),
							or(isNull(table.caseStudy.endYear), gte(table.caseStudy.endYear, year))
						) as SQL
				)
			) as SQL
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
 * Reads the filters from a URL one value at a time, so that one bad value (an unknown theme, year
 * "abc") drops only that value and the page can say so, instead of failing or dropping all.
 * Values of a facet beyond MAX_FILTER_VALUES are dropped the same way.
 */
export function parseListFiltersLeniently(params: URLSearchParams): {
	filters: ParsedListFilters;
	ignored: { name: keyof ParsedListFilters; value: string }[];
} {
	const filters: Record<string, unknown> = {};
	const ignored: { name: keyof ParsedListFilters; value: string }[] = [];
	for (const name of facetNames) {
		const kept = new Set<unknown>();
		for (const value of nonEmptyValues(params, name)) {
			const parsed = facetValueSchemas[name].safeParse(value);
			if (!parsed.success) ignored.push({ name, value });
			else if (kept.has(parsed.data)) continue;
			else if (kept.size < MAX_FILTER_VALUES) kept.add(parsed.data);
			else ignored.push({ name, value });
		}
		if (kept.size) filters[name] = [...kept];
	}
	for (const name of singleValuedFilters) {
		const value = params.get(name);
		if (value === null || value.trim() === '') continue;
		const parsed = listFilterSchema.shape[name].safeParse(value);
		if (parsed.success) filters[name] = parsed.data;
		else ignored.push({ name, value });
	}
	return { filters: filters as ParsedListFilters, ignored };
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
