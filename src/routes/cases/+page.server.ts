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

	const selectedCountries: NonNullable<ReturnType<typeof places.getCountry>>[] = [];
	for (const code of filters.country ?? []) {
		const country = places.getCountry(db, code);
		if (country) selectedCountries.push(country);
		else ignored.push({ name: 'country', value: code });
	}
	if (selectedCountries.length) filters.country = selectedCountries.map((country) => country.code);
	else delete filters.country;
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
	for (const selected of selectedCountries) {
		if (countries.some((country) => country.code === selected.code)) continue;
		countries.push({ code: selected.code, name: french ? selected.nameFr : selected.nameEn });
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
