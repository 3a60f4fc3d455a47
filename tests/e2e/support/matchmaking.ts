import type { Locator, Page } from 'playwright-core';
import { randomId } from '../../../src/lib/server/ids';
import type { TestBrowser } from './browser';
import { button, clickAndWaitForUrl, field, fillForm, submitAndWait } from './forms';
import { text, textPattern } from './messages';
import { currentPath } from './organisations';

/**
 * Page helpers for the matchmaking journeys (issue 5): posting needs and offers, asking for and
 * answering introductions, and running a partnership. Text fields are found by their labels'
 * message keys and choices by the form contract's values, so a reworded label is fixed here.
 */

export type TestPartnerOrganisation = { name: string; website: string; description: string };

/** A partner organisation (an international organisation in France) with a unique name. */
export function newPartnerOrganisation(label: string): TestPartnerOrganisation {
	const id = randomId().slice(0, 6);
	return {
		name: `Flood Alert Partners ${label} ${id}`,
		website: `https://${id}.partners.example.org`,
		description: `A cooperation agency (${label}) that helps cities run flood early warning.`
	};
}

/** Creates a partner organisation from /organisations/new (no city) and returns its profile path. */
export async function createPartnerOrganisation(
	browser: TestBrowser,
	org: TestPartnerOrganisation
): Promise<string> {
	const { page } = browser;
	await browser.visit('/organisations/new');
	await fillForm(page, { organisations_field_name: org.name });
	await field(page, 'organisations_field_kind').selectOption('international_organisation');
	await field(page, 'organisations_field_country').selectOption('FR');
	await fillForm(page, {
		organisations_field_website: org.website,
		organisations_field_description: org.description
	});
	await clickAndWaitForUrl(page, button(page, 'organisations_create_submit'), (url) =>
		/^\/organisations\/(?!new$)[^/]+$/.test(url.pathname)
	);
	return currentPath(page);
}

export type NeedDraft = {
	title: string;
	challenge: string;
	themes: string[];
	sdgTargets: string[];
	cooperationTypes: string[];
	languages: string[];
	timeframe: 'within_3_months' | 'within_12_months' | 'over_12_months';
};

export type OfferDraft = {
	title: string;
	description: string;
	format: string;
	themes: string[];
	sdgTargets: string[];
	cooperationTypes: string[];
	languages: string[];
	/** M49 region or sub-region codes served. */
	regions: string[];
};

/** A city's need about flood early warning, with a unique title. */
export function floodNeed(label: string): NeedDraft {
	return {
		title: `Flood early warning by text message ${label} ${randomId().slice(0, 6)}`,
		challenge:
			'Every rainy season the **informal settlements** along the river flood at night and people learn of it too late.',
		themes: ['S'],
		sdgTargets: ['11.5'],
		cooperationTypes: ['knowledge_sharing', 'capacity_building'],
		languages: ['en', 'fr'],
		timeframe: 'within_12_months'
	};
}

/** A partner's offer that fits `floodNeed`: same target, theme and language, serving East Africa. */
export function floodOffer(label: string): OfferDraft {
	return {
		title: `Peer exchange on flood alert systems ${label} ${randomId().slice(0, 6)}`,
		description:
			'Cities that run **flood early warning** by text message host peers for a week, then coach them for six months.',
		format: 'peer_exchange',
		themes: ['S'],
		sdgTargets: ['11.5'],
		cooperationTypes: ['knowledge_sharing'],
		languages: ['fr'],
		regions: ['202']
	};
}

/** Ticks the choices (checkboxes or a radio) of a form group by their values. */
async function choose(scope: Page | Locator, name: string, values: string[]) {
	for (const value of values) {
		await scope.locator(`input[name="${name}"][value="${value}"]`).check();
	}
}

const listingPath = (kind: 'needs' | 'offers') => (url: URL) =>
	new RegExp(`^/${kind}/(?!new$)[^/]+$`).test(url.pathname);

/** Posts a need from /needs/new for the user's (only) city organisation; returns its path. */
export async function postNeed(browser: TestBrowser, need: NeedDraft): Promise<string> {
	const { page } = browser;
	await browser.visit('/needs/new');
	await fillForm(page, {
		needspages_field_title: need.title,
		needspages_field_challenge: need.challenge
	});
	await choose(page, 'themes', need.themes);
	await choose(page, 'sdgTargets', need.sdgTargets);
	await choose(page, 'cooperationTypes', need.cooperationTypes);
	await choose(page, 'languages', need.languages);
	await choose(page, 'timeframe', [need.timeframe]);
	await clickAndWaitForUrl(page, button(page, 'needspages_post_need'), listingPath('needs'));
	return currentPath(page);
}

/** Posts an offer from /offers/new for the user's (only) organisation; returns its path. */
export async function postOffer(browser: TestBrowser, offer: OfferDraft): Promise<string> {
	const { page } = browser;
	await browser.visit('/offers/new');
	await fillForm(page, {
		needspages_field_title: offer.title,
		needspages_field_description: offer.description
	});
	await field(page, 'needspages_field_format').selectOption(offer.format);
	await choose(page, 'themes', offer.themes);
	await choose(page, 'sdgTargets', offer.sdgTargets);
	await choose(page, 'cooperationTypes', offer.cooperationTypes);
	await choose(page, 'languages', offer.languages);
	await choose(page, 'regions', offer.regions);
	await clickAndWaitForUrl(page, button(page, 'needspages_post_offer'), listingPath('offers'));
	return currentPath(page);
}

/** The match (a list item) on a need's or offer's page that links to this title. */
export function matchFor(page: Page, title: string): Locator {
	return page
		.getByRole('main')
		.getByRole('listitem')
		.filter({ has: page.getByRole('link', { name: title, exact: true }) })
		.last();
}

/**
 * From the page of a need, asks for an introduction to the organisation behind the matched
 * offer `offerTitle`, and lands on /introductions.
 */
export async function requestIntroduction(
	browser: TestBrowser,
	offerTitle: string,
	message: string
): Promise<void> {
	const { page } = browser;
	await clickAndWaitForUrl(
		page,
		matchFor(page, offerTitle).getByRole('link', { name: textPattern('matching_list_request') }),
		(url) => url.pathname === '/introductions/new'
	);
	await fillForm(page, { partnershippages_field_message: message });
	await clickAndWaitForUrl(
		page,
		button(page, 'partnershippages_request_send'),
		(url) => url.pathname === '/introductions'
	);
}

/** The card of a received introduction on /introductions, by the asking organisation's name. */
export function receivedIntroduction(page: Page, fromOrganisation: string): Locator {
	return page.getByRole('listitem').filter({
		has: page.getByRole('heading', {
			level: 3,
			name: new RegExp(`^${text('partnershippages_from', { name: fromOrganisation })}`)
		})
	});
}

/** Accepts an introduction on /introductions with a note; lands on the new partnership's page. */
export async function acceptIntroduction(
	browser: TestBrowser,
	fromOrganisation: string,
	note: string
): Promise<string> {
	const { page } = browser;
	await browser.visit('/introductions');
	const card = receivedIntroduction(page, fromOrganisation);
	await fillForm(card, { partnershippages_field_note: note });
	await clickAndWaitForUrl(page, button(card, 'partnershippages_accept'), (url) =>
		/^\/partnerships\/[^/]+$/.test(url.pathname)
	);
	return currentPath(page);
}

/** One of the partnership page's management forms, by its heading. */
function partnershipForm(page: Page, headingKey: string, params: Record<string, string> = {}) {
	return page.locator('form').filter({
		has: page.getByRole('heading', { level: 3, name: text(headingKey, params), exact: true })
	});
}

/** Moves the partnership (its page open) to the next status; waits until that step is taken. */
export async function changePartnershipStatus(
	browser: TestBrowser,
	status: 'agreed' | 'active' | 'completed'
): Promise<void> {
	const { page } = browser;
	const form = partnershipForm(page, 'partnershippages_status_form');
	const choice = form.getByRole('radio', {
		name: text(`partnerships_status_${status}`),
		exact: true
	});
	await choice.check();
	// Once taken, a step is no longer offered as the next one.
	await submitAndWait(page, button(form, 'partnershippages_status_save'), () =>
		choice.waitFor({ state: 'detached' })
	);
}

/** Posts a dated update on the open partnership page; waits until it is listed. */
export async function postPartnershipUpdate(browser: TestBrowser, body: string): Promise<void> {
	const { page } = browser;
	const form = partnershipForm(page, 'partnershippages_update_form');
	await fillForm(form, { partnershippages_field_body: body });
	await submitAndWait(page, button(form, 'partnershippages_update_save'), () =>
		page
			.getByRole('region', { name: text('partnershippages_updates_heading'), exact: true })
			.getByText(body.replace(/\*\*/g, '').slice(0, 30))
			.first()
			.waitFor()
	);
}

export type ResultRow = {
	indicator: string;
	baseline: string;
	result: string;
	unit: string;
	year: string;
};

/** Writes the first result row on the open partnership page, saves it and waits for the table. */
export async function savePartnershipResult(browser: TestBrowser, row: ResultRow): Promise<void> {
	const { page } = browser;
	const form = partnershipForm(page, 'partnershippages_results_form');
	for (const [name, value] of Object.entries(row)) {
		await form.locator(`input[name="results.0.${name}"]`).fill(value);
	}
	await submitAndWait(page, button(form, 'partnershippages_rows_save'), () =>
		page
			.getByRole('region', { name: text('partnershippages_results_heading'), exact: true })
			.getByText(row.indicator)
			.first()
			.waitFor()
	);
}

/** Consents, for one party organisation, to the partnership being public. */
export async function consentToPublish(browser: TestBrowser, organisation: string): Promise<void> {
	const { page } = browser;
	const form = partnershipForm(page, 'partnershippages_consent_form', { name: organisation });
	await submitAndWait(page, button(form, 'partnershippages_consent_give'), () =>
		button(form, 'partnershippages_consent_withdraw').waitFor()
	);
}
