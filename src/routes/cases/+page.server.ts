import { getLocale } from '$lib/paraglide/runtime';
import { appDb } from '$lib/server/db/app';
import * as caseStudies from '$lib/server/case-studies';
import { cardOf } from '$lib/server/case-studies/cards';
import * as organisations from '$lib/server/organisations';
import * as places from '$lib/server/places';
import type { PageServerLoad } from './$types';

/** The longest piece of an ignored value the notice repeats back. */
const shownValueLength = 60;

/**
 * The published case studies, filtered by the query string. A bad filter value never fails the
 * page: it is left out, the page says so, and the other filters still apply.
 */
export const load: PageServerLoad = ({ url }) => {
	const db = appDb();
	const french = getLocale() === 'fr';
	const { filters, ignored } = caseStudies.parseListFiltersLeniently(url.searchParams);

	const selectedCountry = filters.country ? places.getCountry(db, filters.country) : null;
	if (filters.country && !selectedCountry) {
		ignored.push({ name: 'country', value: filters.country });
		delete filters.country;
	}
	const organisation = filters.organisation
		? organisations.findBySlug(db, filters.organisation)
		: null;
	if (filters.organisation && !organisation) {
		ignored.push({ name: 'organisation', value: filters.organisation });
		delete filters.organisation;
	}

	const cursor = url.searchParams.get('cursor');
	const result = caseStudies.listPublished(db, filters, { cursor });
	const countries = caseStudies
		.countriesWithPublishedCases(db)
		.map((country) => ({ code: country.code, name: french ? country.nameFr : country.nameEn }));
	// A valid country without published cases stays selectable, so the form shows the filter.
	if (selectedCountry && !countries.some((country) => country.code === selectedCountry.code)) {
		countries.push({
			code: selectedCountry.code,
			name: french ? selectedCountry.nameFr : selectedCountry.nameEn
		});
	}
	const collator = new Intl.Collator(getLocale(), { sensitivity: 'base' });
	countries.sort((a, b) => collator.compare(a.name, b.name));

	return {
		filters,
		ignored: ignored.map(({ name, value }) => ({ name, value: value.slice(0, shownValueLength) })),
		organisationName: organisation?.name ?? null,
		cases: result.items.map(cardOf),
		total: caseStudies.countPublished(db, filters),
		nextCursor: result.nextCursor,
		isLaterPage: cursor !== null && caseStudies.decodeCursor(cursor) !== null,
		countries
	};
};
