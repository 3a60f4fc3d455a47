import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { login, newUser, register } from './support/accounts';
import { expectNoAxeViolations } from './support/axe';
import { openBrowser, type TestBrowser } from './support/browser';
import { heading } from './support/forms';
import {
	acceptIntroduction,
	changePartnershipStatus,
	consentToPublish,
	createPartnerOrganisation,
	floodNeed,
	floodOffer,
	matchFor,
	newPartnerOrganisation,
	postNeed,
	postOffer,
	postPartnershipUpdate,
	receivedIntroduction,
	requestIntroduction,
	savePartnershipResult
} from './support/matchmaking';
import { createCityOrganisation, currentPath, newCityOrganisation } from './support/organisations';

/**
 * Issue 5's browser journey: a city official posts a need, a partner posts an offer that fits;
 * the need's page shows the match with its reasons and the city asks for an introduction; the
 * partner accepts it, both sides carry the partnership to completed with an update and a result,
 * and once both consent anyone sees it on /partnerships and both profiles. With JavaScript on
 * (with axe on the pages of the way); without JavaScript the posting of a need and the acceptance
 * of an introduction, the steps a city on a slow phone must be able to do.
 */

type Side = { browser: TestBrowser; profile: string };

async function signUpWithOrganisation(
	javaScript: boolean,
	label: string,
	create: (browser: TestBrowser) => Promise<string>
): Promise<Side> {
	const browser = await openBrowser({ javaScript });
	const user = newUser(label);
	await register(browser, user);
	await login(browser, user);
	return { browser, profile: await create(browser) };
}

describe('matchmaking journey with JavaScript', () => {
	let city: Side;
	let partner: Side;
	let visitor: TestBrowser;
	const cityOrg = newCityOrganisation('match-js');
	const partnerOrg = newPartnerOrganisation('match-js');
	const need = floodNeed('JS');
	const offer = floodOffer('JS');
	let needPath = '';
	let partnershipPath = '';

	beforeAll(async () => {
		city = await signUpWithOrganisation(true, 'match-city', (browser) =>
			createCityOrganisation(browser, cityOrg)
		);
		partner = await signUpWithOrganisation(true, 'match-partner', (browser) =>
			createPartnerOrganisation(browser, partnerOrg)
		);
		visitor = await openBrowser({ javaScript: true });
	});
	afterAll(async () => {
		await city?.browser.close();
		await partner?.browser.close();
		await visitor?.close();
	});

	test('the city posts a need and the partner an offer that fits it', async () => {
		needPath = await postNeed(city.browser, need);
		expect(await heading(city.browser.page)).toBe(need.title);
		await postOffer(partner.browser, offer);
		expect(await heading(partner.browser.page)).toBe(offer.title);
	});

	test('the need’s page shows the offer with its reasons in plain words', async () => {
		const { page } = city.browser;
		await city.browser.visit(needPath);
		const match = matchFor(page, offer.title);
		const words = (await match.textContent()) ?? '';
		expect(words).toContain('11.5');
		expect(words).toMatch(/French/);
		expect(words).toMatch(/Sub-Saharan Africa|Eastern Africa|Kenya/);
		await expectNoAxeViolations(page);
	});

	test('“matches for you” shows the partner the city’s need, and passes axe', async () => {
		const { page } = partner.browser;
		await partner.browser.visit('/matches');
		expect(await page.getByRole('link', { name: need.title, exact: true }).count()).toBe(1);
		await expectNoAxeViolations(page);
	});

	test('/needs lists it and passes axe', async () => {
		const { page } = visitor;
		await visitor.visit('/needs');
		expect(await page.getByRole('link', { name: need.title, exact: true }).count()).toBe(1);
		await expectNoAxeViolations(page);
	});

	test('the city asks for an introduction from the match', async () => {
		await requestIntroduction(
			city.browser,
			offer.title,
			'We would like to learn how your member cities run text alerts.'
		);
		const { page } = city.browser;
		expect(await page.getByRole('link', { name: offer.title }).count()).toBeGreaterThan(0);
		await expectNoAxeViolations(page);
	});

	test('the partner is notified, sees it on /introductions and accepts it', async () => {
		const { page } = partner.browser;
		await partner.browser.visit('/notifications');
		expect(await page.getByRole('main').textContent()).toContain(cityOrg.name);
		await partner.browser.visit('/introductions');
		const card = receivedIntroduction(page, cityOrg.name);
		expect(await card.textContent()).toContain(need.title);
		await expectNoAxeViolations(page);
		partnershipPath = await acceptIntroduction(
			partner.browser,
			cityOrg.name,
			'Happy to host you in March.'
		);
		expect(await page.getByRole('main').textContent()).toContain(cityOrg.name);
		await expectNoAxeViolations(page);
	});

	test('both parties carry it to completed with an update and a result', async () => {
		await city.browser.visit(partnershipPath);
		await changePartnershipStatus(city.browser, 'agreed');
		await partner.browser.visit(partnershipPath);
		await changePartnershipStatus(partner.browser, 'active');
		await city.browser.visit(partnershipPath);
		await postPartnershipUpdate(
			city.browser,
			'The first peer visit took place; **12 officers** were trained.'
		);
		await partner.browser.visit(partnershipPath);
		await savePartnershipResult(partner.browser, {
			indicator: 'Households reached by flood alerts',
			baseline: '0',
			result: '18000',
			unit: 'households',
			year: String(new Date().getUTCFullYear())
		});
		await changePartnershipStatus(partner.browser, 'completed');
		await expectNoAxeViolations(partner.browser.page);
	});

	test('until both consent, a visitor cannot open it; then anyone can', async () => {
		expect((await visitor.page.goto(partnershipPath))?.status()).toBe(404);
		await city.browser.visit(partnershipPath);
		await consentToPublish(city.browser, cityOrg.name);
		expect((await visitor.page.goto(partnershipPath))?.status()).toBe(404);
		await partner.browser.visit(partnershipPath);
		await consentToPublish(partner.browser, partnerOrg.name);

		const { page } = visitor;
		await visitor.visit('/partnerships');
		const title = await partner.browser.page.getByRole('heading', { level: 1 }).textContent();
		const link = page.getByRole('main').locator(`a[href="${partnershipPath}"]`);
		expect(await link.count()).toBeGreaterThan(0);
		await expectNoAxeViolations(page);
		await visitor.visit(partnershipPath);
		expect(await heading(page)).toBe(title?.trim());
		expect(await page.getByRole('main').textContent()).toContain(
			'Households reached by flood alerts'
		);
		await expectNoAxeViolations(page);
		for (const profile of [city.profile, partner.profile]) {
			await visitor.visit(profile);
			expect(
				await page.getByRole('main').locator(`a[href="${partnershipPath}"]`).count(),
				profile
			).toBeGreaterThan(0);
		}
	});
});

describe('matchmaking without JavaScript: a need posted and an introduction accepted', () => {
	let city: Side;
	let partner: Side;
	const cityOrg = newCityOrganisation('match-nojs');
	const partnerOrg = newPartnerOrganisation('match-nojs');
	const need = floodNeed('no JS');
	const offer = floodOffer('no JS');
	let needPath = '';

	beforeAll(async () => {
		city = await signUpWithOrganisation(false, 'match-city-nojs', (browser) =>
			createCityOrganisation(browser, cityOrg)
		);
		partner = await signUpWithOrganisation(false, 'match-partner-nojs', (browser) =>
			createPartnerOrganisation(browser, partnerOrg)
		);
	});
	afterAll(async () => {
		await city?.browser.close();
		await partner?.browser.close();
	});

	test('the city posts a need with plain forms', async () => {
		needPath = await postNeed(city.browser, need);
		expect(await heading(city.browser.page)).toBe(need.title);
		await postOffer(partner.browser, offer);
	});

	test('the city asks for an introduction from the need’s page', async () => {
		await city.browser.visit(needPath);
		await requestIntroduction(
			city.browser,
			offer.title,
			'Could we visit one of your member cities next spring?'
		);
		expect(currentPath(city.browser.page)).toBe('/introductions');
	});

	test('the partner accepts it and lands on the new partnership', async () => {
		const partnershipPath = await acceptIntroduction(
			partner.browser,
			cityOrg.name,
			'Yes, April suits us.'
		);
		const { page } = partner.browser;
		expect(currentPath(page)).toBe(partnershipPath);
		const main = (await page.getByRole('main').textContent()) ?? '';
		expect(main).toContain(cityOrg.name);
		expect(main).toContain(partnerOrg.name);
		expect(await page.getByRole('link', { name: need.title }).count()).toBeGreaterThan(0);
	});
});
