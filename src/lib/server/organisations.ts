import { and, asc, count, countDistinct, desc, eq, inArray, or, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { m } from '$lib/paraglide/messages';
import type { Db } from '$lib/server/db';
import * as table from '$lib/server/db/schema';
import { organisationKinds } from '$lib/server/db/schema';
import { formFailure, type FieldErrors, type FormEcho } from '$lib/server/forms';
import { randomId } from '$lib/server/ids';
import * as audit from '$lib/server/audit';
import * as searchDocuments from '$lib/server/search/documents';
import * as searchSync from '$lib/server/search/sync';

export type OrganisationKind = (typeof organisationKinds)[number];
export type IncomeGroup = 'L' | 'LM' | 'UM' | 'H';
export const incomeGroups = ['L', 'LM', 'UM', 'H'] as const satisfies readonly IncomeGroup[];
export type MemberRole = 'owner' | 'editor';

/** Working languages an organisation can list: the UN languages and the most spoken in partner regions. */
export const languageCodes = [
	'en',
	'fr',
	'es',
	'ar',
	'zh',
	'ru',
	'pt',
	'sw',
	'hi',
	'bn',
	'ur',
	'id',
	'ms',
	'vi',
	'th',
	'ko',
	'ja',
	'tr',
	'fa',
	'de',
	'am',
	'ha',
	'yo'
] as const;
export type LanguageCode = (typeof languageCodes)[number];

export const NAME_MAX = 150;
export const DESCRIPTION_MAX = 2000;
export const WEBSITE_MAX = 500;

/** A broken domain rule, with the message for the user and where it applies. */
export class RuleError extends Error {
	constructor(
		readonly code: string,
		message: string,
		readonly status: 400 | 403 | 404 | 409 | 410 | 413 | 422 = 400,
		readonly errors: FieldErrors = {}
	) {
		super(message);
		this.name = 'RuleError';
	}
}

/** The form failure for a broken rule; anything else is a real error and is rethrown. */
export function ruleFailure(error: unknown, echo: FormEcho) {
	if (error instanceof RuleError)
		return formFailure(error.status, echo, error.errors, error.message);
	throw error;
}

/** A transaction or the database itself: the helpers below run in either. */
export type Executor = Omit<Db, '$client'>;

/** http(s) with a host name only: javascript:, data: and bare words are refused. */
export function isWebUrl(value: string): boolean {
	let url: URL;
	try {
		url = new URL(value);
	} catch {
		return false;
	}
	return (
		(url.protocol === 'http:' || url.protocol === 'https:') &&
		/^[a-z0-9.-]+\.[a-z]{2,}$|^[a-z0-9-]+\.xn--[a-z0-9-]+$/i.test(url.hostname)
	);
}

/** Browsers send textarea line breaks as CRLF; count them once. */
const normaliseText = (value: string) => value.replace(/\r\n?/g, '\n').trim();

const optionalWebsite = z
	.string({ error: () => m.organisations_website_invalid() })
	.trim()
	.max(WEBSITE_MAX, { error: () => m.organisations_website_too_long({ max: WEBSITE_MAX }) })
	.refine((value) => value === '' || isWebUrl(value), {
		error: () => m.organisations_website_invalid()
	})
	.transform((value) => (value === '' ? null : value));

/** The organisation form, as submitted (field names are the form's). */
export const organisationInput = z
	.object({
		name: z
			.string({ error: () => m.organisations_name_required() })
			.trim()
			.min(2, { error: () => m.organisations_name_required() })
			.max(NAME_MAX, { error: () => m.organisations_name_too_long({ max: NAME_MAX }) }),
		kind: z.enum(organisationKinds, { error: () => m.organisations_kind_invalid() }),
		country: z
			.string({ error: () => m.organisations_country_required() })
			.trim()
			.toUpperCase()
			.regex(/^[A-Z]{2}$/, { error: () => m.organisations_country_required() }),
		city: z
			.string({ error: () => m.organisations_city_unknown() })
			.trim()
			.regex(/^\d{0,10}$/, { error: () => m.organisations_city_unknown() })
			.transform((value) => (value === '' ? null : Number(value)))
			.optional()
			.transform((value) => value ?? null),
		website: optionalWebsite.optional().transform((value) => value ?? null),
		description: z
			.string({ error: () => m.organisations_description_invalid() })
			.transform(normaliseText)
			.pipe(
				z.string().max(DESCRIPTION_MAX, {
					error: () => m.organisations_description_too_long({ max: DESCRIPTION_MAX })
				})
			)
			.optional()
			.transform((value) => value ?? ''),
		languages: z
			.array(z.enum(languageCodes, { error: () => m.organisations_languages_invalid() }), {
				error: () => m.organisations_languages_invalid()
			})
			.max(languageCodes.length)
			.optional()
			.transform((value) => [...new Set(value ?? [])])
	})
	.refine((value) => value.kind !== 'city' || (value.city !== null && value.city !== undefined), {
		path: ['city'],
		error: () => m.organisations_city_required(),
		// Checked even when other fields fail, so the summary names every problem at once.
		when: () => true
	});
export type OrganisationInput = z.output<typeof organisationInput>;
/** Form fields that are lists (checkbox groups). */
export const organisationArrayFields = ['languages'] as const;

const transliterations: Record<string, string> = {
	ß: 'ss',
	æ: 'ae',
	Æ: 'ae',
	œ: 'oe',
	Œ: 'oe',
	ø: 'o',
	Ø: 'o',
	đ: 'd',
	Đ: 'd',
	ł: 'l',
	Ł: 'l',
	þ: 'th',
	Þ: 'th',
	ð: 'd',
	ı: 'i'
};

/** Words of the name in lower-case ASCII joined by hyphens; empty when nothing Latin is left. */
export function slugify(name: string): string {
	return name
		.replace(/[ßæÆœŒøØđĐłŁþÞðı]/g, (ch) => transliterations[ch] ?? ch)
		.normalize('NFKD')
		.replace(/[\u0300-\u036f]/g, '')
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, '-')
		.replace(/^-+|-+$/g, '')
		.slice(0, 60)
		.replace(/-+$/g, '');
}

/** Paths under /organisations that are pages, not profiles. */
const reservedSlugs = new Set(['new', 'edit', 'members', 'verification']);

function uniqueSlug(db: Executor, name: string): string {
	const base = slugify(name) || 'organisation';
	const taken = new Set(
		db
			.select({ slug: table.organisation.slug })
			.from(table.organisation)
			.where(
				or(
					eq(table.organisation.slug, base),
					sql`${table.organisation.slug} LIKE ${base.replace(/[\\%_]/g, '\\$&') + '-%'} ESCAPE '\\'`
				)
			)
			.all()
			.map((row) => row.slug)
	);
	if (!taken.has(base) && !reservedSlugs.has(base)) return base;
	for (let n = 2; ; n += 1) {
		const candidate = `${base}-${n}`;
		if (!taken.has(candidate)) return candidate;
	}
}

/** Checks the country and city against the reference data; returns messages by field. */
function placeErrors(db: Executor, input: OrganisationInput): FieldErrors {
	const errors: FieldErrors = {};
	const country = db
		.select({ code: table.country.code })
		.from(table.country)
		.where(eq(table.country.code, input.country))
		.get();
	if (!country) errors.country = m.organisations_country_unknown();
	if (input.city === null) {
		if (input.kind === 'city') errors.city = m.organisations_city_required();
		return errors;
	}
	const city = db
		.select({ countryCode: table.city.countryCode })
		.from(table.city)
		.where(eq(table.city.id, input.city))
		.get();
	if (!city) errors.city = m.organisations_city_unknown();
	else if (country && city.countryCode !== input.country)
		errors.city = m.organisations_city_other_country();
	return errors;
}

function assertValidPlace(db: Executor, input: OrganisationInput) {
	const errors = placeErrors(db, input);
	if (Object.keys(errors).length) {
		throw new RuleError('invalid_place', m.form_fix_errors(), 400, errors);
	}
}

/** Creates the organisation with its creator as first owner. */
export function createOrganisation(
	db: Db,
	ownerId: string,
	input: OrganisationInput
): { id: string; slug: string } {
	return db.transaction((tx) => {
		assertValidPlace(tx, input);
		const id = randomId();
		const slug = uniqueSlug(tx, input.name);
		tx.insert(table.organisation)
			.values({
				id,
				slug,
				name: input.name,
				kind: input.kind,
				countryCode: input.country,
				cityId: input.city,
				website: input.website,
				description: input.description,
				languages: input.languages
			})
			.run();
		tx.insert(table.membership)
			.values({ organisationId: id, userId: ownerId, role: 'owner' })
			.run();
		searchSync.refreshRecords(tx, [{ type: 'organisation', recordId: id }]);
		audit.record(tx, {
			actorId: ownerId,
			action: 'organisation.created',
			subjectType: 'organisation',
			subjectId: id,
			detail: { slug, name: input.name, kind: input.kind }
		});
		return { id, slug };
	});
}

/** Updates the profile; the slug stays so links keep working. */
export function updateOrganisation(
	db: Db,
	actorId: string,
	organisationId: string,
	input: OrganisationInput
): void {
	db.transaction((tx) => {
		assertValidPlace(tx, input);
		const result = tx
			.update(table.organisation)
			.set({
				name: input.name,
				kind: input.kind,
				countryCode: input.country,
				cityId: input.city,
				website: input.website,
				description: input.description,
				languages: input.languages
			})
			.where(eq(table.organisation.id, organisationId))
			.run();
		if (result.changes === 0) {
			throw new RuleError('not_found', m.organisations_not_found(), 404);
		}
		// Its case studies', needs' and offers' documents carry its name and place.
		searchSync.refreshRecords(tx, [
			{ type: 'organisation', recordId: organisationId },
			...searchDocuments.caseStudyRefsOfOrganisation(tx, organisationId),
			...searchDocuments.listingRefsOfOrganisation(tx, organisationId)
		]);
		audit.record(tx, {
			actorId,
			action: 'organisation.updated',
			subjectType: 'organisation',
			subjectId: organisationId,
			detail: { name: input.name, kind: input.kind }
		});
	});
}

/** The few columns routes need to decide who may act on an organisation. */
export function findBySlug(db: Executor, slug: string) {
	return (
		db
			.select({
				id: table.organisation.id,
				slug: table.organisation.slug,
				name: table.organisation.name,
				website: table.organisation.website,
				verificationState: table.organisation.verificationState
			})
			.from(table.organisation)
			.where(eq(table.organisation.slug, slug))
			.get() ?? null
	);
}

/** The user's role in the organisation, or null when they are not a member. */
export function roleOf(db: Executor, organisationId: string, userId: string | null | undefined) {
	if (!userId) return null;
	const row = db
		.select({ role: table.membership.role })
		.from(table.membership)
		.where(
			and(eq(table.membership.organisationId, organisationId), eq(table.membership.userId, userId))
		)
		.get();
	return row?.role ?? null;
}

/** Everything the public profile shows; no member names or emails. */
export function profile(db: Db, slug: string) {
	const row = db
		.select({
			id: table.organisation.id,
			slug: table.organisation.slug,
			name: table.organisation.name,
			kind: table.organisation.kind,
			website: table.organisation.website,
			description: table.organisation.description,
			languages: table.organisation.languages,
			verificationState: table.organisation.verificationState,
			verifiedAt: table.organisation.verifiedAt,
			createdAt: table.organisation.createdAt,
			country: {
				code: table.country.code,
				nameEn: table.country.nameEn,
				nameFr: table.country.nameFr,
				regionCode: table.country.regionCode,
				regionName: table.country.regionName,
				subregionCode: table.country.subregionCode,
				subregionName: table.country.subregionName,
				incomeGroup: table.country.incomeGroup,
				isLdc: table.country.isLdc
			},
			cityId: table.organisation.cityId
		})
		.from(table.organisation)
		.innerJoin(table.country, eq(table.organisation.countryCode, table.country.code))
		.where(eq(table.organisation.slug, slug))
		.get();
	if (!row) return null;
	const city =
		row.cityId === null
			? null
			: (db
					.select({
						id: table.city.id,
						name: table.city.name,
						population: table.city.population,
						latitude: table.city.latitude,
						longitude: table.city.longitude
					})
					.from(table.city)
					.where(eq(table.city.id, row.cityId))
					.get() ?? null);
	const members =
		db
			.select({ n: count() })
			.from(table.membership)
			.where(eq(table.membership.organisationId, row.id))
			.get()?.n ?? 0;
	return { ...row, city, memberCount: members };
}

/** The values the edit form starts from. */
export function formValuesOf(db: Db, organisationId: string) {
	const row = db
		.select({
			name: table.organisation.name,
			kind: table.organisation.kind,
			country: table.organisation.countryCode,
			city: table.organisation.cityId,
			website: table.organisation.website,
			description: table.organisation.description,
			languages: table.organisation.languages
		})
		.from(table.organisation)
		.where(eq(table.organisation.id, organisationId))
		.get();
	if (!row) return null;
	return {
		name: row.name,
		kind: row.kind,
		country: row.country,
		city: row.city === null ? '' : String(row.city),
		website: row.website ?? '',
		description: row.description,
		languages: row.languages
	};
}

// Directory and API listing

export type ListFilters = {
	kind: OrganisationKind[];
	region: string[];
	country: string[];
	income: IncomeGroup[];
	verified: boolean;
	q: string;
};

const nonEmpty = (values: string[]) => values.map((v) => v.trim()).filter((v) => v !== '');

/** The filters as the API takes them; a bad value is an error. */
export const listFilterSchema = z.object({
	kind: z.array(z.enum(organisationKinds, { error: () => m.organisations_filter_kind_invalid() })),
	region: z.array(
		z.string().regex(/^\d{3}$/, { error: () => m.organisations_filter_region_invalid() })
	),
	country: z.array(
		z
			.string()
			.toUpperCase()
			.regex(/^[A-Z]{2}$/, { error: () => m.organisations_filter_country_invalid() })
	),
	income: z.array(z.enum(incomeGroups, { error: () => m.organisations_filter_income_invalid() })),
	verified: z
		.enum(['', 'true', 'false', '1', '0', 'on', 'yes', 'no'], {
			error: () => m.organisations_filter_verified_invalid()
		})
		.transform((value) => ['true', '1', 'on', 'yes'].includes(value)),
	q: z
		.string()
		.trim()
		.max(100, { error: () => m.organisations_filter_q_too_long({ max: 100 }) })
});

function rawFilters(params: URLSearchParams) {
	return {
		kind: nonEmpty(params.getAll('kind')),
		region: nonEmpty(params.getAll('region')),
		country: nonEmpty(params.getAll('country')),
		income: nonEmpty(params.getAll('income')),
		verified: (params.get('verified') ?? '').trim().toLowerCase(),
		q: params.get('q') ?? ''
	};
}

/** Strict parse for the API: returns the zod result so the endpoint can answer 400 with fields. */
export function parseFilters(params: URLSearchParams) {
	return listFilterSchema.safeParse(rawFilters(params));
}

/** Lenient parse for the directory page: values that do not parse are dropped, never an error page. */
export function filtersFromPage(params: URLSearchParams): ListFilters {
	const raw = rawFilters(params);
	const keep = <T>(schema: z.ZodType<T>, values: string[]) =>
		values.flatMap((value) => {
			const parsed = schema.safeParse(value);
			return parsed.success ? [parsed.data] : [];
		});
	const shape = listFilterSchema.shape;
	const verified = shape.verified.safeParse(raw.verified);
	return {
		kind: keep(shape.kind.element, raw.kind),
		region: keep(shape.region.element, raw.region),
		country: keep(shape.country.element, raw.country),
		income: keep(shape.income.element, raw.income),
		verified: verified.success ? verified.data : false,
		q: raw.q.trim().slice(0, 100)
	};
}

function escapeLike(value: string) {
	return value.replace(/[\\%_]/g, '\\$&');
}

function whereOf(filters: ListFilters): SQL | undefined {
	const conditions: SQL[] = [];
	if (filters.kind.length) conditions.push(inArray(table.organisation.kind, filters.kind));
	if (filters.region.length) {
		conditions.push(
			or(
				inArray(table.country.regionCode, filters.region),
				inArray(table.country.subregionCode, filters.region)
			) as SQL
		);
	}
	if (filters.country.length)
		conditions.push(inArray(table.organisation.countryCode, filters.country));
	if (filters.income.length) conditions.push(inArray(table.country.incomeGroup, filters.income));
	if (filters.verified) conditions.push(eq(table.organisation.verificationState, 'verified'));
	if (filters.q) {
		conditions.push(
			sql`${table.organisation.name} LIKE ${'%' + escapeLike(filters.q) + '%'} ESCAPE '\\'`
		);
	}
	return conditions.length ? and(...conditions) : undefined;
}

const listColumns = {
	slug: table.organisation.slug,
	name: table.organisation.name,
	kind: table.organisation.kind,
	verificationState: table.organisation.verificationState,
	countryCode: table.country.code,
	countryNameEn: table.country.nameEn,
	countryNameFr: table.country.nameFr,
	regionCode: table.country.regionCode,
	regionName: table.country.regionName,
	incomeGroup: table.country.incomeGroup,
	cityId: table.city.id,
	cityName: table.city.name,
	cityLatitude: table.city.latitude,
	cityLongitude: table.city.longitude,
	cityPopulation: table.city.population
};

function baseList(db: Db) {
	return db
		.select(listColumns)
		.from(table.organisation)
		.innerJoin(table.country, eq(table.organisation.countryCode, table.country.code))
		.leftJoin(table.city, eq(table.organisation.cityId, table.city.id));
}

const byName = [sql`${table.organisation.name} COLLATE NOCASE`, asc(table.organisation.slug)];

function countOf(db: Db, where: SQL | undefined): number {
	return (
		db
			.select({ n: count() })
			.from(table.organisation)
			.innerJoin(table.country, eq(table.organisation.countryCode, table.country.code))
			.where(where)
			.get()?.n ?? 0
	);
}

export const PAGE_SIZE = 20;

/** One page of the directory, by name. */
export function directoryPage(db: Db, filters: ListFilters, page: number) {
	const where = whereOf(filters);
	const total = countOf(db, where);
	const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
	const current = Math.min(Math.max(1, Math.floor(page) || 1), pages);
	const rows = baseList(db)
		.where(where)
		.orderBy(...byName)
		.limit(PAGE_SIZE)
		.offset((current - 1) * PAGE_SIZE)
		.all();
	return { rows, total, page: current, pages };
}

/** Opaque keyset cursor: the last row's sort key, so pages stay stable while rows are added. */
export function encodeCursor(row: { name: string; slug: string }): string {
	return Buffer.from(JSON.stringify([row.name, row.slug])).toString('base64url');
}

export function decodeCursor(cursor: string): { name: string; slug: string } | null {
	try {
		const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
		if (
			Array.isArray(value) &&
			value.length === 2 &&
			typeof value[0] === 'string' &&
			typeof value[1] === 'string'
		) {
			return { name: value[0], slug: value[1] };
		}
	} catch {
		// not a cursor we issued
	}
	return null;
}

/** A slice of the list for the API: `limit` rows after `cursor`, with the next cursor. */
export function listSlice(
	db: Db,
	filters: ListFilters,
	options: { limit: number; after: { name: string; slug: string } | null }
) {
	const where = whereOf(filters);
	const total = countOf(db, where);
	const after = options.after;
	const keyset = after
		? sql`(${table.organisation.name} COLLATE NOCASE > ${after.name} OR (${table.organisation.name} COLLATE NOCASE = ${after.name} AND ${table.organisation.slug} > ${after.slug}))`
		: undefined;
	const rows = baseList(db)
		.where(and(where, keyset))
		.orderBy(...byName)
		.limit(options.limit + 1)
		.all();
	const hasMore = rows.length > options.limit;
	const data = rows.slice(0, options.limit);
	const last = data.at(-1);
	return { rows: data, total, next: hasMore && last ? encodeCursor(last) : null };
}

/** One organisation in the shape the API lists it. */
export function apiRow(db: Db, slug: string) {
	return baseList(db).where(eq(table.organisation.slug, slug)).get() ?? null;
}

// Choices for filters

/** M49 regions and sub-regions that have countries, for the directory filter. */
export function regionChoices(db: Db) {
	const rows = db
		.selectDistinct({
			regionCode: table.country.regionCode,
			regionName: table.country.regionName,
			subregionCode: table.country.subregionCode,
			subregionName: table.country.subregionName
		})
		.from(table.country)
		.orderBy(asc(table.country.regionName), asc(table.country.subregionName))
		.all();
	const regions = new Map<
		string,
		{ code: string; name: string; subregions: { code: string; name: string }[] }
	>();
	for (const row of rows) {
		const region = regions.get(row.regionCode) ?? {
			code: row.regionCode,
			name: row.regionName,
			subregions: []
		};
		if (row.subregionCode && !region.subregions.some((s) => s.code === row.subregionCode)) {
			region.subregions.push({ code: row.subregionCode, name: row.subregionName });
		}
		regions.set(row.regionCode, region);
	}
	return [...regions.values()];
}

// Home page

export function headlineFigures(db: Db) {
	const row = db
		.select({
			organisations: count(),
			verified: sql<number>`coalesce(sum(${table.organisation.verificationState} = 'verified'), 0)`,
			cityOrganisations: sql<number>`coalesce(sum(${table.organisation.kind} = 'city'), 0)`,
			countries: countDistinct(table.organisation.countryCode)
		})
		.from(table.organisation)
		.get();
	return {
		organisations: row?.organisations ?? 0,
		verified: Number(row?.verified ?? 0),
		cityOrganisations: Number(row?.cityOrganisations ?? 0),
		countries: row?.countries ?? 0
	};
}

export function recentlyJoined(db: Db, limit = 6) {
	return db
		.select({
			slug: table.organisation.slug,
			name: table.organisation.name,
			kind: table.organisation.kind,
			verificationState: table.organisation.verificationState,
			countryNameEn: table.country.nameEn,
			countryNameFr: table.country.nameFr,
			cityName: table.city.name,
			createdAt: table.organisation.createdAt
		})
		.from(table.organisation)
		.innerJoin(table.country, eq(table.organisation.countryCode, table.country.code))
		.leftJoin(table.city, eq(table.organisation.cityId, table.city.id))
		.orderBy(desc(table.organisation.createdAt), desc(table.organisation.id))
		.limit(limit)
		.all();
}
