import { count, inArray } from 'drizzle-orm';
import { m } from '$lib/paraglide/messages';
import type { ProblemFieldError } from '$lib/server/api/problem';
import { repeatedParameterErrors, unknownParameterErrors } from '$lib/server/api/lists';
import type { Db } from '$lib/server/db';
import * as table from '$lib/server/db/schema';
import { resultColumns, type CaseResult } from './content';
import {
	listFilterSchema,
	parseListFilters,
	singleValuedFilters,
	type CaseStudyDetail,
	type CaseStudyListItem,
	type ParsedListFilters
} from './index';

/**
 * The /cases filters read strictly for the API and the feed: unknown parameters, a single-valued
 * parameter given twice and bad values (any one of a repeated facet's) are all errors, so a typo
 * never silently widens the answer. A facet repeated means any of its values.
 */
export function parseApiFilters(
	params: URLSearchParams,
	otherParameters: readonly string[]
): { filters: ParsedListFilters | null; errors: ProblemFieldError[] } {
	const filterNames = Object.keys(listFilterSchema.shape);
	const errors = unknownParameterErrors(
		params,
		new Set([...filterNames, ...otherParameters]),
		m.casemod_api_unknown_parameter
	);
	errors.push(
		...repeatedParameterErrors(
			params,
			[...singleValuedFilters, ...otherParameters],
			m.casemod_api_repeated_parameter
		)
	);
	const parsed = parseListFilters(params);
	if (!parsed.success) {
		for (const issue of parsed.error.issues) {
			errors.push({ field: String(issue.path[0] ?? 'query'), message: issue.message });
		}
	}
	return { filters: parsed.success ? parsed.data : null, errors };
}

/** What the public API adds to a list row: city id, result rows and validation counts. */
export type ApiExtras = {
	cityId: number | null;
	results: CaseResult[];
	validations: { reviewed: number; replicated: number; total: number };
};

/** The API extras for a page of cases in three queries, whatever the page size (no N+1). */
export function apiExtras(db: Db, ids: string[]): Map<string, ApiExtras> {
	const extras = new Map<string, ApiExtras>();
	if (ids.length === 0) return extras;
	for (const row of db
		.select({ id: table.caseStudy.id, cityId: table.caseStudy.cityId })
		.from(table.caseStudy)
		.where(inArray(table.caseStudy.id, ids))
		.all()) {
		extras.set(row.id, {
			cityId: row.cityId,
			results: [],
			validations: { reviewed: 0, replicated: 0, total: 0 }
		});
	}
	const results = db
		.select({
			caseStudyId: table.caseStudyResult.caseStudyId,
			...resultColumns
		})
		.from(table.caseStudyResult)
		.where(inArray(table.caseStudyResult.caseStudyId, ids))
		.orderBy(table.caseStudyResult.caseStudyId, table.caseStudyResult.position)
		.all();
	for (const { caseStudyId, ...result } of results) extras.get(caseStudyId)?.results.push(result);
	const counts = db
		.select({
			caseStudyId: table.caseStudyValidation.caseStudyId,
			kind: table.caseStudyValidation.kind,
			n: count()
		})
		.from(table.caseStudyValidation)
		.where(inArray(table.caseStudyValidation.caseStudyId, ids))
		.groupBy(table.caseStudyValidation.caseStudyId, table.caseStudyValidation.kind)
		.all();
	for (const row of counts) {
		const validations = extras.get(row.caseStudyId)?.validations;
		if (!validations) continue;
		validations[row.kind] = row.n;
		validations.total += row.n;
	}
	return extras;
}

const caseUrl = (slug: string, origin: string) => new URL(`/cases/${slug}`, origin).toString();
const iso = (date: Date | null) => date?.toISOString() ?? null;

/** One published case as the API shows it: public fields, vocabulary ids rather than labels. */
export function listItemToApi(item: CaseStudyListItem, extras: ApiExtras, origin: string) {
	return {
		slug: item.slug,
		title: item.title,
		summary: item.summary,
		city: extras.cityId !== null ? { id: extras.cityId, name: item.cityName ?? '' } : null,
		country: { code: item.countryCode, name: item.countryNameEn },
		organisation: {
			slug: item.organisationSlug,
			name: item.organisationName,
			verified: item.organisationVerified
		},
		themes: item.themes,
		sdgTargets: item.sdgTargets,
		domains: item.domains,
		technologies: item.technologies,
		status: item.status,
		period: { start: item.startYear, end: item.endYear },
		results: extras.results,
		validations: extras.validations,
		language: item.language,
		url: caseUrl(item.slug, origin),
		publishedAt: iso(item.publishedAt),
		updatedAt: iso(item.updatedAt)
	};
}
export type ApiCaseStudy = ReturnType<typeof listItemToApi>;

/** The same shape for one case from `getBySlug`, plus its sources and licence. */
export function detailToApi(detail: CaseStudyDetail, origin: string) {
	const { reviewed, replicated } = detail.validationCounts;
	return {
		slug: detail.slug,
		title: detail.title,
		summary: detail.summary,
		city: detail.cityId !== null ? { id: detail.cityId, name: detail.cityName ?? '' } : null,
		country: { code: detail.country.code, name: detail.country.nameEn },
		organisation: {
			slug: detail.organisation.slug,
			name: detail.organisation.name,
			verified: detail.organisation.verificationState === 'verified'
		},
		themes: detail.themes,
		sdgTargets: detail.sdgTargets,
		domains: detail.domains,
		technologies: detail.technologies,
		status: detail.status,
		period: { start: detail.startYear, end: detail.endYear },
		results: detail.results,
		validations: { reviewed, replicated, total: reviewed + replicated },
		language: detail.language,
		url: caseUrl(detail.slug, origin),
		publishedAt: iso(detail.publishedAt),
		updatedAt: iso(detail.updatedAt),
		licence: detail.licence,
		sources: detail.sources
	} satisfies ApiCaseStudy & Record<string, unknown>;
}

export const csvColumns = [
	'slug',
	'title',
	'summary',
	'city',
	'cityId',
	'country',
	'countryName',
	'organisation',
	'themes',
	'sdgTargets',
	'domains',
	'technologies',
	'status',
	'startYear',
	'endYear',
	'results',
	'validationsReviewed',
	'validationsReplicated',
	'validationsTotal',
	'language',
	'url',
	'publishedAt',
	'updatedAt'
] as const;

const joined = (values: readonly string[]) => values.join(';');

/** One CSV row per case; lists joined with `;`, each result as "indicator: baseline → result unit (year)". */
export function csvRow(item: ApiCaseStudy) {
	return {
		slug: item.slug,
		title: item.title,
		summary: item.summary,
		city: item.city?.name ?? null,
		cityId: item.city?.id ?? null,
		country: item.country.code,
		countryName: item.country.name,
		organisation: item.organisation.name,
		themes: joined(item.themes),
		sdgTargets: joined(item.sdgTargets),
		domains: joined(item.domains),
		technologies: joined(item.technologies),
		status: item.status,
		startYear: item.period.start,
		endYear: item.period.end,
		results: joined(
			item.results.map(
				(r) =>
					`${r.indicator}: ${r.baseline ? `${r.baseline} → ` : ''}${r.result}${r.unit ? ` ${r.unit}` : ''}${r.year ? ` (${r.year})` : ''}`
			)
		),
		validationsReviewed: item.validations.reviewed,
		validationsReplicated: item.validations.replicated,
		validationsTotal: item.validations.total,
		language: item.language,
		url: item.url,
		publishedAt: item.publishedAt,
		updatedAt: item.updatedAt
	};
}
