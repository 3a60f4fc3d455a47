import { getLocale } from '$lib/paraglide/runtime';
import { can } from '$lib/server/auth/policy';
import { actorOf } from '$lib/server/auth/guards';
import { appDb } from '$lib/server/db/app';
import { organisationKinds } from '$lib/server/db/schema';
import * as organisations from '$lib/server/organisations';
import * as places from '$lib/server/places';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ url, locals }) => {
	const db = appDb();
	const filters = organisations.filtersFromPage(url.searchParams);
	const requested = Number(url.searchParams.get('page') ?? '1');
	const result = organisations.directoryPage(
		db,
		filters,
		Number.isFinite(requested) ? requested : 1
	);
	const french = getLocale() === 'fr';
	return {
		filters,
		rows: result.rows.map((row) => ({
			slug: row.slug,
			name: row.name,
			kind: row.kind,
			isVerified: row.verificationState === 'verified',
			countryName: french ? row.countryNameFr : row.countryNameEn,
			regionCode: row.regionCode,
			cityName: row.cityName
		})),
		total: result.total,
		page: result.page,
		pages: result.pages,
		kinds: [...organisationKinds],
		regions: organisations.regionChoices(db),
		countries: places
			.listCountries(db, french ? 'fr' : 'en')
			.map((country) => ({ code: country.code, name: country.name })),
		incomeGroups: [...organisations.incomeGroups],
		canCreate: can(actorOf(locals), 'organisation:create')
	};
};
