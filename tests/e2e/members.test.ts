import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { login, logout, newUser, register } from './support/accounts';
import { expectNoAxeViolations } from './support/axe';
import { openBrowser, type TestBrowser } from './support/browser';
import { button, clickAndWaitForUrl, field, fillForm, heading } from './support/forms';
import { text, textPattern } from './support/messages';
import { createCityOrganisation, currentPath, newCityOrganisation } from './support/organisations';
import { linkFromLatestEmail } from './support/outbox';

describe('members: an owner invites a colleague, who accepts', () => {
	let browser: TestBrowser;
	const owner = newUser('members-owner');
	const colleague = newUser('members-colleague');
	const org = newCityOrganisation('members');
	let profile = '';

	beforeAll(async () => {
		browser = await openBrowser();
	});
	afterAll(async () => {
		await browser?.close();
	});

	test('the owner invites a colleague by email, after an address without a domain is explained', async () => {
		const { page } = browser;
		await register(browser, owner);
		await login(browser, owner);
		profile = await createCityOrganisation(browser, org);
		await browser.visit(`${profile}/members`);
		expect(await heading(page)).toBe(text('organisations_members_title', { name: org.name }));

		await fillForm(page, { organisations_invite_email: 'colleague@example' });
		await button(page, 'organisations_invite_submit').click();
		await page.getByRole('alert').waitFor();
		expect(await field(page, 'organisations_invite_email').getAttribute('aria-invalid')).toBe(
			'true'
		);
		expect(await field(page, 'organisations_invite_email').inputValue()).toBe('colleague@example');
		await expectNoAxeViolations(page);

		await fillForm(page, { organisations_invite_email: colleague.email });
		await button(page, 'organisations_invite_submit').click();
		await expect
			.poll(() => page.getByRole('status').first().textContent())
			.toContain(text('organisations_done_invited'));
		expect(await page.getByRole('main').textContent()).toContain(colleague.email);
		await expectNoAxeViolations(page);
		await logout(browser);
	});

	test('the colleague registers, opens the emailed invitation, which passes axe, and accepts', async () => {
		const { page } = browser;
		await register(browser, colleague);
		await login(browser, colleague);
		const invitation = linkFromLatestEmail(colleague.email, '/invitations/');
		await browser.visit(invitation);
		expect(await heading(page)).toBe(text('organisations_invitation_title'));
		expect(await page.getByRole('main').textContent()).toMatch(
			textPattern('organisations_invitation_summary')
		);
		await expectNoAxeViolations(page);

		await clickAndWaitForUrl(
			page,
			button(page, 'organisations_invitation_accept'),
			(url) => url.pathname === profile
		);
		expect(await heading(page)).toBe(org.name);

		// The invitation works once.
		await browser.visit(invitation);
		expect(await page.getByRole('alert').count()).toBe(1);
		await expectNoAxeViolations(page);
	});

	test('an editor updates the profile from the edit page, which passes axe', async () => {
		const { page } = browser;
		await browser.visit(`${profile}/edit`);
		expect(await heading(page)).toBe(text('organisations_edit_title', { name: org.name }));
		await expectNoAxeViolations(page);
		const description = `${org.description}\nNow also working on street lighting.`;
		await fillForm(page, { organisations_field_description: description });
		await clickAndWaitForUrl(
			page,
			button(page, 'organisations_save_submit'),
			(url) => url.pathname === profile
		);
		expect(await page.getByRole('main').textContent()).toContain('street lighting');
	});

	test('the members page lists the colleague as an editor', async () => {
		const { page } = browser;
		await browser.visit(`${profile}/members`);
		const row = page.getByRole('row').filter({ hasText: colleague.email });
		expect(await row.textContent()).toContain(text('organisations_role_editor'));
		expect(currentPath(page)).toBe(`${profile}/members`);
		await logout(browser);
		expect(browser.pageErrors).toEqual([]);
	});
});
