import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { admin, login, logout, newUser, register } from '../support/accounts';
import { expectNoAxeViolations } from '../support/axe';
import { openBrowser, type TestBrowser } from '../support/browser';
import { button, clickAndWaitForUrl, field, fillForm, heading, link } from '../support/forms';
import { text, textPattern } from '../support/messages';
import {
	createCityOrganisation,
	currentPath,
	moderationCard,
	newCityOrganisation
} from '../support/organisations';

/**
 * Issue 2's main journey through the UI: register → log in → create a city organisation tied to
 * the real city → request verification → a moderator approves → the profile shows the badge →
 * log out. Run once with JavaScript and once without; axe checks every page when JS is on
 * (the enhanced page is the one most people get; without JS the same markup is served).
 */
export function verificationJourney({ javaScript }: { javaScript: boolean }) {
	const mode = javaScript ? 'with JavaScript' : 'without JavaScript';
	const checkAxe = async (browser: TestBrowser) => {
		if (javaScript) await expectNoAxeViolations(browser.page);
	};

	describe(`city verification journey ${mode}`, () => {
		let browser: TestBrowser;
		const owner = newUser(javaScript ? 'owner-js' : 'owner-nojs');
		const org = newCityOrganisation(javaScript ? 'js' : 'nojs');
		let profile = '';

		beforeAll(async () => {
			browser = await openBrowser({ javaScript });
		});
		afterAll(async () => {
			await browser?.close();
		});

		test('a city official registers and logs in', async () => {
			await register(browser, owner);
			await login(browser, owner);
			expect(currentPath(browser.page)).toBe('/account');
			await link(browser.page.getByRole('banner'), 'nav_account').waitFor();
		});

		test('a form with mistakes names each one and keeps what was typed', async () => {
			const { page } = browser;
			await browser.visit('/organisations');
			await clickAndWaitForUrl(
				page,
				link(page.getByRole('main'), 'organisations_new_title'),
				(url) => url.pathname === '/organisations/new'
			);
			expect(await heading(page)).toBe(text('organisations_new_title'));
			await checkAxe(browser);

			// A city without its city, and a website that is not a web address.
			await fillForm(page, { organisations_field_name: org.name });
			await field(page, 'organisations_field_kind').selectOption({
				label: text('vocab_kind_city')
			});
			await field(page, 'organisations_field_country').selectOption({ label: org.country });
			await fillForm(page, { organisations_field_website: 'nairobi dot go dot ke' });
			await button(page, 'organisations_create_submit').click();
			const summary = page.getByRole('alert');
			await summary.waitFor();
			expect(await summary.textContent()).toContain(text('organisations_city_required'));
			expect(await summary.textContent()).toContain(text('organisations_website_invalid'));
			expect(await field(page, 'organisations_field_name').inputValue()).toBe(org.name);
			expect(await field(page, 'organisations_field_website').getAttribute('aria-invalid')).toBe(
				'true'
			);
			await checkAxe(browser);
		});

		test('the official creates the city organisation, picking the real city', async () => {
			const { page } = browser;
			profile = await createCityOrganisation(browser, org);
			expect(await heading(page)).toBe(org.name);
			const main = page.getByRole('main');
			expect(await main.textContent()).toContain('Nairobi');
			expect(await main.textContent()).toContain(text('organisations_not_verified'));
			expect(await main.textContent()).not.toContain(text('organisations_badge_verified'));
			await checkAxe(browser);
		});

		test('the owner sees the members page', async () => {
			const { page } = browser;
			const tools = page.getByRole('navigation', { name: text('organisations_member_tools') });
			await clickAndWaitForUrl(page, link(tools, 'organisations_members_link'), (url) =>
				url.pathname.endsWith('/members')
			);
			expect(await heading(page)).toBe(text('organisations_members_title', { name: org.name }));
			expect(await page.getByRole('table').textContent()).toContain(owner.email);
			await checkAxe(browser);
		});

		test('the owner requests verification with an official address and link', async () => {
			const { page } = browser;
			await browser.visit(profile);
			const tools = page.getByRole('navigation', { name: text('organisations_member_tools') });
			await clickAndWaitForUrl(page, link(tools, 'organisations_verification_link'), (url) =>
				url.pathname.endsWith('/verification')
			);
			expect(await heading(page)).toBe(
				text('organisations_verification_title', { name: org.name })
			);
			await checkAxe(browser);

			await fillForm(page, {
				organisations_verification_official_email: org.officialEmail,
				organisations_verification_evidence_url: `${org.website}/about`,
				organisations_verification_note: 'Our smart-city office runs the open data portal.'
			});
			await button(page, 'organisations_verification_submit').click();
			await expect
				.poll(() => page.getByRole('status').first().textContent())
				.toMatch(textPattern('organisations_verification_state_pending'));
			await expect.poll(() => button(page, 'organisations_verification_submit').count()).toBe(0);
			await checkAxe(browser);
			await logout(browser);
		});

		test('a moderator approves the request from the moderation queue', async () => {
			const { page } = browser;
			await login(browser, admin, '/login?redirectTo=/moderation');
			expect(currentPath(page)).toBe('/moderation');
			expect(await heading(page)).toBe(text('organisations_moderation_title'));
			const card = moderationCard(page, org.name);
			expect(await card.textContent()).toContain(org.officialEmail);
			await checkAxe(browser);

			// Rejecting needs a reason the owners will read: the card says so and nothing changes.
			await card.getByRole('button', { name: text('organisations_moderation_reject') }).click();
			await moderationCard(page, org.name).getByRole('alert').waitFor();
			expect(await moderationCard(page, org.name).textContent()).toContain(
				text('organisations_verification_reason_required')
			);
			expect(
				await field(moderationCard(page, org.name), 'organisations_moderation_reason').getAttribute(
					'aria-invalid'
				)
			).toBe('true');
			await checkAxe(browser);

			await moderationCard(page, org.name)
				.getByRole('button', { name: text('organisations_moderation_approve') })
				.click();
			await expect
				.poll(() => page.getByRole('status').first().textContent())
				.toContain(text('organisations_moderation_done_approved'));
			expect(await moderationCard(page, org.name).count()).toBe(0);
			await checkAxe(browser);
			await logout(browser);
		});

		test('the profile shows the verified badge, and the directory finds it with filters', async () => {
			const { page } = browser;
			await browser.visit(profile);
			const title = page.getByRole('heading', { level: 1 });
			expect(await title.textContent()).toContain(text('organisations_badge_verified'));
			await checkAxe(browser);

			await browser.visit('/organisations');
			await checkAxe(browser);
			const filters = page.getByRole('search', { name: text('organisations_filters_label') });
			await field(filters, 'organisations_field_kind').selectOption({
				label: text('vocab_kind_city')
			});
			await field(filters, 'organisations_field_country').selectOption({ label: org.country });
			await filters.getByLabel(text('organisations_filter_verified')).check();
			await fillForm(filters, { organisations_filter_q: org.name });
			await clickAndWaitForUrl(page, button(filters, 'organisations_filter_apply'), (url) =>
				url.searchParams.has('verified')
			);
			const query = new URL(page.url()).searchParams;
			expect(query.get('kind')).toBe('city');
			expect(query.get('country')).toBe('KE');
			const result = page.getByRole('main').getByRole('link', { name: org.name, exact: true });
			expect(await result.count()).toBe(1);
			await checkAxe(browser);

			await clickAndWaitForUrl(page, result, (url) => url.pathname === profile);
		});

		test('logging out ends the session: the account page asks to log in again', async () => {
			const { page } = browser;
			await login(browser, owner);
			await logout(browser);
			await browser.visit('/account');
			expect(currentPath(page)).toBe('/login');
			expect(browser.pageErrors).toEqual([]);
		});
	});
}
