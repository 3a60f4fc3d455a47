import { afterAll, describe, expect, test } from 'vitest';
import { expectNoAxeViolations } from './support/axe';
import { javaScriptIsOn, openBrowser, type TestBrowser } from './support/browser';
import { text } from './support/messages';

/**
 * /api/v1/docs: the API reference rendered from the OpenAPI document, read without JavaScript:
 * contents that jump to each endpoint, parameter tables, no axe violations.
 */

// The page sends no script (csr = false): what a reader without JavaScript gets is all there is.
for (const javaScript of [false]) {
	describe(`the API docs with JavaScript ${javaScript ? 'on' : 'off'}`, () => {
		let browser: TestBrowser;

		afterAll(async () => {
			await browser?.close();
		});

		test('lists every documented endpoint; the contents jump to it; axe finds nothing', async () => {
			browser = await openBrowser({ javaScript });
			const { page } = browser;
			await browser.visit('/api/v1/docs');
			await expect
				.poll(() => page.getByRole('heading', { level: 1 }).textContent())
				.toBe(text('apidocs_title'));

			const document = (await (await page.request.get('/api/v1/openapi.json')).json()) as {
				paths: Record<string, Record<string, unknown>>;
			};
			const operations = Object.entries(document.paths).flatMap(([path, item]) =>
				Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`)
			);
			const contents = page.getByRole('navigation', { name: text('apidocs_contents') });
			for (const operation of operations) {
				await expect
					.poll(() => contents.getByRole('link', { name: operation, exact: true }).count())
					.toBe(1);
			}

			await contents.getByRole('link', { name: 'GET /api/v1/needs', exact: true }).click();
			await expect.poll(() => page.url()).toMatch(/#listneeds$/);
			const target = page.locator('#listneeds');
			await expect.poll(() => target.textContent()).toContain('/api/v1/needs');
			await expect
				.poll(() => target.evaluate((element) => element.getBoundingClientRect().top))
				.toBeLessThan(200);
			const parameters = page.getByRole('table', { name: text('apidocs_parameters') }).first();
			await expect.poll(() => parameters.isVisible()).toBe(true);

			await page
				.getByRole('link', { name: text('apidocs_document_link') })
				.first()
				.isVisible();
			if (javaScriptIsOn(page)) await expectNoAxeViolations(page);
			expect(browser.pageErrors).toEqual([]);
		});
	});
}

test('the French page has French chrome', async () => {
	const browser = await openBrowser({ javaScript: false });
	try {
		await browser.visit('/fr/api/v1/docs');
		await expect
			.poll(() => browser.page.getByRole('heading', { level: 1 }).textContent())
			.toBe(text('apidocs_title', {}, 'fr'));
		await browser.page.getByRole('navigation').first().waitFor();
	} finally {
		await browser.close();
	}
});
