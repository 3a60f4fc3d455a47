import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { randomLetters } from '../support/random-letters';
import { newUser } from './support/accounts';
import { expectNoAxeViolations } from './support/axe';
import { openBrowser, type TestBrowser } from './support/browser';
import { button, clickAndWaitForUrl, field, heading } from './support/forms';
import { text } from './support/messages';
import { seedCaseStudy } from './support/seed-case';

/**
 * The search page in Chromium. Without JavaScript it is a plain GET form: type, press Search,
 * tick a facet, press Apply. With JavaScript the results follow the box as one types and a ticked
 * box applies at once, while the focus stays where it was. The browser suite's server has other
 * journeys' records, so every query names a word only this file writes.
 */

/** The hits' titles, in order. */
const hitTitles = (page: Page) =>
	page
		.getByRole('list', { name: text('search_hits_label') })
		.getByRole('heading')
		.allTextContents();

/** The count line: "3 results in 2 ms". */
const countLine = async (page: Page) =>
	((await page.locator('#results').textContent()) ?? '').replace(/\s+/g, ' ').trim();

const themeE = (page: Page) =>
	page.getByRole('checkbox', { name: new RegExp(`^E · ${text('theme_E')}`) });

for (const javaScript of [false, true]) {
	describe(`search with JavaScript ${javaScript ? 'on' : 'off'}`, () => {
		let browser: TestBrowser;
		const word = `farola${randomLetters(7)}`;
		const caseTitle = `Solar ${word} for night markets`;

		beforeAll(async () => {
			// One case (themes E and S) and its two organisations carry the word: three hits, and
			// the theme narrows them to the case.
			seedCaseStudy({
				title: caseTitle,
				owner: newUser(javaScript ? 'search-js' : 'search-nojs'),
				ownerOrganisation: `${word} City Council`,
				validator: newUser(javaScript ? 'search-js-partner' : 'search-nojs-partner'),
				validatorOrganisation: `Partners of ${word}`
			});
			browser = await openBrowser({ javaScript });
		});

		afterAll(async () => {
			await browser?.close();
		});

		test('the header leads to search; words find the case and its organisations; a facet narrows them', async () => {
			const { page } = browser;
			await browser.visit('/');
			await clickAndWaitForUrl(
				page,
				page
					.getByRole('navigation', { name: text('nav_main') })
					.getByRole('link', { name: text('search_nav'), exact: true }),
				(url) => url.pathname === '/search'
			);
			expect(await heading(page)).toBe(text('search_title'));
			const box = field(page, 'search_query_label');

			if (javaScript) {
				// Results follow the typing, without Enter, and the focus stays in the box.
				await box.click();
				await box.pressSequentially(word, { delay: 40 });
				await page.waitForURL((url) => url.searchParams.get('q') === word);
				await expect.poll(() => countLine(page)).toMatch(/^3 /);
				expect(await page.evaluate(() => document.activeElement?.id)).toBe('search-q');
				expect(await box.inputValue()).toBe(word);
			} else {
				await box.fill(word);
				await clickAndWaitForUrl(
					page,
					button(page, 'search_submit'),
					(url) => url.searchParams.get('q') === word
				);
			}
			expect(await countLine(page)).toMatch(/^3 /);
			expect((await hitTitles(page)).sort()).toEqual(
				[caseTitle, `${word} City Council`, `Partners of ${word}`].sort()
			);
			if (javaScript) await expectNoAxeViolations(page);

			if (javaScript) {
				// Letters typed while an answer is on its way are kept, and the last query wins.
				await box.fill('');
				await box.pressSequentially('xqzjvw', { delay: 300 });
				await page.waitForURL((url) => url.searchParams.get('q') === 'xqzjvw');
				await expect.poll(() => countLine(page)).toMatch(/^0 /);
				expect(await box.inputValue()).toBe('xqzjvw');
				await box.fill(word);
				await page.waitForURL((url) => url.searchParams.get('q') === word);
				await expect.poll(() => hitTitles(page)).toHaveLength(3);

				// A ticked box applies at once, and keeps its focus.
				await themeE(page).check();
				await page.waitForURL((url) => url.searchParams.get('theme') === 'E');
				expect(await page.evaluate(() => document.activeElement?.getAttribute('value'))).toBe('E');
			} else {
				await themeE(page).check();
				await clickAndWaitForUrl(
					page,
					button(page, 'search_filters_apply'),
					(url) => url.searchParams.get('theme') === 'E'
				);
			}
			await expect.poll(() => hitTitles(page)).toEqual([caseTitle]);
			expect(await themeE(page).isChecked()).toBe(true);
			expect(new URL(page.url()).searchParams.get('q')).toBe(word);

			// The active filter's remove link widens the search again.
			const filterLabel = text('search_active_filter', {
				filter: text('search_facet_theme'),
				value: `E · ${text('theme_E')}`
			});
			await clickAndWaitForUrl(
				page,
				page
					.getByRole('link', { name: text('search_remove_filter', { filter: filterLabel }) })
					.first(),
				(url) => !url.searchParams.has('theme')
			);
			await expect.poll(() => hitTitles(page)).toHaveLength(3);
			expect(browser.pageErrors).toEqual([]);
		});

		test('a search that finds nothing says so and offers a way out', async () => {
			const { page } = browser;
			const nothing = `${word}zzqx`;
			await browser.visit(`/search?q=${word}&theme=G`);
			expect(await page.getByText(text('search_empty_remove')).isVisible()).toBe(true);
			if (javaScript) await expectNoAxeViolations(page);

			await browser.visit(`/search?q=${nothing}`);
			expect(await page.getByText(text('search_empty_query', { query: nothing })).isVisible()).toBe(
				true
			);
			expect(await page.getByRole('link', { name: text('search_browse_cases') }).isVisible()).toBe(
				true
			);
			if (javaScript) await expectNoAxeViolations(page);
			expect(browser.pageErrors).toEqual([]);
		});

		test('on a phone a link skips the filters to the results; on a wide screen it is hidden', async () => {
			const { page } = browser;
			await page.setViewportSize({ width: 360, height: 800 });
			try {
				await browser.visit(`/search?q=${word}`);
				const skip = page.getByRole('link', { name: text('search_jump_to_results') });
				expect(await skip.isVisible()).toBe(true);
				await skip.click();
				await expect
					.poll(() => page.evaluate(() => document.activeElement?.id ?? null))
					.toBe('results');
				const top = await page.locator('#results').evaluate((el) => el.getBoundingClientRect().top);
				// Scrolled to the top of the screen, give or take a subpixel.
				expect(top).toBeGreaterThan(-1);
				expect(top).toBeLessThan(800);
				const sideways = await page.evaluate(
					() => document.documentElement.scrollWidth > document.documentElement.clientWidth
				);
				expect(sideways).toBe(false);
			} finally {
				await page.setViewportSize({ width: 1280, height: 900 });
			}
			await browser.visit(`/search?q=${word}`);
			expect(
				await page.getByRole('link', { name: text('search_jump_to_results') }).isVisible()
			).toBe(false);
		});
	});
}
