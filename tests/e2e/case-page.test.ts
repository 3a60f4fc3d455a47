import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { randomId } from '../../src/lib/server/ids';
import { login, newUser } from './support/accounts';
import { expectNoAxeViolations } from './support/axe';
import { openBrowser, type TestBrowser } from './support/browser';
import { button, field, heading, submitAndWait } from './support/forms';
import { text } from './support/messages';
import { seedCaseStudy } from './support/seed-case';

/**
 * The case-study page in Chromium, with JavaScript off and on: a visitor reads a published case
 * on a 360 px phone (no sideways scroll; the results table scrolls in its own box), prints it,
 * reports a problem (a mistake first, nothing typed is lost); a member of another verified city
 * records a validation; axe finds nothing on the page, its forms' error states included.
 */
function casePage({ javaScript }: { javaScript: boolean }) {
	const mode = javaScript ? 'with JavaScript' : 'without JavaScript';

	describe(`case page ${mode}`, () => {
		let browser: TestBrowser;
		let path = '';
		const id = randomId().slice(0, 6);
		const title = `Solar lights for night markets ${javaScript ? 'JS' : 'no JS'} ${id}`;
		const validator = newUser(javaScript ? 'validator-js' : 'validator-nojs');

		const checkAxe = async () => {
			if (javaScript) await expectNoAxeViolations(browser.page);
		};

		/** Clicks a submit button; waits for the page load without JS or the settled form with it. */
		const submit = (label: string, settled: () => Promise<unknown>) =>
			submitAndWait(browser.page, button(browser.page, label), settled);

		beforeAll(async () => {
			const seeded = seedCaseStudy({
				title,
				owner: newUser(javaScript ? 'owner-js' : 'owner-nojs'),
				ownerOrganisation: `Case Page City ${id}`,
				validator,
				validatorOrganisation: `Case Page Partner ${id}`
			});
			path = `/cases/${seeded.slug}`;
			browser = await openBrowser({ javaScript });
			await browser.page.setViewportSize({ width: 360, height: 800 });
		});

		afterAll(async () => {
			await browser?.close();
		});

		test('a visitor reads the case on a phone without sideways scrolling', async () => {
			const { page } = browser;
			await browser.visit(path);
			expect(await heading(page)).toBe(title);
			await expect
				.poll(() => page.getByRole('table').getByRole('rowheader').allTextContents())
				.toEqual(['Market lanes lit after dark', 'Diesel spent on lighting per month']);
			const widths = await page.evaluate(() => {
				const box = document.querySelector('[role="region"]') as HTMLElement;
				return {
					page: document.documentElement.scrollWidth,
					viewport: window.innerWidth,
					box: box.clientWidth,
					table: box.scrollWidth
				};
			});
			expect(widths.page).toBeLessThanOrEqual(widths.viewport);
			expect(widths.table, 'the wide table scrolls inside its own box').toBeGreaterThan(widths.box);
			await expect.poll(() => page.getByText(text('casepage_sdg_official')).count()).toBe(2);
			const jsonLd = await page.locator('script[type="application/ld+json"]').textContent();
			expect(JSON.parse(jsonLd!).name).toBe(title);
			await checkAxe();
		});

		test('printing hides the forms and shows where the sources link to', async () => {
			const { page } = browser;
			await browser.visit(path);
			await page.emulateMedia({ media: 'print' });
			try {
				expect(
					await page.getByRole('button', { name: text('casepage_report_submit') }).isVisible()
				).toBe(false);
				expect(await page.getByRole('navigation', { name: text('nav_main') }).isVisible()).toBe(
					false
				);
				const after = await page
					.getByRole('link', { name: 'City press release' })
					.evaluate((link) => getComputedStyle(link, '::after').content);
				expect(after).toContain('https://nairobi.go.ke/solar-markets');
			} finally {
				await page.emulateMedia({ media: 'screen' });
			}
		});

		test('a visitor reports a problem: a mistake first, nothing typed is lost', async () => {
			const { page } = browser;
			await browser.visit(path);
			await page.getByText(text('casepage_report'), { exact: true }).click();
			await field(page, 'casepage_report_reason').selectOption({
				label: text('cases_report_outdated')
			});
			await field(page, 'casepage_report_message').fill('Too short');
			await submit('casepage_report_submit', () => page.getByRole('alert').waitFor());
			expect(await page.getByRole('alert').textContent()).toContain(
				text('cases_report_message_required')
			);
			expect(await field(page, 'casepage_report_message').inputValue()).toBe('Too short');
			expect(await field(page, 'casepage_report_message').getAttribute('aria-invalid')).toBe(
				'true'
			);
			await checkAxe();
			await field(page, 'casepage_report_message').fill(
				'The city report of 2024 gives 48 lanes, not 42.'
			);
			await submit('casepage_report_submit', () =>
				page.getByText(text('casepage_done_reported')).waitFor()
			);
		});

		test('a member of another verified city records a validation', async () => {
			const { page } = browser;
			await login(browser, validator);
			await browser.visit(path);
			await page.getByLabel(text('cases_validation_reviewed'), { exact: true }).check();
			await field(page, 'casepage_validate_note').fill('ok');
			await submit('casepage_validate_submit', () => page.getByRole('alert').waitFor());
			expect(await page.getByRole('alert').textContent()).toContain(
				text('cases_validation_note_required')
			);
			await checkAxe();
			await field(page, 'casepage_validate_note').fill(
				'We visited two of the markets and saw the lanes lit at night.'
			);
			await submit('casepage_validate_submit', () =>
				page.getByText(text('casepage_done_validated')).waitFor()
			);
			await expect
				.poll(() => page.getByText('We visited two of the markets').count())
				.toBeGreaterThan(0);
			expect(
				await page
					.getByText(text('casepage_validations_counts', { reviewed: '1', replicated: '0' }))
					.count()
			).toBe(1);
			await checkAxe();
		});

		test('an unknown case answers with the not-found page', async () => {
			const response = await browser.page.goto('/cases/no-such-case-anywhere');
			expect(response?.status()).toBe(404);
			expect(await heading(browser.page)).toBe(text('error_title_404'));
			await checkAxe();
		});
	});
}

casePage({ javaScript: false });
casePage({ javaScript: true });
