import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { login, newUser, register } from './support/accounts';
import { expectNoAxeViolations } from './support/axe';
import { openBrowser, type TestBrowser } from './support/browser';
import { button, clickAndWaitForUrl, field, heading, link } from './support/forms';
import { text } from './support/messages';
import { createCityOrganisation, currentPath, newCityOrganisation } from './support/organisations';
import { seedCaseStudy } from './support/seed-case';

/**
 * The case-study list in Chromium. The browser suite's server has no demo content and other
 * journeys may publish cases at any time, so these tests rely on filters that match nothing
 * (a case running in 1901) and on a cursor past every case, not on a known number of cases;
 * the HTTP suite checks the list's contents.
 */

/** A cursor after every case: the list then shows a "later page" (all cases, or none). */
const cursorPastEveryCase = Buffer.from(
	JSON.stringify([Date.now() + 365 * 24 * 3600 * 1000, 1_000_000, 'zzzzzzzzzzzz'])
).toString('base64url');

for (const javaScript of [false, true]) {
	describe(`the case-study list with JavaScript ${javaScript ? 'on' : 'off'}`, () => {
		let browser: TestBrowser;

		beforeAll(async () => {
			browser = await openBrowser({ javaScript });
		});
		afterAll(async () => {
			await browser?.close();
		});

		test('the header leads to the list; the filter form narrows it, and the empty state helps', async () => {
			const { page } = browser;
			await browser.visit('/');
			const header = page.getByRole('navigation', { name: text('nav_main') });
			await clickAndWaitForUrl(
				page,
				link(header, 'caselist_nav'),
				(url) => url.pathname === '/cases'
			);
			expect(await heading(page)).toBe(text('caselist_title'));
			// axe runs in the page, so only with JavaScript; the HTML is the same without.
			if (javaScript) await expectNoAxeViolations(page);

			await field(page, 'caselist_filter_theme').selectOption('G');
			await field(page, 'caselist_filter_year').fill('1901');
			await field(page, 'caselist_filter_sort').selectOption('validated');
			await clickAndWaitForUrl(
				page,
				button(page, 'caselist_filter_apply'),
				(url) => url.searchParams.get('year') === '1901'
			);
			const query = new URL(page.url()).searchParams;
			expect(query.get('theme')).toBe('G');
			expect(query.get('sort')).toBe('validated');
			// The form shows what was applied.
			expect(await field(page, 'caselist_filter_theme').inputValue()).toBe('G');
			expect(await field(page, 'caselist_filter_year').inputValue()).toBe('1901');
			expect(await page.getByText(text('caselist_empty_filtered')).isVisible()).toBe(true);
			// axe runs in the page, so only with JavaScript; the HTML is the same without.
			if (javaScript) await expectNoAxeViolations(page);

			const removeYear = text('caselist_remove_filter', {
				filter: text('caselist_active_filter', {
					filter: text('caselist_filter_year'),
					value: '1901'
				})
			});
			await clickAndWaitForUrl(
				page,
				page.getByRole('link', { name: removeYear, exact: true }).first(),
				(url) => url.pathname === '/cases' && !url.searchParams.has('year')
			);
			expect(new URL(page.url()).searchParams.get('theme')).toBe('G');
			expect(await field(page, 'caselist_filter_year').inputValue()).toBe('');

			await clickAndWaitForUrl(
				page,
				link(page, 'caselist_filter_clear').first(),
				(url) => url.pathname === '/cases' && url.search === ''
			);
			expect(await field(page, 'caselist_filter_theme').inputValue()).toBe('');
			expect(browser.pageErrors).toEqual([]);
		});

		test('bad filter values are ignored with a notice, and the good ones kept', async () => {
			const { page } = browser;
			await browser.visit('/cases?theme=X&year=abc&sdg=11.5&country=ZZZ');
			expect(await heading(page)).toBe(text('caselist_title'));
			expect(await page.getByText(text('caselist_ignored_heading')).isVisible()).toBe(true);
			expect(
				await page
					.getByText(
						text('caselist_ignored', { filter: text('caselist_filter_year'), value: 'abc' })
					)
					.isVisible()
			).toBe(true);
			expect(await field(page, 'caselist_filter_sdg').inputValue()).toBe('11.5');
			expect(await field(page, 'caselist_filter_theme').inputValue()).toBe('');
			// axe runs in the page, so only with JavaScript; the HTML is the same without.
			if (javaScript) await expectNoAxeViolations(page);
		});

		test('a link with a repeated filter keeps every value through the form; unticking one drops it', async () => {
			const { page } = browser;
			await browser.visit('/cases?theme=G&theme=J&year=1901&year=1902');
			const alsoJ = page.getByLabel(text('caselist_filter_also', { value: text('theme_J') }), {
				exact: true
			});
			const also1902 = page.getByLabel(text('caselist_filter_also', { value: '1902' }), {
				exact: true
			});
			expect(await field(page, 'caselist_filter_theme').inputValue()).toBe('G');
			expect(await alsoJ.isChecked()).toBe(true);
			expect(await also1902.isChecked()).toBe(true);
			// axe runs in the page, so only with JavaScript; the HTML is the same without.
			if (javaScript) await expectNoAxeViolations(page);

			await field(page, 'caselist_filter_sort').selectOption('validated');
			await clickAndWaitForUrl(
				page,
				button(page, 'caselist_filter_apply'),
				(url) => url.searchParams.get('sort') === 'validated'
			);
			let query = new URL(page.url()).searchParams;
			expect(query.getAll('theme')).toEqual(['G', 'J']);
			expect(query.getAll('year')).toEqual(['1901', '1902']);

			await alsoJ.uncheck();
			await clickAndWaitForUrl(
				page,
				button(page, 'caselist_filter_apply'),
				(url) => url.searchParams.getAll('theme').length === 1
			);
			query = new URL(page.url()).searchParams;
			expect(query.getAll('theme')).toEqual(['G']);
			expect(query.getAll('year')).toEqual(['1901', '1902']);
			expect(await alsoJ.count()).toBe(0);
			expect(browser.pageErrors).toEqual([]);
		});

		test('a later page links back to the first page', async () => {
			const { page } = browser;
			await browser.visit(`/cases?sdg=11.4&cursor=${cursorPastEveryCase}`);
			const pagination = page.getByRole('navigation', { name: text('pagination_label') });
			await clickAndWaitForUrl(
				page,
				link(pagination, 'caselist_first_page'),
				(url) => url.pathname === '/cases' && !url.searchParams.has('cursor')
			);
			expect(new URL(page.url()).searchParams.get('sdg')).toBe('11.4');
			expect(await link(page, 'caselist_first_page').count()).toBe(0);
		});
	});
}

describe('the case-study list on a phone, in French, and on an organisation profile', () => {
	let browser: TestBrowser;

	beforeAll(async () => {
		browser = await openBrowser();
	});
	afterAll(async () => {
		await browser?.close();
	});

	test('the list fits a phone screen without sideways scrolling', async () => {
		const { page } = browser;
		await page.setViewportSize({ width: 360, height: 740 });
		try {
			for (const path of ['/cases', '/cases?theme=X&year=1901&sort=validated']) {
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

	test('on a phone a link skips the filters to the results; on a wide screen it is hidden', async () => {
		const { page } = browser;
		const skip = page.getByRole('link', { name: text('caselist_jump_to_results') });
		await page.setViewportSize({ width: 360, height: 740 });
		try {
			await browser.visit('/cases');
			await expect.poll(() => skip.isVisible()).toBe(true);
			await skip.click();
			await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('results');
			const { top, scrolled } = await page
				.locator('#results')
				.evaluate((el) => ({ top: el.getBoundingClientRect().top, scrolled: window.scrollY }));
			expect(scrolled).toBeGreaterThan(0);
			// Chromium scrolls by whole pixels while the count's offset has a fraction (954.8 px on
			// this page): once enough cases are published for it to reach the top, it sits 0.2 px
			// above it. With few cases the page cannot scroll that far and it stays lower down.
			expect(top).toBeGreaterThan(-1);
			expect(top).toBeLessThan(740);
		} finally {
			await page.setViewportSize({ width: 1280, height: 900 });
		}
		await browser.visit('/cases');
		expect(await skip.isVisible()).toBe(false);
	});

	test('the French list has French labels and passes axe', async () => {
		const { page } = browser;
		await browser.visit('/fr/cases?year=1901');
		expect(await page.locator('html').getAttribute('lang')).toBe('fr');
		expect(await heading(page)).toBe(text('caselist_title', {}, 'fr'));
		expect(
			await page.getByRole('button', { name: text('caselist_filter_apply', {}, 'fr') }).count()
		).toBe(1);
		expect(await page.getByText(text('caselist_empty_filtered', {}, 'fr')).isVisible()).toBe(true);
		await expectNoAxeViolations(page);
	});

	test('a member sees the case-study section and the link to write one on the profile', async () => {
		const { page } = browser;
		const owner = newUser('caselist-owner');
		await register(browser, owner);
		await login(browser, owner);
		const profile = await createCityOrganisation(browser, newCityOrganisation('caselist'));
		await browser.visit(profile);
		expect(
			await page.getByRole('heading', { level: 2, name: text('caselist_org_heading') }).count()
		).toBe(1);
		expect(await page.getByText(text('caselist_org_empty')).isVisible()).toBe(true);
		const write = link(page, 'caselist_org_write');
		expect(await write.getAttribute('href')).toBe(
			`/cases/new?organisation=${profile.split('/').pop()}`
		);
		await expectNoAxeViolations(page);
	});
});

describe('a published case in the list, on its theme page and on its organisation profile', () => {
	let browser: TestBrowser;
	const owner = newUser('caselist-seeded');
	const title = `Solar lights for night markets ${Date.now()}`;
	let slug = '';

	beforeAll(async () => {
		const seeded = seedCaseStudy({
			title,
			owner,
			ownerOrganisation: `Case List City ${Date.now()}`,
			validator: newUser('caselist-validator'),
			validatorOrganisation: `Case List Partner ${Date.now()}`
		});
		slug = seeded.slug;
		browser = await openBrowser();
	});
	afterAll(async () => {
		await browser?.close();
	});

	test('the filter form finds it; its card leads to the case and to its organisation', async () => {
		const { page } = browser;
		await browser.visit('/cases');
		await field(page, 'caselist_filter_theme').selectOption('S');
		await field(page, 'caselist_filter_sdg').selectOption('11.7');
		await clickAndWaitForUrl(
			page,
			button(page, 'caselist_filter_apply'),
			(url) => url.searchParams.get('sdg') === '11.7'
		);
		const card = page
			.getByRole('listitem')
			.filter({ has: page.getByRole('link', { name: title }) });
		expect(await card.isVisible()).toBe(true);
		expect(await card.getByText(text('organisations_badge_verified')).isVisible()).toBe(true);
		await expectNoAxeViolations(page);

		await clickAndWaitForUrl(
			page,
			card.getByRole('link', { name: title }),
			(url) => url.pathname === `/cases/${slug}`
		);
		await browser.visit('/themes/S');
		expect(await page.getByRole('link', { name: title }).isVisible()).toBe(true);
		await expectNoAxeViolations(page);

		await browser.visit(`/cases?theme=S&sdg=11.7`);
		const organisationLink = page
			.getByRole('listitem')
			.filter({ has: page.getByRole('link', { name: title }) })
			.getByRole('link', { name: /^Case List City/ });
		await clickAndWaitForUrl(page, organisationLink, (url) =>
			url.pathname.startsWith('/organisations/')
		);
		expect(await page.getByRole('link', { name: title }).isVisible()).toBe(true);
		await expectNoAxeViolations(page);
		const profile = currentPath(page);

		await login(browser, owner);
		await browser.visit(profile);
		expect(await link(page, 'caselist_org_write').isVisible()).toBe(true);
		expect(await page.getByRole('link', { name: title }).isVisible()).toBe(true);
		await expectNoAxeViolations(page);
		expect(browser.pageErrors).toEqual([]);
	});
});
