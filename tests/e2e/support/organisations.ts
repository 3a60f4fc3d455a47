import type { Page } from 'playwright-core';
import { randomId } from '../../../src/lib/server/ids';
import type { TestBrowser } from './browser';
import { button, clickAndWaitForUrl, field, fillForm } from './forms';
import { text } from './messages';

export type TestCityOrganisation = {
	name: string;
	country: string;
	cityQuery: string;
	/** How the city's choice starts in the picker: "Nairobi, Kenya (…population…)". */
	cityChoice: RegExp;
	website: string;
	officialEmail: string;
	description: string;
};

/** A city organisation tied to a real place in the gazetteer, with a unique name. */
export function newCityOrganisation(label: string): TestCityOrganisation {
	const id = randomId().slice(0, 6);
	return {
		name: `City of Nairobi ${label} ${id}`,
		country: 'Kenya',
		cityQuery: 'Nairobi',
		cityChoice: /^Nairobi, Kenya \(/,
		website: `https://${id}.nairobi.go.ke`,
		officialEmail: `smart-city@${id}.nairobi.go.ke`,
		description: `Nairobi City County (${label}): open data, mobility and waste pilots.\nLooking for partners on flood early warning.`
	};
}

/** The path of the page the browser is on, e.g. "/organisations/city-of-nairobi". */
export function currentPath(page: Page): string {
	return new URL(page.url()).pathname;
}

const profilePath = /^\/organisations\/(?!new$)[^/]+$/;

/**
 * Fills the new-organisation form for a city and picks the real city: with JavaScript by
 * search-as-you-type, without it with the "Find city" button that reloads the form with results.
 */
export async function fillCityOrganisationForm(browser: TestBrowser, org: TestCityOrganisation) {
	const { page } = browser;
	await fillForm(page, { organisations_field_name: org.name });
	await field(page, 'organisations_field_kind').selectOption({ label: text('vocab_kind_city') });
	await field(page, 'organisations_field_country').selectOption({ label: org.country });
	await fillForm(page, { organisations_city_search_label: org.cityQuery });
	if (!browser.javaScript) {
		await clickAndWaitForUrl(page, button(page, 'organisations_city_find'), (url) =>
			url.searchParams.has('step')
		);
	}
	await page.getByRole('radio', { name: org.cityChoice }).first().check();
	await fillForm(page, {
		organisations_field_website: org.website,
		organisations_field_description: org.description
	});
}

/** Creates the organisation from /organisations/new and returns its profile path. */
export async function createCityOrganisation(
	browser: TestBrowser,
	org: TestCityOrganisation
): Promise<string> {
	const { page } = browser;
	await browser.visit('/organisations/new');
	await fillCityOrganisationForm(browser, org);
	await clickAndWaitForUrl(page, button(page, 'organisations_create_submit'), (url) =>
		profilePath.test(url.pathname)
	);
	return currentPath(page);
}

/** The moderation queue's card for one organisation's request. */
export function moderationCard(page: Page, organisationName: string) {
	return page
		.getByRole('listitem')
		.filter({ has: page.getByRole('heading', { level: 3, name: organisationName }) });
}
