/**
 * Search documents built from the records they mirror. Only what anyone may find becomes a
 * document: a published case study, every organisation. Needs and offers (issue 5) get theirs
 * when their tables exist; until then they are never searchable.
 */
import { and, asc, eq, inArray, isNull, lte, sql } from 'drizzle-orm';
import { Lexer, type Token } from 'marked';
import type { Locale } from '$lib/paraglide/runtime';
import type { Db } from '$lib/server/db';
import * as table from '$lib/server/db/schema';
import type { Executor } from '$lib/server/organisations';
import {
	beneficiaryGroupLabel,
	domainLabel,
	kindLabel,
	sdgTargetLabel,
	technologyLabel,
	themeLabel
} from '$lib/vocab/labels';
import { isSdgTargetId } from '$lib/vocab/sdg';
import { sdgTargetTexts } from '$lib/vocab/sdg-texts';
import type {
	BeneficiaryGroup,
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
	technology: 'technology'
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

/**
 * The documents of some records of one type, in no particular order; a record that is not
 * searchable (unpublished, gone) has none. `now` sets the last year of an ongoing case.
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
		case 'offer':
			// Issue 5 adds their tables; their documents carry visibility 'public' or 'verified'.
			return [];
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

/** Every record that has a document: published case studies and all organisations. */
export function allRefs(db: Executor | Db): RecordRef[] {
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
	return [...organisations, ...cases];
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
