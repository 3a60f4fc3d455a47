import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { expectNoAxeViolations } from './support/axe';
import { openBrowser, type TestBrowser } from './support/browser';
import { text } from './support/messages';

describe('site shell: home, privacy, errors, language, keyboard', () => {
	let browser: TestBrowser;

	beforeAll(async () => {
		browser = await openBrowser();
	});
	afterAll(async () => {
		await browser?.close();
	});

	test('the axe helper fails and names the rule when a page has a violation', async () => {
		const { page } = browser;
		await page.setContent('<html lang="en"><body><main><img src="x.png"></main></body></html>');
		await expect(expectNoAxeViolations(page)).rejects.toThrow(/image-alt/);
	});

	test('the home page says what CityBridge is and passes axe', async () => {
		const { page } = browser;
		await browser.visit('/');
		expect(await page.locator('html').getAttribute('lang')).toBe('en');
		expect(await page.locator('html').getAttribute('dir')).toBe('ltr');
		await expect
			.poll(() => page.getByRole('heading', { level: 1 }).textContent())
			.toBe(text('home_title'));
		await expectNoAxeViolations(page);
		expect(browser.pageErrors).toEqual([]);
	});

	test('the privacy page is linked from the footer and passes axe', async () => {
		const { page } = browser;
		await browser.visit('/');
		await page
			.getByRole('contentinfo')
			.getByRole('link', { name: text('footer_privacy') })
			.click();
		await page.waitForURL('**/privacy');
		expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(text('privacy_title'));
		await expectNoAxeViolations(page);
	});

	test('an unknown address answers 404 with a page that helps the user on, and passes axe', async () => {
		const { page } = browser;
		const response = await page.goto('/no-such-page-here');
		expect(response?.status()).toBe(404);
		expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(
			text('error_title_404')
		);
		await expect
			.poll(() => page.getByRole('link', { name: text('error_go_home') }).count())
			.toBe(1);
		await expectNoAxeViolations(page);
	});

	test('the language switcher leads to the French page, with <html lang="fr">, which passes axe', async () => {
		const { page } = browser;
		await browser.visit('/');
		await page
			.getByRole('navigation', { name: text('language_switcher') })
			.getByRole('link', { name: 'Français' })
			.click();
		await page.waitForURL((url) => url.pathname === '/fr' || url.pathname === '/fr/');
		await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('fr');
		expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(
			text('home_title', {}, 'fr')
		);
		await expectNoAxeViolations(page);

		// And back to English from the French page.
		await page
			.getByRole('navigation', { name: text('language_switcher', {}, 'fr') })
			.getByRole('link', { name: 'English' })
			.click();
		await page.waitForURL((url) => url.pathname === '/');
		await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('en');
	});

	test('the French home page opened directly passes axe', async () => {
		const { page } = browser;
		await browser.visit('/fr/');
		expect(await page.locator('html').getAttribute('lang')).toBe('fr');
		await expectNoAxeViolations(page);
	});

	test('the skip link is the first thing Tab reaches and moves focus to the main content', async () => {
		const { page } = browser;
		await browser.visit('/privacy');
		await page.keyboard.press('Tab');
		const first = page.locator(':focus');
		expect(await first.textContent()).toBe(text('skip_to_content'));
		expect(await first.isVisible()).toBe(true);
		await page.keyboard.press('Enter');
		await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('main');
	});

	test('links and buttons reached with the keyboard show a visible focus outline', async () => {
		const { page } = browser;
		await browser.visit('/login');
		const outlines: string[] = [];
		for (let step = 0; step < 8; step += 1) {
			await page.keyboard.press('Tab');
			outlines.push(
				await page.evaluate(() => {
					const element = document.activeElement as HTMLElement;
					const style = getComputedStyle(element);
					return `${element.tagName} ${style.outlineStyle} ${style.outlineWidth}`;
				})
			);
		}
		for (const outline of outlines) expect(outline).toMatch(/ solid [1-9]/);
	});
});

describe('site shell without JavaScript', () => {
	let browser: TestBrowser;

	beforeAll(async () => {
		browser = await openBrowser({ javaScript: false });
	});
	afterAll(async () => {
		await browser?.close();
	});

	test('the skip link works without JavaScript too', async () => {
		const { page } = browser;
		await browser.visit('/');
		await page.keyboard.press('Tab');
		expect(await page.locator(':focus').textContent()).toBe(text('skip_to_content'));
		await page.keyboard.press('Enter');
		await page.waitForURL('**/#main');
		expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
	});

	test('the language switcher works without JavaScript', async () => {
		const { page } = browser;
		await browser.visit('/privacy');
		await page.getByRole('link', { name: 'Français' }).click();
		await page.waitForURL('**/fr/privacy');
		expect(await page.locator('html').getAttribute('lang')).toBe('fr');
		expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(
			text('privacy_title', {}, 'fr')
		);
	});
});
