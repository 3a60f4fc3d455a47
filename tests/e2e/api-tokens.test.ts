import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { login, newUser, register } from './support/accounts';
import { expectNoAxeViolations } from './support/axe';
import { openBrowser, type TestBrowser } from './support/browser';
import { button, clickAndWaitForUrl, field, fillForm, heading, link } from './support/forms';
import { text, textPattern } from './support/messages';
import { createCityOrganisation, newCityOrganisation } from './support/organisations';

describe('API tokens: an owner creates and revokes a token (JavaScript on)', () => {
	let browser: TestBrowser;
	const owner = newUser('tokens-owner');
	const org = newCityOrganisation('tokens');
	const tokenName = 'Open data portal sync';

	beforeAll(async () => {
		browser = await openBrowser({ javaScript: true });
	});
	afterAll(async () => {
		await browser?.close();
	});

	test('the owner opens the tokens page from the profile; it passes axe', async () => {
		const { page } = browser;
		await register(browser, owner);
		await login(browser, owner);
		const profile = await createCityOrganisation(browser, org);
		await browser.visit(profile);
		await clickAndWaitForUrl(
			page,
			link(page, 'apitokens_profile_link'),
			(url) => url.pathname === `${profile}/api-tokens`
		);
		expect(await heading(page)).toBe(text('apitokens_title', { name: org.name }));
		expect(await page.getByRole('main').textContent()).toContain(text('apitokens_empty'));
		await expectNoAxeViolations(page);
	});

	test('an empty name is explained beside the field; the error state passes axe', async () => {
		const { page } = browser;
		await button(page, 'apitokens_create_submit').click();
		await page.getByRole('alert').waitFor();
		expect(await page.getByRole('alert').textContent()).toContain(text('apitokens_name_required'));
		expect(await field(page, 'apitokens_field_name').getAttribute('aria-invalid')).toBe('true');
		await expectNoAxeViolations(page);
	});

	test('creating a token shows it once, with how to use it; it passes axe', async () => {
		const { page } = browser;
		await fillForm(page, { apitokens_field_name: tokenName });
		await button(page, 'apitokens_create_submit').click();
		const created = page.getByRole('heading', {
			name: text('apitokens_created_heading', { name: tokenName })
		});
		await created.waitFor();
		const token = await page
			.getByRole('textbox', { name: text('apitokens_created_label'), exact: true })
			.inputValue();
		expect(token).toMatch(/^cbt_[a-z2-7]{32}$/);
		expect(await page.locator('pre').textContent()).toContain(`Authorization: Bearer ${token}`);
		const row = page.getByRole('row').filter({ hasText: tokenName });
		await expect.poll(() => row.textContent()).toContain(text('apitokens_state_active'));
		expect(await row.textContent()).toContain(token.slice(0, 12));
		// The form redirected (Post/Redirect/Get) and starts empty again.
		expect(new URL(page.url()).search).toBe('?done=created');
		expect(await field(page, 'apitokens_field_name').inputValue()).toBe('');
		await expectNoAxeViolations(page);

		// Shown once: reloading the page it landed on, or a fresh visit, lists the token without it.
		await page.reload();
		await page.getByRole('heading', { level: 1 }).waitFor();
		expect(await page.content()).not.toContain(token);
		await browser.visit(new URL(page.url()).pathname);
		expect(await page.content()).not.toContain(token);
		expect(await page.getByRole('row').filter({ hasText: tokenName }).count()).toBe(1);
	});

	test('revoking asks for confirmation, then marks the token revoked', async () => {
		const { page } = browser;
		const row = page.getByRole('row').filter({ hasText: tokenName });
		await row.getByRole('button', { name: text('apitokens_revoke'), exact: true }).click();
		await page.getByRole('alert').waitFor();
		expect(await page.getByRole('alert').textContent()).toContain(
			text('apitokens_confirm_required')
		);
		await expectNoAxeViolations(page);

		await row.getByRole('checkbox').check();
		await row.getByRole('button', { name: text('apitokens_revoke'), exact: true }).click();
		await expect
			.poll(() => page.getByRole('status').first().textContent())
			.toContain(text('apitokens_done_revoked'));
		await expect.poll(() => row.textContent()).toMatch(textPattern('apitokens_state_revoked'));
		expect(await row.getByRole('button').count()).toBe(0);
		await expectNoAxeViolations(page);
	});
});

describe('API tokens without JavaScript: reloading after creating issues no second token', () => {
	let browser: TestBrowser;
	const owner = newUser('tokens-nojs');
	const org = newCityOrganisation('tokens-nojs');
	const tokenName = 'Reload-proof token';

	beforeAll(async () => {
		browser = await openBrowser({ javaScript: false });
	});
	afterAll(async () => {
		await browser?.close();
	});

	test('the token is shown after the redirect, and a reload shows the list with one token', async () => {
		const { page } = browser;
		await register(browser, owner);
		await login(browser, owner);
		const profile = await createCityOrganisation(browser, org);
		await browser.visit(`${profile}/api-tokens`);
		await fillForm(page, { apitokens_field_name: tokenName });
		await clickAndWaitForUrl(
			page,
			button(page, 'apitokens_create_submit'),
			(url) => url.search === '?done=created'
		);
		const token = await page
			.getByRole('textbox', { name: text('apitokens_created_label'), exact: true })
			.inputValue();
		expect(token).toMatch(/^cbt_[a-z2-7]{32}$/);

		// The page is the answer to a GET: reloading it resends no form.
		await page.reload({ waitUntil: 'load' });
		expect(await page.content()).not.toContain(token);
		const rows = page.getByRole('row').filter({ hasText: tokenName });
		expect(await rows.count()).toBe(1);
		expect(await rows.textContent()).toContain(token.slice(0, 12));
	});
});
