import { getLocale } from '$lib/paraglide/runtime';
import type { Db } from '$lib/server/db';
import { organisationKinds } from '$lib/server/db/schema';
import * as organisations from '$lib/server/organisations';
import * as places from '$lib/server/places';
import { kindLabel } from '$lib/vocab/labels';
import type { CityChoice, OrganisationFormValues } from './organisation-form';

function placeLocale(): places.PlaceLocale {
	return getLocale() === 'fr' ? 'fr' : 'en';
}

/** Countries, kinds and languages for the form, labelled in the reader's language. */
export function formOptions(db: Db) {
	const languageNames = new Intl.DisplayNames([getLocale()], { type: 'language' });
	return {
		countries: places.listCountries(db, placeLocale()).map((c) => ({ code: c.code, name: c.name })),
		kinds: organisationKinds.map((id) => ({ id, label: kindLabel(id) })),
		languages: organisations.languageCodes.map((code) => ({
			code,
			label: languageNames.of(code) ?? code
		})),
		descriptionMax: organisations.DESCRIPTION_MAX
	};
}

function labelOf(city: places.CitySummary): string {
	const population = new Intl.NumberFormat(getLocale()).format(city.population);
	return `${city.name}, ${city.countryName} (${population})`;
}

/**
 * The cities offered as radio buttons: the one already chosen, then the matches of the search
 * (in the chosen country when there is one).
 */
export function cityChoices(db: Db, values: OrganisationFormValues): CityChoice[] {
	const locale = placeLocale();
	const choices: CityChoice[] = [];
	const selectedId = /^\d{1,10}$/.test(values.city) ? Number(values.city) : null;
	const selected = selectedId === null ? null : places.getCity(db, selectedId, locale);
	if (selected) choices.push({ id: selected.id, label: labelOf(selected) });
	const query = values.cityQuery.trim();
	if (query) {
		const country = /^[A-Za-z]{2}$/.test(values.country) ? values.country : undefined;
		for (const city of places.searchCities(db, query, {
			countryCode: country,
			limit: 20,
			locale
		})) {
			if (city.id !== selected?.id) choices.push({ id: city.id, label: labelOf(city) });
		}
	}
	return choices;
}
