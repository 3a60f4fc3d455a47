import { randomId } from '../../../src/lib/server/ids';
import { testAdmin } from '../../support/server';
import type { TestBrowser } from './browser';
import { button, clickAndWaitForUrl, fillForm, link } from './forms';
import { text } from './messages';

export type TestUser = { name: string; email: string; password: string };

/** A new person with a unique address and a password the site accepts. */
export function newUser(label = 'user'): TestUser {
	const id = randomId().slice(0, 10);
	return {
		name: `Amara ${label} ${id.slice(0, 4)}`,
		email: `${label}-${id}@example.org`,
		password: `lantern river ${id} orchard`
	};
}

/** The site admin created at start from ADMIN_EMAIL/ADMIN_PASSWORD; also the moderator. */
export const admin: TestUser = { name: 'Admin', ...testAdmin };

export async function register(browser: TestBrowser, user: TestUser): Promise<void> {
	const { page } = browser;
	await browser.visit('/register');
	await fillForm(page, {
		auth_field_name: user.name,
		auth_field_email: user.email,
		auth_field_password: user.password
	});
	await clickAndWaitForUrl(
		page,
		button(page, 'auth_register_submit'),
		(url) => url.pathname === '/register/check-email'
	);
}

/** Logs in from the login page; lands on `/account` unless the page was opened with redirectTo. */
export async function login(browser: TestBrowser, user: TestUser, from = '/login'): Promise<void> {
	const { page } = browser;
	await browser.visit(from);
	await fillForm(page, { auth_field_email: user.email, auth_field_password: user.password });
	await clickAndWaitForUrl(
		page,
		button(page, 'auth_login_submit'),
		(url) => url.pathname !== '/login'
	);
}

/** Logs out with the header's button, which works with and without JavaScript. */
export async function logout(browser: TestBrowser): Promise<void> {
	const { page } = browser;
	await clickAndWaitForUrl(
		page,
		page.getByRole('banner').getByRole('button', { name: text('nav_logout'), exact: true }),
		(url) => url.pathname === '/'
	);
	await link(page.getByRole('banner'), 'nav_login').waitFor();
}
