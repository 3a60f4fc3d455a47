import { error } from '@sveltejs/kit';
import { getLocale } from '$lib/paraglide/runtime';
import { m } from '$lib/paraglide/messages';
import { actorOf } from '$lib/server/auth/guards';
import { appDb } from '$lib/server/db/app';
import * as places from '$lib/server/places';
import { searchEngine } from '$lib/server/search';
import { audienceOf } from '$lib/server/search/audience';
import { parseSearchParams } from '$lib/server/search/params';
import { facetNames, type FacetName, type SearchResult } from '$lib/server/search/types';
import { activeFilters, facetGroups, hitDetails, recordTypes, typeLabel } from './facet-groups';
import type { PageServerLoad } from './$types';

/** The longest piece of an ignored parameter name the notice repeats back. */
const shownNameLength = 40;

/**
 * One search over everything the asker may see. The address is the whole state; a bad parameter
 * never fails the page: it is dropped, the page says so, and the rest still applies.
 */
export const load: PageServerLoad = async ({ url, locals }) => {
	const db = appDb();
	const locale = getLocale() === 'fr' ? 'fr' : 'en';
	const { request, problems } = parseSearchParams(url.searchParams, 'lenient');
	const audience = audienceOf(db, actorOf(locals));

	let result: SearchResult;
	try {
		result = await searchEngine(db).search({ ...request, audience });
	} catch (cause) {
		console.error('search failed', { q: request.q, filters: request.filters, cause });
		error(503, m.search_unavailable());
	}

	const names = new Map(
		places.listCountries(db, locale).map((country) => [country.code, country.name])
	);
	const countryName = (code: string) => names.get(code) ?? code;
	const collator = new Intl.Collator(locale, { sensitivity: 'base' });
	const selectedTypes = request.filters.type ?? [];
	const typeCounts = result.facets.type ?? {};
	const pages = Math.max(1, Math.ceil(result.total / request.perPage));

	return {
		q: request.q,
		// The order and page size stay in links only when the address chose them.
		sort: url.searchParams.get('sort')?.trim() === request.sort ? request.sort : null,
		effectiveSort: request.sort,
		limit: url.searchParams.has('limit') ? request.perPage : null,
		page: request.page,
		pages,
		total: result.total,
		tookMs: result.tookMs,
		corrected: result.corrected,
		hits: result.hits.map((hit) => ({
			type: hit.type,
			typeLabel: typeLabel(hit.type),
			// Paths are unique per record; the key of the list.
			path: hit.path,
			title: hit.title,
			snippet: hit.snippet,
			details: hitDetails(hit.meta, countryName)
		})),
		// A type tab shows when it has results under the other filters, or is the one chosen.
		types: recordTypes
			.filter((type) => (typeCounts[type] ?? 0) > 0 || selectedTypes.includes(type))
			.map((type) => ({ value: type, count: typeCounts[type] ?? 0 })),
		allTypesCount: Object.values(typeCounts).reduce((sum, count) => sum + count, 0),
		selectedTypes,
		groups: facetGroups(facetNames, result.facets, request.filters, countryName, collator),
		filters: activeFilters(facetNames, request.filters, countryName),
		problems: problems.map(({ field, message }) => ({
			field: (facetNames as readonly string[]).includes(field)
				? (field as FacetName)
				: field.slice(0, shownNameLength),
			message
		}))
	};
};
