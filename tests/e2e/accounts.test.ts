import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { admin, login, logout, newUser, register } from './support/accounts';
import { expectNoAxeViolations } from './support/axe';
import { openBrowser, type TestBrowser } from './support/browser';
import { button, clickAndWaitForUrl, field, fillForm, heading, link } from './support/forms';
import { text, textPattern } from './support/messages';
import { linkFromLatestEmail } from './support/outbox';

describe('accounts: register, log in, log out, reset a forgotten password', () => {
	let browser: TestBrowser;
	const user = newUser('accounts');

	beforeAll(async () => {
		browser = await openBrowser();
	});
	afterAll(async () => {
		await browser?.close();
	});

	test('a registration with mistakes explains each one, keeps what was typed, and passes axe', async () => {
		const { page } = browser;
		await browser.visit('/register');
		expect(await heading(page)).toBe(text('auth_register_title'));
		await expectNoAxeViolations(page);

		await fillForm(page, {
			auth_field_name: user.name,
			auth_field_email: 'not-an-email',
			auth_field_password: 'short'
		});
		await button(page, 'auth_register_submit').click();
		const summary = page.getByRole('alert');
		await summary.waitFor();
		expect(await summary.textContent()).toContain(text('auth_email_invalid'));
		expect(await field(page, 'auth_field_email').getAttribute('aria-invalid')).toBe('true');
		expect(await field(page, 'auth_field_name').inputValue()).toBe(user.name);
		expect(await field(page, 'auth_field_email').inputValue()).toBe('not-an-email');
		await expectNoAxeViolations(page);
	});

	test('in French, the registration page and its error messages are French, and pass axe', async () => {
		const { page } = browser;
		await browser.visit('/fr/register');
		expect(await page.locator('html').getAttribute('lang')).toBe('fr');
		expect(await heading(page)).toBe(text('auth_register_title', {}, 'fr'));
		await page
			.getByLabel(text('auth_field_email', {}, 'fr'), { exact: true })
			.fill('pas-une-adresse');
		await page.getByRole('button', { name: text('auth_register_submit', {}, 'fr') }).click();
		await page.getByRole('alert').waitFor();
		expect(await page.getByRole('alert').textContent()).toContain(
			text('auth_email_invalid', {}, 'fr')
		);
		await expectNoAxeViolations(page);
	});

	test('a new person registers, is told to check their email, and the page passes axe', async () => {
		const { page } = browser;
		await register(browser, user);
		expect(await heading(page)).toBe(text('auth_register_check_title'));
		await expectNoAxeViolations(page);
	});

	test('the emailed confirmation link confirms the address, on a page that passes axe', async () => {
		const { page } = browser;
		await browser.visit(linkFromLatestEmail(user.email, '/verify-email'));
		expect(await heading(page)).toBe(text('auth_verify_title'));
		expect(await page.getByRole('status').textContent()).toContain(text('auth_verify_success'));
		await expectNoAxeViolations(page);
	});

	test('a wrong password is refused with one message that does not say which part was wrong', async () => {
		const { page } = browser;
		await browser.visit('/login');
		expect(await heading(page)).toBe(text('auth_login_title'));
		await expectNoAxeViolations(page);
		await fillForm(page, {
			auth_field_email: user.email,
			auth_field_password: 'wrong password here'
		});
		await button(page, 'auth_login_submit').click();
		await page.getByRole('alert').waitFor();
		expect(await page.getByRole('alert').textContent()).toContain(text('auth_login_invalid'));
		expect(await field(page, 'auth_field_email').inputValue()).toBe(user.email);
		await expectNoAxeViolations(page);
	});

	test('the person logs in, sees their account page, which passes axe, and logs out', async () => {
		const { page } = browser;
		await login(browser, user);
		expect(new URL(page.url()).pathname).toBe('/account');
		expect(await heading(page)).toBe(text('auth_account_title'));
		expect(await page.getByRole('main').textContent()).toContain(user.email);
		expect(await page.getByRole('main').textContent()).toMatch(
			textPattern('auth_account_verified')
		);
		await expectNoAxeViolations(page);

		// The logout page asks first, for people who reach /logout by its address.
		await browser.visit('/logout');
		expect(await page.getByRole('main').textContent()).toContain(text('auth_logout_confirm'));
		await expectNoAxeViolations(page);

		await logout(browser);
		await browser.visit('/account');
		expect(new URL(page.url()).pathname).toBe('/login');
		expect(new URL(page.url()).searchParams.get('redirectTo')).toBe('/account');
	});

	test('a forgotten password is reset through the emailed link, and the old one stops working', async () => {
		const { page } = browser;
		await browser.visit('/login');
		await clickAndWaitForUrl(
			page,
			link(page.getByRole('main'), 'auth_login_forgot'),
			(url) => url.pathname === '/forgot-password'
		);
		expect(await heading(page)).toBe(text('auth_forgot_title'));
		await expectNoAxeViolations(page);

		await fillForm(page, { auth_field_email: user.email });
		await clickAndWaitForUrl(page, button(page, 'auth_forgot_submit'), (url) =>
			url.searchParams.has('sent')
		);
		expect(await page.getByRole('status').textContent()).toContain(text('auth_forgot_sent'));
		await expectNoAxeViolations(page);

		const resetLink = linkFromLatestEmail(user.email, '/reset-password');
		await browser.visit(resetLink);
		expect(await heading(page)).toBe(text('auth_reset_title'));
		await expectNoAxeViolations(page);

		// A too-short password is refused on the same page, the link still usable.
		await fillForm(page, { auth_field_new_password: 'short' });
		await button(page, 'auth_reset_submit').click();
		await page.getByRole('alert').waitFor();
		expect(await field(page, 'auth_field_new_password').getAttribute('aria-invalid')).toBe('true');
		await expectNoAxeViolations(page);

		const oldPassword = user.password;
		user.password = `${oldPassword} renewed`;
		await fillForm(page, { auth_field_new_password: user.password });
		await clickAndWaitForUrl(
			page,
			button(page, 'auth_reset_submit'),
			(url) => url.pathname === '/login'
		);
		expect(await page.getByRole('status').textContent()).toContain(text('auth_login_after_reset'));

		// The link works once.
		await browser.visit(resetLink);
		expect(await page.getByRole('alert').textContent()).toContain(text('auth_reset_invalid'));
		await expectNoAxeViolations(page);

		await browser.visit('/login');
		await fillForm(page, { auth_field_email: user.email, auth_field_password: oldPassword });
		await button(page, 'auth_login_submit').click();
		await page.getByRole('alert').waitFor();
		expect(await page.getByRole('alert').textContent()).toContain(text('auth_login_invalid'));
		await login(browser, user);
		expect(new URL(page.url()).pathname).toBe('/account');
		await logout(browser);
	});

	test('the admin follows emailed links on the outbox page, which passes axe', async () => {
		const { page } = browser;
		await login(browser, admin, '/login?redirectTo=/admin/outbox');
		expect(new URL(page.url()).pathname).toBe('/admin/outbox');
		expect(await heading(page)).toBe(text('auth_outbox_title'));
		expect(await page.getByRole('main').textContent()).toContain(user.email);
		await expectNoAxeViolations(page);
		await logout(browser);
	});

	test('a person who is not an admin cannot open the outbox', async () => {
		const { page } = browser;
		await login(browser, user);
		const response = await page.goto('/admin/outbox');
		expect(response?.status()).toBe(403);
		await expectNoAxeViolations(page);
		await logout(browser);
	});
});
