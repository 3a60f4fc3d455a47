import { getLocale } from '$lib/paraglide/runtime';
import { actorOf } from '$lib/server/auth/guards';
import { appDb } from '$lib/server/db/app';
import * as partnerships from '$lib/server/partnerships';
import * as places from '$lib/server/places';
import type { PageServerLoad } from './$types';

/** The longest piece of an ignored value the notice repeats back. */
const shownValueLength = 60;

/**
 * Public partnerships, and a signed-in member's own organisations' ones too, filtered by the query
 * string. A bad filter value never fails the page: it is left out and the page says so.
 */
export const load: PageServerLoad = ({ url, locals }) => {
	const db = appDb();
	const { filters, invalid } = partnerships.parseListFilters(url.searchParams);
	const pageText = url.searchParams.get('page') ?? '1';
	const page = /^\d{1,6}$/.test(pageText) ? Number(pageText) : 1;
	const list = partnerships.listPartnerships(db, actorOf(locals), filters, page);
	return {
		filters,
		ignored: invalid.map(({ field, value }) => ({
			name: field,
			value: value.slice(0, shownValueLength)
		})),
		items: list.items.map((item) => ({
			id: item.id,
			title: item.title,
			status: item.status,
			isPublic: item.isPublic,
			isStale: item.isStale,
			lastActivityAt: item.lastActivityAt,
			parties: item.parties.map(({ slug, name, role }) => ({ slug, name, role })),
			themes: item.themes,
			sdgTargets: item.sdgTargets
		})),
		total: list.total,
		page: list.page,
		pageCount: list.pageCount,
		countries: places
			.listCountries(db, getLocale() === 'fr' ? 'fr' : 'en')
			.map(({ code, name }) => ({ code, name }))
	};
};
