import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { expectNoAxeViolations } from './support/axe';
import { javaScriptIsOn, openBrowser, type TestBrowser } from './support/browser';
import { button, field, heading } from './support/forms';
import { text } from './support/messages';

/*
 * The page ships no JavaScript (csr = false: everything is a link or a GET form), so there is no
 * hydration to wait for, with JavaScript on or off: plain loads and clicks.
 */
async function visit(browser: TestBrowser, path: string) {
	await browser.page.goto(path, { waitUntil: 'load' });
}
async function clickAndWaitForUrl(page: Page, target: Locator, url: (url: URL) => boolean) {
	await Promise.all([page.waitForURL(url, { waitUntil: 'load' }), target.click()]);
}

/** The number under a headline figure, e.g. "Case studies". */
async function figure(browser: TestBrowser, labelKey: string): Promise<string> {
	const card = browser.page
		.locator('dl.figures > div')
		.filter({ has: browser.page.getByText(text(labelKey), { exact: true }) });
	return ((await card.locator('dd').first().innerText()).split('\n')[0] ?? '').trim();
}

/** The API's figure for the same filters (the HTTP suite checks the API against SQL). */
async function apiCaseStudies(browser: TestBrowser, query: string): Promise<string> {
	const response = await fetch(`${browser.baseUrl}/api/v1/stats${query}`, {
		headers: { 'x-forwarded-for': `10.251.${process.pid % 250}.9` }
	});
	const insights = (await response.json()) as { headline: { caseStudies: number } };
	return String(insights.headline.caseStudies);
}

beforeAll(() => {
	const run = spawnSync(
		process.execPath,
		['--import', 'tsx', resolve('tests/e2e/support/seed-insights-script.ts'), inject('dbPath')],
		{ encoding: 'utf8' }
	);
	if (run.status !== 0) throw new Error(`seeding failed (exit ${run.status}):\n${run.stderr}`);
});

for (const javaScript of [true, false]) {
	describe(`the insights dashboard with JavaScript ${javaScript ? 'on' : 'off'}`, () => {
		let browser: TestBrowser;
		beforeAll(async () => {
			browser = await openBrowser({ javaScript });
		});
		afterAll(() => browser?.close());

		test('filters by a plain form kept in the URL, and the figures follow', async () => {
			const { page } = browser;
			await visit(browser, '/insights');
			expect(await heading(page)).toBe(text('insights_title'));
			const all = await figure(browser, 'insights_headline_case_studies');
			expect(all).toBe(await apiCaseStudies(browser, ''));

			await field(page, 'insights_filter_theme').selectOption('S');
			await clickAndWaitForUrl(page, button(page, 'insights_filter_apply'), (url) =>
				url.searchParams.getAll('theme').includes('S')
			);
			const filtered = await figure(browser, 'insights_headline_case_studies');
			expect(filtered).toBe(await apiCaseStudies(browser, '?theme=S'));
			expect(Number(filtered)).toBeLessThan(Number(all));
			await expect.poll(() => field(page, 'insights_filter_theme').inputValue()).toBe('S');
			// Every export carries the same filters.
			const csv = page.getByRole('link', { name: /Download CSV.*Headline figures/ });
			expect(await csv.getAttribute('href')).toContain('theme=S');
		});

		test('ships no script to the browser', async () => {
			await visit(browser, '/insights');
			expect(await browser.page.locator('script:not([type="application/ld+json"])').count()).toBe(
				0
			);
			expect(browser.pageErrors).toEqual([]);
		});

		test('a heat-map cell leads to the records it counts', async () => {
			const { page } = browser;
			await visit(browser, '/insights');
			const cell = page.getByRole('link', {
				name: new RegExp(
					`^\\d+ · ${text('insights_kind_case_study')} · ${text('theme_S')} · 11\\.5$`
				)
			});
			await clickAndWaitForUrl(page, cell, (url) => url.pathname === '/cases');
			const url = new URL(page.url());
			expect(url.searchParams.get('theme')).toBe('S');
			expect(url.searchParams.get('sdg')).toBe('11.5');
		});

		test('the map switches kind by a link and names each country', async () => {
			const { page } = browser;
			await visit(browser, '/insights');
			const switcher = page.getByRole('navigation', { name: text('insights_map_switch') });
			await clickAndWaitForUrl(
				page,
				switcher.getByRole('link', { name: text('insights_kind_need'), exact: true }),
				(url) => url.searchParams.get('map') === 'need'
			);
			await expect
				.poll(() =>
					switcher
						.getByRole('link', { name: text('insights_kind_need'), exact: true })
						.getAttribute('aria-current')
				)
				.toBe('true');
			const kenya = page.locator('figure.world-map').getByRole('link', { name: /^Kenya\b/ });
			expect(await kenya.count()).toBe(1);
			expect(await kenya.getAttribute('href')).toContain('/needs?');
			await expect
				.poll(() =>
					page.getByText(text('worldmap_caption', { label: text('insights_kind_need') })).count()
				)
				.toBeGreaterThan(0);
		});

		test('has no axe violations', async () => {
			if (!javaScriptIsOn(browser.page)) return;
			await visit(browser, '/insights?map=offer&matrix=need');
			await expectNoAxeViolations(browser.page);
			await visit(browser, '/insights?theme=N&sdg=11.4');
			await expectNoAxeViolations(browser.page);
		});
	});
}
