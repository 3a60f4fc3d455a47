import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { randomId } from '../../src/lib/server/ids';
import { login, newUser, register } from './support/accounts';
import { expectNoAxeViolations } from './support/axe';
import { openBrowser, type TestBrowser } from './support/browser';
import {
	button,
	clickAndWaitForUrl,
	field,
	fillForm,
	heading,
	submitAndWait
} from './support/forms';
import { text } from './support/messages';
import { createCityOrganisation, currentPath, newCityOrganisation } from './support/organisations';

/** The visible Preview button of the editor's actions (the Enter-key one is hidden). */
const previewButton = (page: Page) => button(page, 'caseeditor_preview').last();

const row = (page: Page, legendKey: string, number: number) =>
	page.getByRole('group', { name: text(legendKey, { number: String(number) }), exact: true });

/**
 * Writing a case study in the editor, with and without JavaScript: mistakes named and nothing
 * lost, rows added, the Markdown previewed, saved, edited into a second revision, and the
 * history and comparison pages. axe checks every page (and the editor with errors) when
 * JavaScript is on.
 */
function editorJourney({ javaScript }: { javaScript: boolean }) {
	const mode = javaScript ? 'with JavaScript' : 'without JavaScript';
	const checkAxe = async (browser: TestBrowser) => {
		if (javaScript) await expectNoAxeViolations(browser.page);
	};

	describe(`case editor ${mode}`, () => {
		let browser: TestBrowser;
		const owner = newUser(javaScript ? 'editor-js' : 'editor-nojs');
		const org = newCityOrganisation(javaScript ? 'editor-js' : 'editor-nojs');
		const title = `Flood sensors on market drains ${javaScript ? 'JS' : 'no JS'} ${randomId().slice(0, 6)}`;
		const summary = 'Traders and the city installed water-level sensors that warn by SMS.';
		let casePath = '';

		beforeAll(async () => {
			browser = await openBrowser({ javaScript });
			await register(browser, owner);
			await login(browser, owner);
			await createCityOrganisation(browser, org);
		});
		afterAll(async () => {
			await browser?.close();
		});

		test('a mistake is named next to its field and in the summary, and nothing is lost', async () => {
			const { page } = browser;
			await browser.visit('/cases/new');
			expect(await heading(page)).toBe(text('caseeditor_new_title'));
			await checkAxe(browser);

			await fillForm(page, {
				caseeditor_field_title: title,
				caseeditor_field_summary: 'Too short',
				caseeditor_field_context: 'Drains **overflowed** every rainy season.'
			});
			await page
				.getByRole('group', { name: text('caseeditor_field_themes') })
				.getByRole('checkbox', { name: new RegExp(`^${text('theme_S')}`) })
				.check();
			await submitAndWait(page, button(page, 'caseeditor_save_new'), () =>
				page.getByRole('alert').first().waitFor()
			);
			const alert = (await page.getByRole('alert').first().textContent()) ?? '';
			expect(alert).toContain(text('cases_summary_required'));
			expect(alert).toContain(text('cases_sdg_target_required'));
			const summaryField = field(page, 'caseeditor_field_summary');
			expect(await summaryField.getAttribute('aria-invalid')).toBe('true');
			expect(await field(page, 'caseeditor_field_title').inputValue()).toBe(title);
			expect(await field(page, 'caseeditor_field_context').inputValue()).toBe(
				'Drains **overflowed** every rainy season.'
			);
			expect(
				await page
					.getByRole('group', { name: text('caseeditor_field_themes') })
					.getByRole('checkbox', { name: new RegExp(`^${text('theme_S')}`) })
					.isChecked()
			).toBe(true);
			// The summary's link jumps to the field.
			expect(
				await page
					.getByRole('alert')
					.getByRole('link', { name: new RegExp(text('caseeditor_field_summary')) })
					.getAttribute('href')
			).toBe('#summary');
			await checkAxe(browser);
		});

		test('rows are added, the Markdown is previewed and the draft is saved', async () => {
			const { page } = browser;
			await fillForm(page, { caseeditor_field_summary: summary });
			await field(page, 'caseeditor_field_startYear').fill('2022');
			await field(page, 'caseeditor_field_status').selectOption({
				label: text('cases_status_pilot')
			});
			await page
				.getByRole('group', { name: text('caseeditor_field_sdgTargets') })
				.getByRole('checkbox', { name: /^11\.5\b/ })
				.check();
			await fillForm(row(page, 'caseeditor_stakeholder_legend', 1), {
				caseeditor_stakeholder_name: 'Market traders association',
				caseeditor_stakeholder_role: 'Hosts the sensors'
			});
			await fillForm(row(page, 'caseeditor_stakeholder_legend', 2), {
				caseeditor_stakeholder_name: 'City drainage department'
			});
			expect(await row(page, 'caseeditor_stakeholder_legend', 3).count()).toBe(0);

			await submitAndWait(page, button(page, 'caseeditor_add_stakeholders'), () =>
				row(page, 'caseeditor_stakeholder_legend', 5).waitFor()
			);
			await fillForm(row(page, 'caseeditor_stakeholder_legend', 3), {
				caseeditor_stakeholder_name: 'Mobile operator'
			});
			expect(
				await field(
					row(page, 'caseeditor_stakeholder_legend', 2),
					'caseeditor_stakeholder_name'
				).inputValue()
			).toBe('City drainage department');
			await fillForm(row(page, 'caseeditor_result_legend', 1), {
				caseeditor_result_indicator: 'Warnings sent before floods',
				caseeditor_result_baseline: '0',
				caseeditor_result_result: '17',
				caseeditor_result_unit: 'warnings'
			});
			await fillForm(row(page, 'caseeditor_source_legend', 1), {
				caseeditor_source_title: 'City press release',
				caseeditor_source_url: 'https://example.org/flood-sensors'
			});

			await submitAndWait(page, previewButton(page), () =>
				page
					.getByRole('heading', { level: 2, name: text('caseeditor_preview_title'), exact: true })
					.waitFor()
			);
			expect(await page.locator('.preview strong').first().textContent()).toBe('overflowed');
			expect(await field(page, 'caseeditor_field_title').inputValue()).toBe(title);
			expect(
				await field(
					row(page, 'caseeditor_stakeholder_legend', 3),
					'caseeditor_stakeholder_name'
				).inputValue()
			).toBe('Mobile operator');
			await checkAxe(browser);

			await clickAndWaitForUrl(page, button(page, 'caseeditor_save_new'), (url) =>
				/^\/cases\/(?!new$)[^/]+$/.test(url.pathname)
			);
			casePath = currentPath(page);
		});

		test('the saved case opens in the editor and a change makes a second revision', async () => {
			const { page } = browser;
			await browser.visit(`${casePath}/edit`);
			expect(await heading(page)).toBe(text('caseeditor_edit_title', { title }));
			expect(
				await field(
					row(page, 'caseeditor_stakeholder_legend', 3),
					'caseeditor_stakeholder_name'
				).inputValue()
			).toBe('Mobile operator');
			await checkAxe(browser);
			await field(page, 'caseeditor_field_context').fill(
				'Drains **overflowed** every rainy season.\nShops lost their stock.'
			);
			await clickAndWaitForUrl(
				page,
				button(page, 'caseeditor_save'),
				(url) => url.pathname === casePath
			);
		});

		test('the history lists both revisions and the comparison shows what changed', async () => {
			const { page } = browser;
			await browser.visit(`${casePath}/history`);
			expect(await heading(page)).toBe(text('caseeditor_history_title', { title }));
			expect(await page.getByRole('table').textContent()).toContain(owner.name);
			await checkAxe(browser);
			await clickAndWaitForUrl(
				page,
				button(page, 'caseeditor_history_compare'),
				(url) => url.pathname === `${casePath}/history/compare`
			);
			expect(new URL(page.url()).searchParams.get('from')).toBe('1');
			expect(new URL(page.url()).searchParams.get('to')).toBe('2');
			expect(await heading(page)).toBe(text('caseeditor_compare_title', { from: '1', to: '2' }));
			const added = page.locator('ins');
			expect(await added.first().textContent()).toContain('Shops lost their stock.');
			expect(await added.first().textContent()).toContain(text('caseeditor_compare_added'));
			await checkAxe(browser);
		});
	});
}

editorJourney({ javaScript: false });
editorJourney({ javaScript: true });
