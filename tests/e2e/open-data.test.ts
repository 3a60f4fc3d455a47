import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { expectNoAxeViolations } from './support/axe';
import { javaScriptIsOn, openBrowser, type TestBrowser } from './support/browser';
import { text } from './support/messages';

const datasetKeys = [
	'opendata_dataset_case_studies',
	'opendata_dataset_organisations',
	'opendata_dataset_needs',
	'opendata_dataset_offers',
	'opendata_dataset_partnerships'
];

describe.each([true, false])('the open data page (JavaScript %s)', (javaScript) => {
	let browser: TestBrowser;

	beforeAll(async () => {
		browser = await openBrowser({ javaScript });
	});
	afterAll(async () => {
		await browser?.close();
	});

	test('is linked from the footer, lists every dataset with its count and passes axe', async () => {
		const { page } = browser;
		await browser.visit('/');
		await page
			.getByRole('contentinfo')
			.getByRole('link', { name: text('opendata_footer_link') })
			.click();
		await page.waitForURL('**/open-data');
		expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(
			text('opendata_title')
		);
		const index = await (await page.request.get('/api/v1/bulk')).json();
		const rows = page.getByRole('table').getByRole('row');
		expect(await rows.count()).toBe(1 + datasetKeys.length);
		for (const [position, key] of datasetKeys.entries()) {
			const row = rows.nth(position + 1);
			expect(await row.getByRole('rowheader').textContent()).toContain(text(key));
			const records = (await row.getByRole('cell').first().textContent())!.replace(/\D/g, '');
			expect(Number(records)).toBe(index.datasets[position].records);
			for (const format of ['opendata_jsonl', 'opendata_csv']) {
				const link = row.getByRole('link', {
					name: text('opendata_download_label', { dataset: text(key), format: text(format) })
				});
				expect(await link.count()).toBe(1);
			}
		}
		// axe runs in the page, so it needs JavaScript; the page itself does not.
		if (javaScriptIsOn(page)) await expectNoAxeViolations(page);
		expect(browser.pageErrors).toEqual([]);
	});

	test('every link on it leads somewhere that answers', async () => {
		const { page } = browser;
		await browser.visit('/open-data');
		const hrefs = await page
			.locator('main a[href]')
			.evaluateAll((links) => links.map((link) => link.getAttribute('href')!));
		const paths = [
			...new Set(hrefs.filter((href) => href.startsWith('/')).map((href) => href.split('#')[0]))
		];
		expect(paths).toEqual(
			expect.arrayContaining([
				'/api/v1/bulk/case-studies.jsonl',
				'/api/v1/bulk/partnerships.csv',
				'/feeds/needs.atom',
				'/feeds/offers.atom',
				'/feeds/case-studies.atom',
				'/api/v1/docs',
				'/api/v1/openapi.json',
				'/api/v1/iati/activities.xml',
				'/insights'
			])
		);
		for (const path of paths) {
			const response = await page.request.get(path);
			// The IATI file needs at least one public partnership; without any it answers a 404 problem.
			const expected = path === '/api/v1/iati/activities.xml' ? [200, 404] : [200];
			expect(expected, path).toContain(response.status());
		}
		const licence = page.getByRole('link', { name: text('opendata_licence_link') });
		expect(await licence.getAttribute('href')).toBe('https://creativecommons.org/licenses/by/4.0/');
	});

	test('the in-page contents lead to each section', async () => {
		const { page } = browser;
		await browser.visit('/open-data');
		await page
			.getByRole('navigation', { name: text('opendata_on_this_page') })
			.getByRole('link', { name: text('opendata_feeds_heading') })
			.click();
		await expect.poll(() => page.url()).toMatch(/#feeds$/);
		await expect
			.poll(() => page.getByRole('heading', { name: text('opendata_feeds_heading') }).isVisible())
			.toBe(true);
	});
});

describe('the open data page in French', () => {
	let browser: TestBrowser;

	beforeAll(async () => {
		browser = await openBrowser({ javaScript: false, locale: 'fr-FR' });
	});
	afterAll(async () => {
		await browser?.close();
	});

	test('is translated and passes axe', async () => {
		const { page } = browser;
		await browser.visit('/fr/open-data');
		expect(await page.locator('html').getAttribute('lang')).toBe('fr');
		expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(
			text('opendata_title', {}, 'fr')
		);
		expect(await page.getByRole('table').textContent()).toContain(
			text('opendata_dataset_partnerships', {}, 'fr')
		);
		// axe runs in the page, so it needs JavaScript; the page itself does not.
		if (javaScriptIsOn(page)) await expectNoAxeViolations(page);
	});
});
