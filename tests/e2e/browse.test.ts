import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { sdgTargetIds } from '../../src/lib/vocab/sdg';
import { themeIds } from '../../src/lib/vocab/themes';
import { expectNoAxeViolations } from './support/axe';
import { openBrowser, type TestBrowser } from './support/browser';
import { clickAndWaitForUrl, heading, link } from './support/forms';
import { text } from './support/messages';

describe('browse by SEJONG theme and SDG 11 target', () => {
	let browser: TestBrowser;

	beforeAll(async () => {
		browser = await openBrowser();
	});
	afterAll(async () => {
		await browser?.close();
	});

	test('the header leads to the themes, a theme to its targets, each page passing axe', async () => {
		const { page } = browser;
		await browser.visit('/');
		const header = page.getByRole('navigation', { name: text('nav_main') });
		await clickAndWaitForUrl(page, link(header, 'nav_themes'), (url) => url.pathname === '/themes');
		expect(await heading(page)).toBe(text('browse_themes_title'));
		await expectNoAxeViolations(page);

		await clickAndWaitForUrl(
			page,
			page.getByRole('link', { name: text('theme_S') }),
			(url) => url.pathname === '/themes/S'
		);
		expect(await heading(page)).toBe(text('theme_S'));
		// Other journeys may have published cases on this theme: its list or its empty state shows.
		const casesOrNone = page
			.getByText(text('browse_cases_empty_theme'))
			.or(page.getByRole('list', { name: text('browse_case_list_label') }));
		expect(await casesOrNone.first().isVisible()).toBe(true);
		await expectNoAxeViolations(page);

		await clickAndWaitForUrl(
			page,
			page.getByRole('link', { name: `11.5 ${text('vocab_sdg_11_5')}` }),
			(url) => url.pathname === '/sdg/11.5'
		);
		expect(await heading(page)).toBe(text('vocab_sdg_11_5'));
		expect(browser.pageErrors).toEqual([]);
	});

	test('every theme page passes axe', async () => {
		for (const id of themeIds) {
			await browser.visit(`/themes/${id}`);
			expect(await heading(browser.page)).toBe(text(`theme_${id}`));
			await expectNoAxeViolations(browser.page);
		}
	});

	test('the SDG 11 index and every target page pass axe', async () => {
		const { page } = browser;
		await browser.visit('/sdg');
		expect(await heading(page)).toBe(text('browse_sdg_title'));
		await expectNoAxeViolations(page);
		for (const id of sdgTargetIds) {
			await browser.visit(`/sdg/${id}`);
			expect(await heading(page)).toBe(text(`vocab_sdg_${id.replace('.', '_')}`));
			await expectNoAxeViolations(page);
		}
	});

	test('the French theme and target pages pass axe', async () => {
		const { page } = browser;
		for (const path of ['/fr/themes', '/fr/themes/G', '/fr/sdg', '/fr/sdg/11.c']) {
			await browser.visit(path);
			expect(await page.locator('html').getAttribute('lang')).toBe('fr');
			await expectNoAxeViolations(page);
		}
		const casesOrNone = page
			.getByText(text('browse_cases_empty_target', {}, 'fr'))
			.or(page.getByRole('list', { name: text('browse_case_list_label', {}, 'fr') }));
		expect(await casesOrNone.first().isVisible()).toBe(true);
	});

	test('an unknown theme or target shows the 404 page, which passes axe', async () => {
		for (const path of ['/themes/Q', '/sdg/11.9']) {
			const response = await browser.page.goto(path);
			expect(response?.status(), path).toBe(404);
			expect(await heading(browser.page)).toBe(text('error_title_404'));
		}
		await expectNoAxeViolations(browser.page);
	});

	test('a target page fits a phone screen without sideways scrolling', async () => {
		const { page } = browser;
		await page.setViewportSize({ width: 360, height: 740 });
		try {
			for (const path of ['/sdg/11.b', '/themes/N', '/']) {
				await browser.visit(path);
				const overflow = await page.evaluate(
					() => document.documentElement.scrollWidth - document.documentElement.clientWidth
				);
				expect(overflow, path).toBeLessThanOrEqual(0);
			}
		} finally {
			await page.setViewportSize({ width: 1280, height: 900 });
		}
	});
});

describe('browse pages without JavaScript', () => {
	let browser: TestBrowser;

	beforeAll(async () => {
		browser = await openBrowser({ javaScript: false });
	});
	afterAll(async () => {
		await browser?.close();
	});

	test('the home page links a target, whose neighbour links walk the list', async () => {
		const { page } = browser;
		await browser.visit('/');
		await clickAndWaitForUrl(
			page,
			page.getByRole('link', { name: `11.a ${text('vocab_sdg_11_a')}` }),
			(url) => url.pathname === '/sdg/11.a'
		);
		const neighbours = page.getByRole('navigation', { name: text('browse_sdg_neighbours') });
		await clickAndWaitForUrl(
			page,
			neighbours.locator('a[rel="next"]'),
			(url) => url.pathname === '/sdg/11.b'
		);
		await clickAndWaitForUrl(
			page,
			page
				.getByRole('navigation', { name: text('browse_sdg_neighbours') })
				.locator('a[rel="next"]'),
			(url) => url.pathname === '/sdg/11.c'
		);
		expect(await neighbours.locator('a[rel="next"]').count()).toBe(0);
		expect(await page.getByText(text('browse_sdg_no_indicator')).isVisible()).toBe(true);
	});
});
