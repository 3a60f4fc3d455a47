import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { login, newUser, register } from './support/accounts';
import { expectNoAxeViolations } from './support/axe';
import { openBrowser, type TestBrowser } from './support/browser';
import {
	button,
	clickAndWaitForUrl,
	field,
	fillForm,
	heading,
	link,
	submitAndWait
} from './support/forms';
import {
	createPartnerOrganisation,
	floodNeed,
	floodOffer,
	newPartnerOrganisation,
	postNeed,
	postOffer
} from './support/matchmaking';
import { text } from './support/messages';
import { createCityOrganisation, currentPath, newCityOrganisation } from './support/organisations';

/**
 * Needs and offers in Chromium, with JavaScript off and on: a city member posts a need (after a
 * first try with mistakes that keeps what was typed), finds it in the list through the filters,
 * and closes it after confirming; a partner posts an offer. axe runs (with JavaScript, as it runs
 * in the page) on the list, detail and form pages, also with the errors shown.
 */

for (const javaScript of [false, true]) {
	describe(`needs and offers with JavaScript ${javaScript ? 'on' : 'off'}`, () => {
		let browser: TestBrowser;
		const label = javaScript ? 'js' : 'nojs';
		const need = floodNeed(`pages ${label}`);

		beforeAll(async () => {
			browser = await openBrowser({ javaScript });
			const user = newUser(`needs-${label}`);
			await register(browser, user);
			await login(browser, user);
			await createCityOrganisation(browser, newCityOrganisation(`needs ${label}`));
		});
		afterAll(async () => {
			await browser?.close();
		});

		test('the header leads to the needs list, which invites a city to post one', async () => {
			const { page } = browser;
			await browser.visit('/');
			const header = page.getByRole('navigation', { name: text('nav_main') });
			await clickAndWaitForUrl(
				page,
				link(header, 'needspages_nav_needs'),
				(url) => url.pathname === '/needs'
			);
			expect(await heading(page)).toBe(text('needspages_needs_title'));
			if (javaScript) await expectNoAxeViolations(page);
			await clickAndWaitForUrl(
				page,
				link(page.getByRole('main'), 'needspages_post_need_cta'),
				(url) => url.pathname === '/needs/new'
			);
			expect(await heading(page)).toBe(text('needspages_new_need_title'));
			if (javaScript) await expectNoAxeViolations(page);
		});

		test('a form with mistakes shows them, linked from the summary, and keeps what was typed', async () => {
			const { page } = browser;
			await browser.visit('/needs/new');
			await fillForm(page, {
				needspages_field_title: 'abc',
				needspages_field_challenge: 'A challenge typed before the mistakes were found.'
			});
			await page.locator('input[name="themes"][value="E"]').check();
			await submitAndWait(page, button(page, 'needspages_post_need'), () =>
				page.getByRole('alert').first().waitFor()
			);
			const summary = page.getByRole('alert').first();
			expect(await summary.textContent()).toContain(text('form_fix_errors'));
			expect(await field(page, 'needspages_field_title').inputValue()).toBe('abc');
			expect(await field(page, 'needspages_field_challenge').inputValue()).toBe(
				'A challenge typed before the mistakes were found.'
			);
			expect(await page.locator('input[name="themes"][value="E"]').isChecked()).toBe(true);
			expect(await field(page, 'needspages_field_title').getAttribute('aria-invalid')).toBe('true');
			if (javaScript) {
				// The enhanced form moves focus to the summary, so a screen reader hears it first.
				expect(await summary.evaluate((element) => element === document.activeElement)).toBe(true);
				await expectNoAxeViolations(page);
			}
			// The summary's link leads to the field.
			await summary
				.getByRole('link', { name: new RegExp(`^${text('needspages_field_title')}`) })
				.click();
			expect(new URL(page.url()).hash).toBe('#title');
		});

		test('a city member posts a need, reads it, and finds it through the filters', async () => {
			const { page } = browser;
			const path = await postNeed(browser, need);
			expect(await heading(page)).toBe(need.title);
			expect(await page.getByRole('status').first().textContent()).toContain(
				text('needspages_done_created')
			);
			expect(await page.locator('.markdown strong').first().textContent()).toBe(
				'informal settlements'
			);
			expect(
				await page
					.getByRole('heading', { name: text('needspages_matches_heading'), exact: true })
					.count()
			).toBe(1);
			if (javaScript) await expectNoAxeViolations(page);

			await browser.visit('/needs');
			const filters = page.getByRole('search', { name: text('needspages_filters_label') });
			await field(filters, 'needspages_filter_sdg').selectOption('11.5');
			await field(filters, 'needspages_filter_language').selectOption('fr');
			await clickAndWaitForUrl(
				page,
				button(page, 'needspages_filter_apply'),
				(url) => url.searchParams.get('sdg') === '11.5'
			);
			expect(new URL(page.url()).searchParams.get('language')).toBe('fr');
			await clickAndWaitForUrl(
				page,
				page.getByRole('link', { name: need.title, exact: true }),
				(url) => url.pathname === path
			);
			expect(await heading(page)).toBe(need.title);
		});

		test('closing a need asks for confirmation first', async () => {
			const { page } = browser;
			await clickAndWaitForUrl(page, link(page, 'needspages_edit_link'), (url) =>
				url.pathname.endsWith('/edit')
			);
			expect(await field(page, 'needspages_field_title').inputValue()).toBe(need.title);
			if (javaScript) await expectNoAxeViolations(page);
			await field(page, 'needspages_status_new').selectOption('closed');
			await submitAndWait(page, button(page, 'needspages_status_change'), () =>
				button(page, 'needspages_confirm_close').waitFor()
			);
			expect(await page.getByText(text('needspages_confirm_close_need')).isVisible()).toBe(true);
			if (javaScript) await expectNoAxeViolations(page);
			await clickAndWaitForUrl(page, button(page, 'needspages_confirm_close'), (url) =>
				/^\/needs\/[^/]+$/.test(url.pathname)
			);
			expect(await page.getByText(text('needspages_done_status')).isVisible()).toBe(true);
			expect(await page.locator('.badges').textContent()).toContain(
				text('needsoffers_need_status_closed')
			);
		});

		test('a partner posts an offer and sees it in the offers list', async () => {
			const { page } = browser;
			const partnerUser = newUser(`offers-${label}`);
			const partnerBrowser = await openBrowser({ javaScript });
			try {
				await register(partnerBrowser, partnerUser);
				await login(partnerBrowser, partnerUser);
				await createPartnerOrganisation(partnerBrowser, newPartnerOrganisation(`offers ${label}`));
				await partnerBrowser.visit('/offers/new');
				if (javaScript) await expectNoAxeViolations(partnerBrowser.page);
				const offer = floodOffer(`pages ${label}`);
				const path = await postOffer(partnerBrowser, offer);
				expect(await heading(partnerBrowser.page)).toBe(offer.title);
				if (javaScript) await expectNoAxeViolations(partnerBrowser.page);

				await browser.visit('/offers?offerFormat=peer_exchange');
				expect(await heading(page)).toBe(text('needspages_offers_title'));
				expect(
					await page.getByRole('link', { name: offer.title, exact: true }).getAttribute('href')
				).toBe(path);
				if (javaScript) await expectNoAxeViolations(page);
				expect(currentPath(page)).toBe('/offers');
			} finally {
				await partnerBrowser.close();
			}
		});
	});
}
