/** The insights' filters in the URL, and links from a figure to the lists of its records. */
import { z } from 'zod';
import { m } from '$lib/paraglide/messages';
import type { ProblemFieldError } from '$lib/server/api/problem';
import {
	needStatuses,
	offerStatuses,
	partnershipStatuses,
	type PartnershipStatus
} from '$lib/vocab/matchmaking';
import { isRegionCode, subregionsByRegion, type RegionCode } from '$lib/vocab/regions';
import {
	cooperationTypeSchema,
	incomeGroupSchema,
	regionCodeSchema,
	sdgTargetIdSchema,
	subregionCodeSchema,
	themeIdSchema
} from '$lib/vocab/schemas';
import type { SdgTargetId } from '$lib/vocab/sdg';
import type { ThemeId } from '$lib/vocab/themes';
import type { StatsFilterName, StatsFilters, StatsKind } from './types';

/** The filters' names, in the order forms and links give them. */
export const statsFilterNames = [
	'region',
	'income',
	'theme',
	'sdg',
	'cooperation',
	'from',
	'to'
] as const satisfies readonly StatsFilterName[];

/** Parameters of `GET /api/v1/stats` that are not filters: the API reads them itself. */
export const otherStatsParameters = ['view', 'format'] as const;

/** The most distinct values one filter takes (as the lists: more is a mistake or an attack). */
export const MAX_FILTER_VALUES = 20;
/** Months before 1970 or after 2100 are typing mistakes: no record is dated there. */
const FIRST_YEAR = 1970;
const LAST_YEAR = 2100;

/** Each repeatable filter's value schema (the OpenAPI document reads them too). */
export const listSchemas = {
	region: z.union([regionCodeSchema, subregionCodeSchema], {
		error: () => m.vocab_invalid_choice()
	}),
	income: incomeGroupSchema,
	theme: themeIdSchema,
	sdg: sdgTargetIdSchema,
	cooperation: cooperationTypeSchema
} as const;
type ListFilterName = keyof typeof listSchemas;
const listFilterNames = Object.keys(listSchemas) as ListFilterName[];

export const monthSchema = z
	.string()
	.trim()
	.regex(/^\d{4}-(0[1-9]|1[0-2])$/, { error: () => m.stats_month_invalid() })
	.refine(
		(month) => Number(month.slice(0, 4)) >= FIRST_YEAR && Number(month.slice(0, 4)) <= LAST_YEAR,
		{ error: () => m.stats_month_invalid() }
	);

/**
 * Reads the filters from a URL. A repeated name means any of its values (each kept once); empty
 * values are ignored. 'strict' (the API): every problem is reported, unknown parameter names
 * included (`view` and `format` excepted), and the caller answers 400 when there is any.
 * 'lenient' (the page): bad values are dropped and reported, unknown names are left alone (the
 * page has its own parameters), and the rest still applies. In both modes `filters` holds only
 * valid values; a period that ends before it starts keeps neither month.
 */
export function parseStatsFilters(
	params: URLSearchParams,
	mode: 'strict' | 'lenient'
): { filters: StatsFilters; errors: ProblemFieldError[] } {
	const filters: Record<string, unknown> = {};
	const errors: ProblemFieldError[] = [];
	if (mode === 'strict') {
		const known = new Set<string>([...statsFilterNames, ...otherStatsParameters]);
		for (const name of new Set(params.keys())) {
			if (!known.has(name)) errors.push({ field: name, message: m.stats_filter_unknown() });
		}
	}
	for (const name of listFilterNames) {
		const kept = new Set<string>();
		let tooMany = false;
		for (const value of params.getAll(name)) {
			if (value.trim() === '') continue;
			const parsed = listSchemas[name].safeParse(value.trim());
			if (!parsed.success) {
				errors.push({ field: name, message: parsed.error.issues[0].message });
			} else if (kept.size < MAX_FILTER_VALUES || kept.has(parsed.data)) {
				kept.add(parsed.data);
			} else tooMany = true;
		}
		if (tooMany) {
			errors.push({ field: name, message: m.stats_filter_too_many({ max: MAX_FILTER_VALUES }) });
		}
		if (kept.size) filters[name] = [...kept];
	}
	for (const name of ['from', 'to'] as const) {
		const given = params.getAll(name).filter((value) => value.trim() !== '');
		if (given.length === 0) continue;
		if (new Set(given.map((value) => value.trim())).size > 1) {
			errors.push({ field: name, message: m.stats_filter_single() });
		}
		const parsed = monthSchema.safeParse(given[0]);
		if (parsed.success) filters[name] = parsed.data;
		else errors.push({ field: name, message: parsed.error.issues[0].message });
	}
	if (typeof filters.from === 'string' && typeof filters.to === 'string') {
		if (filters.from > filters.to) {
			errors.push({ field: 'to', message: m.stats_period_reversed() });
			delete filters.from;
			delete filters.to;
		}
	}
	return { filters: filters as StatsFilters, errors };
}

/** The filters as URL parameters, in statsFilterNames order (links, the API's echo). */
export function filterQuery(filters: StatsFilters): URLSearchParams {
	const query = new URLSearchParams();
	for (const name of statsFilterNames) {
		const value = filters[name];
		if (value === undefined) continue;
		for (const one of Array.isArray(value) ? value : [value]) query.append(name, one);
	}
	return query;
}

const listPaths: Record<StatsKind, string> = {
	case_study: '/cases',
	need: '/needs',
	offer: '/offers',
	partnership: '/partnerships'
};

/** The M49 region a sub-region belongs to (the case list filters by region only). */
function regionOf(code: string): RegionCode | null {
	if (isRegionCode(code)) return code;
	for (const [region, subregions] of Object.entries(subregionsByRegion)) {
		if ((subregions as readonly string[]).includes(code)) return region as RegionCode;
	}
	return null;
}

/** The statuses each list filters by (`status=`); case studies' status is something else. */
const listStatuses: Record<StatsKind, readonly string[]> = {
	case_study: [],
	need: needStatuses,
	offer: offerStatuses,
	partnership: partnershipStatuses
};

/**
 * A link (not localised: wrap it in `localizeHref`) to the list of that kind's records, narrowed
 * by the figure's theme, target, country or status and by the insights' filters, as far as the
 * list's own filters go: the case list takes regions but not sub-regions (a sub-region becomes its
 * region) and no cooperation type; the partnership list takes no income group; no list takes a
 * period. The needs and offers lists show open ones unless a status is given, as the insights
 * count. So a list may hold more than the figure, never fewer of its records.
 */
export function recordsHref(
	kind: StatsKind,
	narrowing: {
		theme?: ThemeId;
		sdg?: SdgTargetId;
		country?: string;
		status?: PartnershipStatus | string;
	},
	filters: StatsFilters
): string {
	const query = new URLSearchParams();
	const add = (name: string, values: readonly string[] | undefined) => {
		for (const value of new Set(values ?? [])) query.append(name, value);
	};
	add('theme', narrowing.theme ? [narrowing.theme] : filters.theme);
	add('sdg', narrowing.sdg ? [narrowing.sdg] : filters.sdg);
	if (kind === 'case_study') {
		add(
			'region',
			filters.region?.map(regionOf).filter((code): code is RegionCode => code !== null)
		);
	} else add('region', filters.region);
	if (narrowing.country) add('country', [narrowing.country]);
	if (kind !== 'partnership') add('income', filters.income);
	if (kind !== 'case_study') add('cooperation', filters.cooperation);
	if (narrowing.status && listStatuses[kind].includes(narrowing.status)) {
		add('status', [narrowing.status]);
	}
	const search = query.toString();
	return search ? `${listPaths[kind]}?${search}` : listPaths[kind];
}
