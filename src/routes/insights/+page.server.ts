import { getLocale } from '$lib/paraglide/runtime';
import { appDb } from '$lib/server/db/app';
import * as places from '$lib/server/places';
import * as stats from '$lib/server/stats';
import * as worldMap from '$lib/server/world-map';
import type { SdgTargetId } from '$lib/vocab/sdg';
import type { ThemeId } from '$lib/vocab/themes';
import type { PageServerLoad } from './$types';

/**
 * Everything on the page is a link or a GET form, so it ships no JavaScript: the map's shapes
 * would otherwise be sent twice, once as SVG and once as hydration data.
 */
export const csr = false;

/** The longest piece of an ignored value the notice repeats back. */
const shownValueLength = 60;

/** The page's own switches: what the heat map and the map count. */
const kindSwitches = ['matrix', 'map'] as const;
type KindSwitch = (typeof kindSwitches)[number];

const isKind = (value: string): value is stats.StatsKind =>
	(stats.statsKinds as readonly string[]).includes(value);

/**
 * The dashboards for the filters in the query string. A bad filter never fails the page: it is
 * left out and the page says which one and why.
 */
export const load: PageServerLoad = ({ url }) => {
	const db = appDb();
	const params = url.searchParams;
	const filterParams = new URLSearchParams();
	for (const name of stats.statsFilterNames) {
		for (const value of params.getAll(name)) filterParams.append(name, value);
	}
	const { filters, errors } = stats.parseStatsFilters(filterParams, 'lenient');

	const ignored = errors.map(({ field, message }) => {
		const kept = new Set<string>([filters[field as keyof typeof filters] ?? []].flat());
		const given = params.getAll(field).filter((value) => !kept.has(value));
		return {
			name: field,
			value: (given.join(', ') || params.get(field) || '').slice(0, shownValueLength),
			reason: message
		};
	});
	const kinds = {} as Record<KindSwitch, stats.StatsKind>;
	for (const name of kindSwitches) {
		const value = params.get(name);
		kinds[name] = value !== null && isKind(value) ? value : 'case_study';
		if (value !== null && !isKind(value)) {
			ignored.push({ name, value: value.slice(0, shownValueLength), reason: '' });
		}
	}

	const insights = stats.insights(db, filters);
	const views = Object.fromEntries(
		stats.statsViews.map((view) => [view, stats.viewRows(insights, view)])
	) as Record<stats.StatsView, ReturnType<typeof stats.viewRows>>;

	const matrixKind = kinds.matrix;
	const mapKind = kinds.map;
	const present = new Set(insights.countries.map(({ country }) => country));
	const countryNames = Object.fromEntries(
		places
			.listCountries(db, getLocale() === 'fr' ? 'fr' : 'en')
			.filter(({ code }) => present.has(code))
			.map(({ code, name }) => [code, name])
	);

	return {
		filters: insights.filters,
		ignored,
		query: stats.filterQuery(insights.filters).toString(),
		generatedAt: insights.generatedAt,
		headline: insights.headline,
		views,
		matrixKind,
		// The heat map is the matrix view's rows (what its CSV holds), one kind's column of them.
		matrix: {
			max: Math.max(0, ...views.matrix.rows.map((row) => Number(row[matrixKind]))),
			cells: views.matrix.rows.map((row) => {
				const theme = row.theme as ThemeId;
				const sdg = row.sdg as SdgTargetId;
				const count = Number(row[matrixKind]);
				return {
					theme,
					sdg,
					count,
					href: count > 0 ? stats.recordsHref(matrixKind, { theme, sdg }, insights.filters) : null
				};
			})
		},
		mapKind,
		map: worldMap.shapes(),
		mapValues: Object.fromEntries(
			insights.countries.map(({ country, counts }) => [country, counts[mapKind]])
		),
		countryHrefs: Object.fromEntries(
			insights.countries
				.filter(({ counts }) => counts[mapKind] > 0)
				.map(({ country }) => [country, stats.recordsHref(mapKind, { country }, insights.filters)])
		),
		countryNames,
		globalOffers: insights.globalOffers
	};
};
