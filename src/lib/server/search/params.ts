import { z } from 'zod';
import { m } from '$lib/paraglide/messages';
import { unknownParameterErrors } from '$lib/server/api/lists';
import type { ProblemFieldError } from '$lib/server/api/problem';
import { MAX_FILTER_VALUES } from '$lib/server/case-studies';
import { searchRecordTypes } from '$lib/server/db/schema';
import { countryRecords } from '$lib/server/reference';
import {
	cooperationTypeSchema,
	incomeGroupSchema,
	regionCodeSchema,
	sdgTargetIdSchema,
	serviceDomainSchema,
	technologySchema,
	themeIdSchema
} from '$lib/vocab/schemas';
import { MAX_PER_PAGE } from './limits';
import { facetNames, type FacetName, type SearchRequest, type SearchSort } from './types';

/**
 * The query string of `/search` and `GET /api/v1/search`, read once for both: `strict` for the
 * API (every problem is a 400), `lenient` for the page (bad values are dropped or clamped, and the
 * problems are notices to show). Pure: no database, no request.
 */

export const MAX_QUERY_LENGTH = 200;
/** Deeper pages are never useful to a person and only cost the engine. */
export const MAX_PAGE = 1000;
export const DEFAULT_LIMIT = 20;
export const MAX_LIMIT = MAX_PER_PAGE;
export const YEAR_RANGE = { min: 1900, max: 2200 } as const;

export const searchSorts = ['relevance', 'newest'] as const satisfies readonly SearchSort[];

/** Parameters that take one value; repeating one is a mistake the API refuses. */
const scalarParameters = ['q', 'sort', 'page', 'limit'] as const;
/** In the order a person reads them: the query, what it covers, how the answer comes. */
export const searchParameterNames = ['q', ...facetNames, 'sort', 'page', 'limit'] as const;

export type SearchParams = Omit<SearchRequest, 'audience'>;
export type ParsedSearchParams = { request: SearchParams; problems: ProblemFieldError[] };
export type ParseMode = 'strict' | 'lenient';

const countryCodes = new Set(countryRecords.map((country) => country.alpha2));

const yearSchema = z
	.string()
	.trim()
	.regex(/^\d{4}$/)
	.refine((year) => Number(year) >= YEAR_RANGE.min && Number(year) <= YEAR_RANGE.max);

/** Each facet's values, normalised to what documents store (strings; country codes uppercase). */
export const facetValueSchemas: Record<FacetName, z.ZodType<string, string>> = {
	type: z.enum(searchRecordTypes),
	theme: themeIdSchema,
	sdg: sdgTargetIdSchema,
	region: regionCodeSchema,
	country: z
		.string()
		.trim()
		.toUpperCase()
		.refine((code) => countryCodes.has(code)),
	income: incomeGroupSchema,
	domain: serviceDomainSchema,
	technology: technologySchema,
	cooperation: cooperationTypeSchema,
	year: yearSchema
};

/** Echoed values are cut, so a 10,000-character value does not come back 10,000 characters long. */
const shown = (value: string) => (value.length > 40 ? `${value.slice(0, 40)}…` : value);

function valueMessage(facet: FacetName, value: string): string {
	if (facet === 'country') return m.searchapi_country_unknown({ value: shown(value) });
	if (facet === 'year') {
		return m.searchapi_year_invalid({ value: shown(value), ...YEAR_RANGE });
	}
	const schema = facetValueSchemas[facet];
	const values = schema instanceof z.ZodEnum ? schema.options.join(', ') : '';
	return m.searchapi_value_unknown({ value: shown(value), values });
}

// Control characters, lone surrogates (and the U+FFFD that URL decoding puts in their place) and
// bidirectional overrides: never meant, and they garble the "results for …" line.
const unprintable = /[\p{Cc}\p{Cs}\u200B\u202A-\u202E\u2066-\u2069\uFEFF\uFFFD]/gu;

/**
 * The query as searched: compatibility-normalised (full-width letters, ligatures), control
 * characters removed, whitespace collapsed and trimmed. Search syntax (`"`, `-`, `*`, `NEAR(`)
 * stays: the engine reads or quotes it.
 */
export function normalizeQuery(raw: string): string {
	return raw.normalize('NFKC').replace(unprintable, ' ').replace(/\s+/gu, ' ').trim();
}

/** A whole number written in plain digits ("-1", "1e9", "NaN", "2.5" and "0x10" are not). */
function wholeNumber(text: string): number | null {
	return /^\d{1,9}$/.test(text.trim()) ? Number(text.trim()) : null;
}

export function parseSearchParams(
	params: URLSearchParams,
	mode: ParseMode,
	options: {
		/** Parameters the caller reads itself (the API's `format`): known, and given once. */
		otherParameters?: readonly string[];
	} = {}
): ParsedSearchParams {
	const otherParameters = options.otherParameters ?? [];
	const problems: ProblemFieldError[] = [];
	const known = [...searchParameterNames, ...otherParameters];
	problems.push(
		...unknownParameterErrors(params, new Set(known), () =>
			m.searchapi_unknown_parameter({ names: known.join(', ') })
		)
	);
	for (const name of [...scalarParameters, ...otherParameters]) {
		if (params.getAll(name).length > 1) {
			problems.push({ field: name, message: m.casemod_api_repeated_parameter() });
		}
	}
	// An empty parameter is what a plain GET form sends for an untouched field: not given.
	const first = (name: string) => {
		const value = params.get(name);
		return value === null || value.trim() === '' ? null : value;
	};

	let q = normalizeQuery(first('q') ?? '');
	const characters = [...q];
	if (characters.length > MAX_QUERY_LENGTH) {
		q = characters.slice(0, MAX_QUERY_LENGTH).join('').trim();
		problems.push({
			field: 'q',
			message:
				mode === 'strict'
					? m.searchapi_query_too_long({ max: MAX_QUERY_LENGTH })
					: m.searchapi_query_cut({ max: MAX_QUERY_LENGTH })
		});
	}

	const filters: Partial<Record<FacetName, string[]>> = {};
	for (const facet of facetNames) {
		const kept = new Set<string>();
		let tooMany = false;
		for (const value of params.getAll(facet)) {
			if (value.trim() === '') continue;
			const parsed = facetValueSchemas[facet].safeParse(value);
			if (!parsed.success) {
				problems.push({ field: facet, message: valueMessage(facet, value) });
			} else if (kept.size < MAX_FILTER_VALUES || kept.has(parsed.data)) {
				kept.add(parsed.data);
			} else {
				tooMany = true;
			}
		}
		if (tooMany) {
			problems.push({
				field: facet,
				message: m.caselist_filter_too_many({ max: MAX_FILTER_VALUES })
			});
		}
		if (kept.size) filters[facet] = [...kept];
	}

	const sortText = first('sort');
	let sort: SearchSort = q ? 'relevance' : 'newest';
	if (sortText !== null) {
		const parsed = z.enum(searchSorts).safeParse(sortText.trim());
		if (parsed.success) sort = parsed.data;
		else problems.push({ field: 'sort', message: m.searchapi_sort_invalid() });
	}

	const pageText = first('page');
	let page = 1;
	if (pageText !== null) {
		const number = wholeNumber(pageText);
		if (number !== null && number >= 1 && number <= MAX_PAGE) page = number;
		else {
			problems.push({ field: 'page', message: m.searchapi_page_invalid({ max: MAX_PAGE }) });
			if (number !== null && number > MAX_PAGE) page = MAX_PAGE;
		}
	}

	const limitText = first('limit');
	let perPage = DEFAULT_LIMIT;
	if (limitText !== null) {
		const number = wholeNumber(limitText);
		if (number !== null && number >= 1 && number <= MAX_LIMIT) perPage = number;
		else {
			problems.push({ field: 'limit', message: m.casemod_api_limit_invalid() });
			if (number !== null && number > MAX_LIMIT) perPage = MAX_LIMIT;
		}
	}

	return { request: { q, filters, sort, page, perPage }, problems };
}
