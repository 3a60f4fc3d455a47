/**
 * Search documents built from the records they mirror. Only what someone may find becomes a
 * document: a published case study, every organisation, an open need or offer that has not
 * expired (with the listing's own visibility, 'public' or 'verified').
 */
import { and, asc, eq, gt, gte, inArray, isNull, lte, or, sql } from 'drizzle-orm';
import { Lexer, type Token } from 'marked';
import type { Locale } from '$lib/paraglide/runtime';
import type { Db } from '$lib/server/db';
import * as table from '$lib/server/db/schema';
import type { Executor } from '$lib/server/organisations';
import {
	beneficiaryGroupLabel,
	cooperationTypeLabel,
	domainLabel,
	kindLabel,
	sdgTargetLabel,
	technologyLabel,
	themeLabel
} from '$lib/vocab/labels';
import { offerFormatLabel } from '$lib/vocab/matchmaking-labels';
import { regionCodes, subregionsByRegion } from '$lib/vocab/regions';
import { isSdgTargetId } from '$lib/vocab/sdg';
import { sdgTargetTexts } from '$lib/vocab/sdg-texts';
import type {
	BeneficiaryGroup,
	CooperationType,
	OrganisationKind,
	ServiceDomain,
	Technology
} from '$lib/vocab/vocabularies';
import type { ThemeId } from '$lib/vocab/themes';
import type { DocumentFacetName, RecordType, SearchDocument } from './types';

export interface RecordRef {
	type: RecordType;
	recordId: string;
}

export const refOf = (record: RecordRef): string => `${record.type}:${record.recordId}`;

/** Keyword labels are stored in every site language, so a French query finds an English case. */
const labelLocales: Locale[] = ['en', 'fr'];

/** SQLite's limit on bound parameters is far above this; it keeps each IN list modest. */
const BATCH = 500;

/** Plain text of a Markdown field: the words a reader sees, no markup, no link targets. */
export function markdownToText(source: string): string {
	if (!source) return '';
	const parts: string[] = [];
	const walk = (tokens: Token[]) => {
		for (const token of tokens) {
			switch (token.type) {
				case 'space':
				case 'hr':
				case 'br':
					parts.push(' ');
					break;
				case 'html':
					parts.push(token.raw.replace(/<[^>]*>/g, ' '));
					break;
				case 'image':
					parts.push(token.text ?? '');
					break;
				case 'list':
					for (const item of token.items) walk(item.tokens ?? []);
					break;
				case 'table':
					for (const cell of token.header) walk(cell.tokens ?? []);
					for (const row of token.rows) for (const cell of row) walk(cell.tokens ?? []);
					break;
				default:
					if ('tokens' in token && Array.isArray(token.tokens) && token.tokens.length) {
						walk(token.tokens as Token[]);
					} else if ('text' in token && typeof token.text === 'string') {
						parts.push(token.text);
					}
			}
			if (token.type !== 'text' && token.type !== 'escape' && token.type !== 'codespan') {
				parts.push(' ');
			}
		}
	};
	walk(Lexer.lex(source, { gfm: true }));
	return decodeEntities(parts.join('')).replace(/\s+/g, ' ').trim();
}

const namedEntities: Record<string, string> = {
	amp: '&',
	lt: '<',
	gt: '>',
	quot: '"',
	apos: "'",
	nbsp: ' '
};

function decodeEntities(text: string): string {
	return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (entity, body: string) => {
		if (body[0] === '#') {
			const code =
				body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1));
			return Number.isFinite(code) && code > 0 && code <= 0x10ffff
				? String.fromCodePoint(code)
				: entity;
		}
		return namedEntities[body.toLowerCase()] ?? entity;
	});
}

function inBatches<T>(items: T[], size = BATCH): T[][] {
	const batches: T[][] = [];
	for (let i = 0; i < items.length; i += size) batches.push(items.slice(i, i + size));
	return batches;
}

function groupBy<T, K>(rows: T[], key: (row: T) => K): Map<K, T[]> {
	const groups = new Map<K, T[]>();
	for (const row of rows) {
		const group = groups.get(key(row));
		if (group) group.push(row);
		else groups.set(key(row), [row]);
	}
	return groups;
}

const inEveryLocale = (label: (locale: Locale) => string) => labelLocales.map(label);

function tagKeywords(vocabulary: string, value: string): string[] {
	switch (vocabulary) {
		case 'theme':
			return inEveryLocale((locale) => themeLabel(value as ThemeId, locale));
		case 'sdg_target':
			if (!isSdgTargetId(value)) return [value];
			return [
				value,
				...inEveryLocale((locale) => sdgTargetLabel(value, locale)),
				...labelLocales.map((locale) => sdgTargetTexts(value)[locale])
			];
		case 'domain':
			return inEveryLocale((locale) => domainLabel(value as ServiceDomain, locale));
		case 'technology':
			return inEveryLocale((locale) => technologyLabel(value as Technology, locale));
		case 'beneficiary_group':
			return inEveryLocale((locale) => beneficiaryGroupLabel(value as BeneficiaryGroup, locale));
		case 'cooperation':
			return inEveryLocale((locale) => cooperationTypeLabel(value as CooperationType, locale));
		default:
			return [];
	}
}

/** Each year a case runs: start to end, or to this year while it is ongoing. */
export function yearsOf(startYear: number, endYear: number | null, now = new Date()): string[] {
	const last = Math.max(startYear, endYear ?? now.getUTCFullYear());
	const first = Math.max(startYear, last - 100);
	const years: string[] = [];
	for (let year = first; year <= last; year += 1) years.push(String(year));
	return years;
}

const tagFacets: Partial<Record<string, DocumentFacetName>> = {
	theme: 'theme',
	sdg_target: 'sdg',
	domain: 'domain',
	technology: 'technology',
	cooperation: 'cooperation'
};

function facetsWithValues(facets: Partial<Record<DocumentFacetName, string[]>>) {
	return Object.fromEntries(
		Object.entries(facets).filter(([, values]) => values && values.length > 0)
	) as Partial<Record<DocumentFacetName, string[]>>;
}

/** Where a record is: keywords in both languages, the region and income facets. */
const placeColumns = {
	countryCode: table.country.code,
	countryNameEn: table.country.nameEn,
	countryNameFr: table.country.nameFr,
	regionCode: table.country.regionCode,
	incomeGroup: table.country.incomeGroup,
	cityName: table.city.name
};

function caseStudyDocuments(db: Executor, ids: string[], now: Date): SearchDocument[] {
	const rows = db
		.select({
			id: table.caseStudy.id,
			slug: table.caseStudy.slug,
			title: table.caseStudy.title,
			summary: table.caseStudy.summary,
			context: table.caseStudy.context,
			objectives: table.caseStudy.objectives,
			whatWasDone: table.caseStudy.whatWasDone,
			enablingFactors: table.caseStudy.enablingFactors,
			constraints: table.caseStudy.constraints,
			lessons: table.caseStudy.lessons,
			transferability: table.caseStudy.transferability,
			startYear: table.caseStudy.startYear,
			endYear: table.caseStudy.endYear,
			language: table.caseStudy.language,
			workflowState: table.caseStudy.workflowState,
			publishedAt: table.caseStudy.publishedAt,
			updatedAt: table.caseStudy.updatedAt,
			organisationName: table.organisation.name,
			...placeColumns
		})
		.from(table.caseStudy)
		.innerJoin(table.organisation, eq(table.organisation.id, table.caseStudy.organisationId))
		.innerJoin(table.country, eq(table.country.code, table.caseStudy.countryCode))
		.leftJoin(table.city, eq(table.city.id, table.caseStudy.cityId))
		.where(inArray(table.caseStudy.id, ids))
		.all()
		.filter((row) => row.workflowState === 'published');
	if (rows.length === 0) return [];
	const publishedIds = rows.map((row) => row.id);
	const tags = groupBy(
		db
			.select({
				caseStudyId: table.caseStudyTag.caseStudyId,
				vocabulary: table.caseStudyTag.vocabulary,
				value: table.caseStudyTag.value
			})
			.from(table.caseStudyTag)
			.where(inArray(table.caseStudyTag.caseStudyId, publishedIds))
			.orderBy(asc(table.caseStudyTag.vocabulary), asc(table.caseStudyTag.position))
			.all(),
		(row) => row.caseStudyId
	);
	const stakeholders = groupBy(
		db
			.select({
				caseStudyId: table.caseStudyStakeholder.caseStudyId,
				name: table.caseStudyStakeholder.name
			})
			.from(table.caseStudyStakeholder)
			.where(inArray(table.caseStudyStakeholder.caseStudyId, publishedIds))
			.orderBy(asc(table.caseStudyStakeholder.position))
			.all(),
		(row) => row.caseStudyId
	);
	const results = groupBy(
		db
			.select({
				caseStudyId: table.caseStudyResult.caseStudyId,
				indicator: table.caseStudyResult.indicator,
				baseline: table.caseStudyResult.baseline,
				result: table.caseStudyResult.result,
				unit: table.caseStudyResult.unit
			})
			.from(table.caseStudyResult)
			.where(inArray(table.caseStudyResult.caseStudyId, publishedIds))
			.orderBy(asc(table.caseStudyResult.position))
			.all(),
		(row) => row.caseStudyId
	);

	return rows.map((row) => {
		const caseTags = tags.get(row.id) ?? [];
		const facets: Partial<Record<DocumentFacetName, string[]>> = {
			region: [row.regionCode],
			country: [row.countryCode],
			income: row.incomeGroup ? [row.incomeGroup] : [],
			year: yearsOf(row.startYear, row.endYear, now)
		};
		for (const tag of caseTags) {
			const facet = tagFacets[tag.vocabulary];
			if (facet) (facets[facet] ??= []).push(tag.value);
		}
		const body = [
			row.context,
			row.objectives,
			row.whatWasDone,
			row.enablingFactors,
			row.constraints,
			row.lessons,
			row.transferability
		]
			.map(markdownToText)
			.concat(
				(results.get(row.id) ?? []).map((result) =>
					[result.indicator, result.baseline, result.result, result.unit].filter(Boolean).join(' ')
				),
				(stakeholders.get(row.id) ?? []).map((stakeholder) => stakeholder.name)
			)
			.filter(Boolean)
			.join('\n');
		const keywords = [
			...caseTags.flatMap((tag) => tagKeywords(tag.vocabulary, tag.value)),
			row.countryNameEn,
			row.countryNameFr,
			row.cityName ?? '',
			row.organisationName
		];
		return {
			ref: refOf({ type: 'case_study', recordId: row.id }),
			type: 'case_study',
			recordId: row.id,
			title: row.title,
			summary: row.summary,
			keywords: [...new Set(keywords.filter(Boolean))].join('\n'),
			body,
			path: `/cases/${row.slug}`,
			language: row.language,
			visibility: 'public',
			facets: facetsWithValues(facets),
			meta: {
				country: row.countryCode,
				city: row.cityName ?? null,
				organisation: row.organisationName
			},
			sortDate: row.publishedAt ?? row.updatedAt
		} satisfies SearchDocument;
	});
}

function organisationDocuments(db: Executor, ids: string[]): SearchDocument[] {
	return db
		.select({
			id: table.organisation.id,
			slug: table.organisation.slug,
			name: table.organisation.name,
			kind: table.organisation.kind,
			description: table.organisation.description,
			languages: table.organisation.languages,
			createdAt: table.organisation.createdAt,
			...placeColumns
		})
		.from(table.organisation)
		.innerJoin(table.country, eq(table.country.code, table.organisation.countryCode))
		.leftJoin(table.city, eq(table.city.id, table.organisation.cityId))
		.where(inArray(table.organisation.id, ids))
		.all()
		.map((row) => {
			const keywords = [
				...inEveryLocale((locale) => kindLabel(row.kind as OrganisationKind, locale)),
				row.countryNameEn,
				row.countryNameFr,
				row.cityName ?? ''
			];
			return {
				ref: refOf({ type: 'organisation', recordId: row.id }),
				type: 'organisation',
				recordId: row.id,
				title: row.name,
				summary: row.description.replace(/\s+/g, ' ').trim(),
				keywords: [...new Set(keywords.filter(Boolean))].join('\n'),
				body: '',
				path: `/organisations/${row.slug}`,
				language: row.languages[0] ?? 'en',
				visibility: 'public',
				facets: facetsWithValues({
					region: [row.regionCode],
					country: [row.countryCode],
					income: row.incomeGroup ? [row.incomeGroup] : []
				}),
				meta: { country: row.countryCode, city: row.cityName ?? null, kind: row.kind },
				sortDate: row.createdAt
			} satisfies SearchDocument;
		});
}

/** How much of a listing's text a hit shows as its summary. */
const LISTING_SUMMARY_MAX = 300;

function summaryOf(markdown: string): string {
	const text = markdownToText(markdown);
	return text.length <= LISTING_SUMMARY_MAX ? text : `${text.slice(0, LISTING_SUMMARY_MAX - 1)}…`;
}

/** A need is searchable while open and before the start of its expiry day. */
const openNeed = (now: Date) => and(eq(table.need.status, 'open'), gt(table.need.expiresAt, now));
/** An offer is searchable while open and up to the end of its deadline day (if it has one). */
const openOffer = (now: Date) =>
	and(
		eq(table.offer.status, 'open'),
		or(isNull(table.offer.deadline), gte(table.offer.deadline, now))
	);

/** A need is placed by its city's country: region, country and income facets. */
function needDocuments(db: Executor, ids: string[], now: Date): SearchDocument[] {
	const rows = db
		.select({
			id: table.need.id,
			title: table.need.title,
			challenge: table.need.challenge,
			triedSoFar: table.need.triedSoFar,
			languages: table.need.languages,
			visibility: table.need.visibility,
			createdAt: table.need.createdAt,
			organisationName: table.organisation.name,
			...placeColumns
		})
		.from(table.need)
		.innerJoin(table.organisation, eq(table.organisation.id, table.need.organisationId))
		.innerJoin(table.country, eq(table.country.code, table.organisation.countryCode))
		.leftJoin(table.city, eq(table.city.id, table.organisation.cityId))
		.where(and(inArray(table.need.id, ids), openNeed(now)))
		.all();
	if (rows.length === 0) return [];
	const tags = groupBy(
		db
			.select({
				needId: table.needTag.needId,
				vocabulary: table.needTag.vocabulary,
				value: table.needTag.value
			})
			.from(table.needTag)
			.where(
				inArray(
					table.needTag.needId,
					rows.map((row) => row.id)
				)
			)
			.orderBy(asc(table.needTag.vocabulary), asc(table.needTag.position))
			.all(),
		(row) => row.needId
	);
	return rows.map((row) => {
		const needTags = tags.get(row.id) ?? [];
		const facets: Partial<Record<DocumentFacetName, string[]>> = {
			region: [row.regionCode],
			country: [row.countryCode],
			income: row.incomeGroup ? [row.incomeGroup] : [],
			year: [String(row.createdAt.getUTCFullYear())]
		};
		for (const tag of needTags) {
			const facet = tagFacets[tag.vocabulary];
			if (facet) (facets[facet] ??= []).push(tag.value);
		}
		const keywords = [
			...needTags.flatMap((tag) => tagKeywords(tag.vocabulary, tag.value)),
			row.countryNameEn,
			row.countryNameFr,
			row.cityName ?? '',
			row.organisationName
		];
		return {
			ref: refOf({ type: 'need', recordId: row.id }),
			type: 'need',
			recordId: row.id,
			title: row.title,
			summary: summaryOf(row.challenge),
			keywords: [...new Set(keywords.filter(Boolean))].join('\n'),
			body: [row.challenge, row.triedSoFar].map(markdownToText).filter(Boolean).join('\n'),
			path: `/needs/${row.id}`,
			language: row.languages[0] ?? 'en',
			visibility: row.visibility,
			facets: facetsWithValues(facets),
			meta: {
				country: row.countryCode,
				city: row.cityName ?? null,
				organisation: row.organisationName
			},
			sortDate: row.createdAt
		} satisfies SearchDocument;
	});
}

const regionOfSubregion = new Map<string, string>(
	Object.entries(subregionsByRegion).flatMap(([region, subregions]) =>
		(subregions as readonly string[]).map((subregion) => [subregion, region])
	)
);

/**
 * An offer is placed where it serves: the regions it names (a sub-region counts for its region)
 * and the regions of the countries it names, or every region when it is global. Its income facet
 * lists the groups it is open to (all of them when it names none).
 */
function offerDocuments(db: Executor, ids: string[], now: Date): SearchDocument[] {
	const rows = db
		.select({
			id: table.offer.id,
			title: table.offer.title,
			description: table.offer.description,
			format: table.offer.format,
			languages: table.offer.languages,
			isGlobal: table.offer.isGlobal,
			eligibleIncomeGroups: table.offer.eligibleIncomeGroups,
			visibility: table.offer.visibility,
			createdAt: table.offer.createdAt,
			organisationName: table.organisation.name,
			...placeColumns
		})
		.from(table.offer)
		.innerJoin(table.organisation, eq(table.organisation.id, table.offer.organisationId))
		.innerJoin(table.country, eq(table.country.code, table.organisation.countryCode))
		.leftJoin(table.city, eq(table.city.id, table.organisation.cityId))
		.where(and(inArray(table.offer.id, ids), openOffer(now)))
		.all();
	if (rows.length === 0) return [];
	const tags = groupBy(
		db
			.select({
				offerId: table.offerTag.offerId,
				vocabulary: table.offerTag.vocabulary,
				value: table.offerTag.value
			})
			.from(table.offerTag)
			.where(
				inArray(
					table.offerTag.offerId,
					rows.map((row) => row.id)
				)
			)
			.orderBy(asc(table.offerTag.vocabulary), asc(table.offerTag.position))
			.all(),
		(row) => row.offerId
	);
	const servedCountryCodes = [
		...new Set(
			[...tags.values()]
				.flat()
				.filter((tag) => tag.vocabulary === 'country')
				.map((tag) => tag.value)
		)
	];
	const servedCountries = new Map(
		servedCountryCodes.length
			? db
					.select({
						code: table.country.code,
						nameEn: table.country.nameEn,
						nameFr: table.country.nameFr,
						regionCode: table.country.regionCode
					})
					.from(table.country)
					.where(inArray(table.country.code, servedCountryCodes))
					.all()
					.map((country) => [country.code, country])
			: []
	);
	return rows.map((row) => {
		const offerTags = tags.get(row.id) ?? [];
		const regionTags = offerTags.filter((tag) => tag.vocabulary === 'region');
		const countryTags = offerTags.filter((tag) => tag.vocabulary === 'country');
		const regions = row.isGlobal
			? [...regionCodes]
			: [
					...new Set([
						...regionTags.map((tag) => regionOfSubregion.get(tag.value) ?? tag.value),
						...countryTags.flatMap((tag) => servedCountries.get(tag.value)?.regionCode ?? [])
					])
				];
		const facets: Partial<Record<DocumentFacetName, string[]>> = {
			region: regions,
			country: countryTags.map((tag) => tag.value),
			income: row.eligibleIncomeGroups.length ? row.eligibleIncomeGroups : ['L', 'LM', 'UM', 'H'],
			year: [String(row.createdAt.getUTCFullYear())]
		};
		for (const tag of offerTags) {
			const facet = tagFacets[tag.vocabulary];
			if (facet) (facets[facet] ??= []).push(tag.value);
		}
		const keywords = [
			...inEveryLocale((locale) => offerFormatLabel(row.format, locale)),
			...offerTags.flatMap((tag) => tagKeywords(tag.vocabulary, tag.value)),
			...countryTags.flatMap((tag) => {
				const country = servedCountries.get(tag.value);
				return country ? [country.nameEn, country.nameFr] : [];
			}),
			row.organisationName
		];
		return {
			ref: refOf({ type: 'offer', recordId: row.id }),
			type: 'offer',
			recordId: row.id,
			title: row.title,
			summary: summaryOf(row.description),
			keywords: [...new Set(keywords.filter(Boolean))].join('\n'),
			body: markdownToText(row.description),
			path: `/offers/${row.id}`,
			language: row.languages[0] ?? 'en',
			visibility: row.visibility,
			facets: facetsWithValues(facets),
			meta: {
				country: row.countryCode,
				city: row.cityName ?? null,
				organisation: row.organisationName,
				format: row.format
			},
			sortDate: row.createdAt
		} satisfies SearchDocument;
	});
}

/**
 * The documents of some records of one type, in no particular order; a record that is not
 * searchable (unpublished, closed, expired, gone) has none. `now` sets the last year of an
 * ongoing case and decides which listings have expired.
 */
export function documentsFor(
	db: Executor,
	type: RecordType,
	recordIds: string[],
	now = new Date()
): SearchDocument[] {
	const ids = [...new Set(recordIds)];
	if (ids.length === 0) return [];
	switch (type) {
		case 'case_study':
			return inBatches(ids).flatMap((batch) => caseStudyDocuments(db, batch, now));
		case 'organisation':
			return inBatches(ids).flatMap((batch) => organisationDocuments(db, batch));
		case 'need':
			return inBatches(ids).flatMap((batch) => needDocuments(db, batch, now));
		case 'offer':
			return inBatches(ids).flatMap((batch) => offerDocuments(db, batch, now));
	}
}

/** The document of one record, or null when nobody may find it. */
export function documentFor(
	db: Executor,
	type: RecordType,
	recordId: string,
	now = new Date()
): SearchDocument | null {
	return documentsFor(db, type, [recordId], now)[0] ?? null;
}

/**
 * Every record that has a document: published case studies, all organisations, and needs and
 * offers that are open and not expired.
 */
export function allRefs(db: Executor | Db, now = new Date()): RecordRef[] {
	const cases = db
		.select({ id: table.caseStudy.id })
		.from(table.caseStudy)
		.where(eq(table.caseStudy.workflowState, 'published'))
		.orderBy(asc(table.caseStudy.id))
		.all()
		.map((row): RecordRef => ({ type: 'case_study', recordId: row.id }));
	const organisations = db
		.select({ id: table.organisation.id })
		.from(table.organisation)
		.orderBy(asc(table.organisation.id))
		.all()
		.map((row): RecordRef => ({ type: 'organisation', recordId: row.id }));
	const needs = db
		.select({ id: table.need.id })
		.from(table.need)
		.where(openNeed(now))
		.orderBy(asc(table.need.id))
		.all()
		.map((row): RecordRef => ({ type: 'need', recordId: row.id }));
	const offers = db
		.select({ id: table.offer.id })
		.from(table.offer)
		.where(openOffer(now))
		.orderBy(asc(table.offer.id))
		.all()
		.map((row): RecordRef => ({ type: 'offer', recordId: row.id }));
	return [...organisations, ...cases, ...needs, ...offers];
}

/** The needs and offers of an organisation: their documents name it and are placed by it. */
export function listingRefsOfOrganisation(db: Executor, organisationId: string): RecordRef[] {
	return [
		...db
			.select({ id: table.need.id })
			.from(table.need)
			.where(eq(table.need.organisationId, organisationId))
			.all()
			.map((row): RecordRef => ({ type: 'need', recordId: row.id })),
		...db
			.select({ id: table.offer.id })
			.from(table.offer)
			.where(eq(table.offer.organisationId, organisationId))
			.all()
			.map((row): RecordRef => ({ type: 'offer', recordId: row.id }))
	];
}

/**
 * Needs and offers that still have a document but are no longer searchable at `now`: they
 * expired (or closed) since their last write, which no write tells the index about.
 */
export function expiredListingRefs(db: Executor, now: Date): RecordRef[] {
	const stale = (type: 'need' | 'offer', stillOpen: ReturnType<typeof sql>) =>
		db
			.select({ recordId: table.searchDocument.recordId })
			.from(table.searchDocument)
			.where(and(eq(table.searchDocument.type, type), sql`NOT EXISTS (${stillOpen})`))
			.all()
			.map((row): RecordRef => ({ type, recordId: row.recordId }));
	return [
		...stale(
			'need',
			sql`SELECT 1 FROM ${table.need} WHERE ${table.need.id} = ${table.searchDocument.recordId} AND ${openNeed(now)}`
		),
		...stale(
			'offer',
			sql`SELECT 1 FROM ${table.offer} WHERE ${table.offer.id} = ${table.searchDocument.recordId} AND ${openOffer(now)}`
		)
	];
}

/** The published case studies of an organisation: their documents name it. */
export function caseStudyRefsOfOrganisation(db: Executor, organisationId: string): RecordRef[] {
	return db
		.select({ id: table.caseStudy.id })
		.from(table.caseStudy)
		.where(
			and(
				eq(table.caseStudy.organisationId, organisationId),
				eq(table.caseStudy.workflowState, 'published')
			)
		)
		.all()
		.map((row) => ({ type: 'case_study', recordId: row.id }));
}

/**
 * Published ongoing cases whose document does not list `now`'s year yet: their year facet runs
 * to the current year, so each new year adds one without any write to the case.
 */
export function caseStudyRefsMissingYear(db: Executor, now: Date): RecordRef[] {
	const year = now.getUTCFullYear();
	return db
		.select({ id: table.caseStudy.id })
		.from(table.caseStudy)
		.where(
			and(
				eq(table.caseStudy.workflowState, 'published'),
				isNull(table.caseStudy.endYear),
				lte(table.caseStudy.startYear, year),
				sql`NOT EXISTS (SELECT 1 FROM ${table.searchDocument} d JOIN ${table.searchFacet} f ON f.document_id = d.id WHERE d.ref = 'case_study:' || ${table.caseStudy.id} AND f.name = 'year' AND f.value = ${String(year)})`
			)
		)
		.all()
		.map((row) => ({ type: 'case_study', recordId: row.id }));
}
