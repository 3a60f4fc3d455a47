import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { randomId } from '../../src/lib/server/ids';
import { admin, login, logout, newUser, register } from './support/accounts';
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
import { text } from './support/messages';
import { createCityOrganisation, currentPath, newCityOrganisation } from './support/organisations';

/**
 * The editor's Preview button in the form's actions. The form also starts with a hidden Preview
 * button (so Enter in a text box previews rather than saves); the visible one is the last.
 */
const previewButton = (page: Page) => button(page, 'caseeditor_preview').last();

/**
 * Issue 3's browser journey: a city official registers, creates an (unverified) city
 * organisation, writes a case study in the editor (a mistake first, then the required fields and
 * a result row), saves it and submits it; the moderator publishes it from /moderation; signed out,
 * anyone finds it on /cases and opens it. Once without JavaScript and once with it; axe checks the
 * editor, the case page, the history, the moderation queue and the list when JavaScript is on
 * (axe needs JavaScript).
 */
function caseJourney({ javaScript }: { javaScript: boolean }) {
	const mode = javaScript ? 'with JavaScript' : 'without JavaScript';
	const checkAxe = async (browser: TestBrowser) => {
		if (javaScript) await expectNoAxeViolations(browser.page);
	};

	describe(`case study journey ${mode}`, () => {
		let browser: TestBrowser;
		const owner = newUser(javaScript ? 'case-js' : 'case-nojs');
		const org = newCityOrganisation(javaScript ? 'case-js' : 'case-nojs');
		const title = `Solar lights for night markets ${javaScript ? 'JS' : 'no JS'} ${randomId().slice(0, 6)}`;
		const summary =
			'Three night markets swapped diesel lamps for solar street lights run by trader committees.';
		let profile = '';
		let casePath = '';

		beforeAll(async () => {
			browser = await openBrowser({ javaScript });
		});
		afterAll(async () => {
			await browser?.close();
		});

		test('a city official registers, logs in and creates an organisation', async () => {
			await register(browser, owner);
			await login(browser, owner);
			profile = await createCityOrganisation(browser, org);
			expect(await heading(browser.page)).toBe(org.name);
		});

		test('the editor names each mistake and keeps what was typed', async () => {
			const { page } = browser;
			await clickAndWaitForUrl(
				page,
				link(page.getByRole('main'), 'caselist_org_write'),
				(url) => url.pathname === '/cases/new'
			);
			expect(await heading(page)).toBe(text('caseeditor_new_title'));
			await checkAxe(browser);

			// A title and a summary, but no theme and no SDG 11 target yet.
			await fillForm(page, { caseeditor_field_title: title, caseeditor_field_summary: summary });
			const save = button(page, 'caseeditor_save_new');
			await submitAndWait(page, save, () => page.getByRole('alert').first().waitFor());
			const alert = (await page.getByRole('alert').allTextContents()).join(' ');
			expect(alert).toContain(text('cases_theme_required'));
			expect(alert).toContain(text('cases_sdg_target_required'));
			expect(await field(page, 'caseeditor_field_title').inputValue()).toBe(title);
			expect(await field(page, 'caseeditor_field_summary').inputValue()).toBe(summary);
			await checkAxe(browser);
		});

		test('the official fills the required fields and a result, previews and saves a draft', async () => {
			const { page } = browser;
			await field(page, 'caseeditor_field_startYear').fill('2021');
			await field(page, 'caseeditor_field_status').selectOption({
				label: text('cases_status_implemented')
			});
			await field(page, 'caseeditor_field_context').fill(
				'Night markets were **dark** and unsafe after sunset.'
			);
			await page
				.getByRole('group', { name: text('caseeditor_field_themes') })
				.getByRole('checkbox', { name: new RegExp(`^${text('theme_E')}`) })
				.check();
			await page
				.getByRole('group', { name: text('caseeditor_field_sdgTargets') })
				.getByRole('checkbox', { name: /^11\.6\b/ })
				.check();
			const result = page.getByRole('group', {
				name: text('caseeditor_result_legend', { number: '1' }),
				exact: true
			});
			await fillForm(result, {
				caseeditor_result_indicator: 'Market lanes lit at night',
				caseeditor_result_baseline: '0',
				caseeditor_result_result: '42',
				caseeditor_result_unit: 'lanes',
				caseeditor_result_year: '2023'
			});

			await submitAndWait(page, previewButton(page), () =>
				page
					.getByRole('heading', { level: 2, name: text('caseeditor_preview_title'), exact: true })
					.waitFor()
			);
			expect(
				await page
					.getByRole('region', { name: text('caseeditor_preview_title'), exact: true })
					.locator('strong')
					.first()
					.textContent()
			).toBe('dark');
			expect(await field(page, 'caseeditor_field_title').inputValue()).toBe(title);
			await checkAxe(browser);

			await clickAndWaitForUrl(page, button(page, 'caseeditor_save_new'), (url) =>
				/^\/cases\/(?!new$)[^/]+$/.test(url.pathname)
			);
			casePath = currentPath(page);
			expect(await heading(page)).toBe(title);
			const main = page.getByRole('main');
			expect(await main.textContent()).toContain(
				text('casepage_state_draft', { organisation: org.name })
			);
			expect(await main.getByRole('table').first().textContent()).toContain(
				'Market lanes lit at night'
			);
			await checkAxe(browser);
		});

		test('the history shows the first revision', async () => {
			const { page } = browser;
			await clickAndWaitForUrl(
				page,
				link(page.getByRole('main'), 'casepage_history_link'),
				(url) => url.pathname === `${casePath}/history`
			);
			expect(await heading(page)).toBe(text('caseeditor_history_title', { title }));
			expect(await page.getByRole('table').textContent()).toContain(owner.name);
			await checkAxe(browser);
		});

		test('the official submits the draft for review', async () => {
			const { page } = browser;
			await browser.visit(casePath);
			await submitAndWait(page, button(page, 'casepage_submit'), () =>
				expect
					.poll(() => page.getByRole('main').textContent())
					.toContain(text('casepage_state_submitted', { organisation: org.name }))
			);
			expect(await button(page, 'casepage_submit').count()).toBe(0);
			await checkAxe(browser);
			await logout(browser);
		});

		test('signed out, the submitted case cannot be found or opened', async () => {
			const { page } = browser;
			await browser.visit('/cases');
			expect(await page.getByRole('link', { name: title }).count()).toBe(0);
			const response = await page.goto(casePath);
			expect(response?.status()).toBe(404);
		});

		test('the moderator publishes it from the moderation queue', async () => {
			const { page } = browser;
			await login(browser, admin, '/login?redirectTo=/moderation');
			expect(currentPath(page)).toBe('/moderation');
			const card = page
				.getByRole('listitem')
				.filter({ has: page.getByRole('heading', { level: 3, name: title }) });
			expect(await card.textContent()).toContain(org.name);
			await checkAxe(browser);
			await submitAndWait(page, card.getByRole('button', { name: text('casemod_publish') }), () =>
				expect.poll(() => page.getByRole('heading', { level: 3, name: title }).count()).toBe(0)
			);
			await checkAxe(browser);
			await logout(browser);
		});

		test('signed out, anyone finds the case on /cases and opens it', async () => {
			const { page } = browser;
			await browser.visit('/cases');
			expect(await heading(page)).toBe(text('caselist_title'));
			await checkAxe(browser);
			await clickAndWaitForUrl(
				page,
				page.getByRole('link', { name: title }).first(),
				(url) => url.pathname === casePath
			);
			expect(await heading(page)).toBe(title);
			const main = page.getByRole('main');
			expect(await main.textContent()).toContain(org.name);
			expect(await main.locator('strong', { hasText: 'dark' }).count()).toBeGreaterThan(0);
			expect(await link(main, 'casepage_edit_link').count()).toBe(0);
			await checkAxe(browser);
			await browser.visit(profile);
			expect(await page.getByRole('link', { name: title }).count()).toBe(1);
			expect(browser.pageErrors).toEqual([]);
		});
	});
}

caseJourney({ javaScript: false });
caseJourney({ javaScript: true });
