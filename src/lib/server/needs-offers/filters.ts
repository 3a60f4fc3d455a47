import { z } from 'zod';
import { m } from '$lib/paraglide/messages';
import { languageCodes } from '$lib/server/organisations';
import { needStatuses, offerFormats, offerStatuses } from '$lib/vocab/matchmaking';
import { regionCodes, subregionCodes } from '$lib/vocab/regions';
import {
	cooperationTypeSchema,
	incomeGroupSchema,
	sdgTargetIdSchema,
	themeIdSchema
} from '$lib/vocab/schemas';

export type ListingKind = 'need' | 'offer';

/** The most values one filter takes (`?theme=S&theme=E` …); more is a mistake or an attack. */
export const MAX_FILTER_VALUES = 20;

const countryCode = z
	.string()
	.trim()
	.toUpperCase()
	.regex(/^[A-Z]{2}$/, { error: () => m.needsoffers_country_invalid() });

/** Each value of the repeatable filters, as read from one query parameter (also the OpenAPI document's). */
export const valueSchemas = {
	theme: themeIdSchema,
	sdg: sdgTargetIdSchema,
	/** An M49 region or sub-region code. */
	region: z.enum([...regionCodes, ...subregionCodes] as [string, ...string[]], {
		error: () => m.needsoffers_region_invalid()
	}),
	country: countryCode,
	income: incomeGroupSchema,
	cooperation: cooperationTypeSchema,
	language: z.enum(languageCodes, { error: () => m.needsoffers_language_invalid() }),
	needStatus: z.enum(needStatuses, { error: () => m.needsoffers_need_status_invalid() }),
	offerStatus: z.enum(offerStatuses, { error: () => m.needsoffers_offer_status_invalid() }),
	offerFormat: z.enum(offerFormats, { error: () => m.needsoffers_format_invalid() })
};

/**
 * The filters of the lists (`/needs?theme=S&theme=E&sdg=11.2`): a repeated name means any of its
 * values (OR), different names all apply (AND). Status defaults to open (and unexpired).
 */
export type ListingFilters = {
	theme?: string[];
	sdg?: string[];
	region?: string[];
	country?: string[];
	income?: string[];
	cooperation?: string[];
	language?: string[];
	status?: string[];
	/** Offers only: training, loan… (`format` is the answer's format, json or csv, on every list). */
	offerFormat?: string[];
};
export type ListingFilterName = keyof ListingFilters;

const commonNames = [
	'theme',
	'sdg',
	'region',
	'country',
	'income',
	'cooperation',
	'language',
	'status'
] as const satisfies readonly ListingFilterName[];

/** The filter names a list of that kind takes, in the order forms show them. */
export function filterNames(kind: ListingKind): ListingFilterName[] {
	return kind === 'offer' ? [...commonNames, 'offerFormat'] : [...commonNames];
}

function schemaOf(name: ListingFilterName, kind: ListingKind) {
	if (name === 'status')
		return kind === 'offer' ? valueSchemas.offerStatus : valueSchemas.needStatus;
	return valueSchemas[name];
}

/** A value the parser did not take, and why. */
export type FilterProblem = { field: ListingFilterName; value: string; message: string };

/**
 * Reads the filters from a URL. 'strict' (the API) gives no filters at all when any value is bad
 * (or one filter has too many), so the caller refuses the request with the problems; 'lenient'
 * (the pages) drops only the bad values and reports them so the page can say which were ignored.
 * Empty values are ignored in both. Parameters that are not filters are left to the caller.
 */
export function parseListingFilters(
	params: URLSearchParams,
	mode: 'strict',
	kind?: ListingKind
): { filters: ListingFilters | null; problems: FilterProblem[] };
export function parseListingFilters(
	params: URLSearchParams,
	mode: 'lenient',
	kind?: ListingKind
): { filters: ListingFilters; problems: FilterProblem[] };
export function parseListingFilters(
	params: URLSearchParams,
	mode: 'strict' | 'lenient',
	kind: ListingKind = 'need'
): { filters: ListingFilters | null; problems: FilterProblem[] } {
	const filters: ListingFilters = {};
	const problems: FilterProblem[] = [];
	for (const name of filterNames(kind)) {
		const kept = new Set<string>();
		const given = params.getAll(name).filter((value) => value.trim() !== '');
		for (const value of given) {
			const parsed = schemaOf(name, kind).safeParse(value);
			if (!parsed.success) {
				problems.push({ field: name, value, message: parsed.error.issues[0].message });
			} else if (kept.size < MAX_FILTER_VALUES || kept.has(parsed.data)) {
				kept.add(parsed.data);
			} else {
				problems.push({
					field: name,
					value,
					message: m.needsoffers_filter_too_many({ max: MAX_FILTER_VALUES })
				});
			}
		}
		if (kept.size) filters[name] = [...kept];
	}
	return { filters: mode === 'strict' && problems.length ? null : filters, problems };
}

/** The statuses a list shows: the filter's, or open ones by default. */
export const statusesOf = (filters: ListingFilters) =>
	filters.status?.length ? filters.status : ['open'];

type Cursor = { createdAt: number; id: string };

/** Lists go newest first; the cursor is the last row's creation time and id. */
export function encodeCursor(cursor: Cursor): string {
	return Buffer.from(JSON.stringify([cursor.createdAt, cursor.id])).toString('base64url');
}

export function decodeCursor(value: string): Cursor | null {
	try {
		const parsed: unknown = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
		if (
			Array.isArray(parsed) &&
			parsed.length === 2 &&
			Number.isSafeInteger(parsed[0]) &&
			typeof parsed[1] === 'string' &&
			parsed[1].length <= 64
		) {
			return { createdAt: parsed[0], id: parsed[1] };
		}
	} catch {
		// falls through: not a cursor this API gave out
	}
	return null;
}
