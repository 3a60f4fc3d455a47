import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { login, logout, newUser, register, type TestUser } from './support/accounts';
import { expectNoAxeViolations } from './support/axe';
import { javaScriptIsOn, openBrowser, type TestBrowser } from './support/browser';
import { button, field, heading, submitAndWait } from './support/forms';
import {
	acceptIntroduction,
	changePartnershipStatus,
	postPartnershipUpdate,
	savePartnershipResult
} from './support/matchmaking';
import { text } from './support/messages';

/** axe runs scripts in the page: only possible with JavaScript on. */
async function checkAxe(page: TestBrowser['page']) {
	if (javaScriptIsOn(page)) await expectNoAxeViolations(page);
}

type Seeded = { introductionId: string; cityName: string; partnerName: string };

/** A city and a partner owned by these people, and a pending introduction from the partner. */
function seedIntroduction(city: TestUser, partner: TestUser): Seeded {
	const run = spawnSync(
		process.execPath,
		[
			'--import',
			'tsx',
			resolve('tests/e2e/support/seed-introduction-script.ts'),
			inject('dbPath'),
			JSON.stringify({ cityEmail: city.email, partnerEmail: partner.email })
		],
		{ encoding: 'utf8' }
	);
	if (run.status !== 0) throw new Error(`seeding failed (exit ${run.status}):\n${run.stderr}`);
	return JSON.parse(run.stdout.trim().split('\n').at(-1)!);
}

for (const javaScript of [true, false]) {
	describe(`introductions and partnerships with JavaScript ${javaScript ? 'on' : 'off'}`, () => {
		let browser: TestBrowser;
		const cityUser = newUser(`pp-city-${javaScript ? 'js' : 'nojs'}`);
		const partnerUser = newUser(`pp-partner-${javaScript ? 'js' : 'nojs'}`);
		let seeded: Seeded;

		beforeAll(async () => {
			browser = await openBrowser({ javaScript });
			await register(browser, partnerUser);
			await register(browser, cityUser);
			seeded = seedIntroduction(cityUser, partnerUser);
			await login(browser, cityUser);
		});
		afterAll(async () => {
			await browser?.close();
		});

		test('the city sees the request on /introductions and /notifications (axe-clean with JavaScript)', async () => {
			const { page } = browser;
			await browser.visit('/introductions');
			expect(await heading(page)).toBe(text('partnershippages_introductions_title'));
			expect(await page.getByRole('main').textContent()).toContain(seeded.partnerName);
			await checkAxe(page);

			await browser.visit('/notifications');
			expect(await heading(page)).toBe(text('partnershippages_notifications_title'));
			expect(await page.getByRole('main').textContent()).toContain(seeded.partnerName);
			await checkAxe(page);
		});

		test('declining without a note is explained and keeps the form; accepting opens the partnership', async () => {
			const { page } = browser;
			await browser.visit('/introductions');
			await submitAndWait(page, button(page, 'partnershippages_decline'), () =>
				page.getByRole('alert').waitFor()
			);
			expect(await page.getByRole('alert').textContent()).toContain(
				text('partnerships_decline_note_required', { min: '10' })
			);
			const path = await acceptIntroduction(browser, seeded.partnerName, 'Welcome, let us start.');
			expect(path).toMatch(/^\/partnerships\/[^/]+$/);
			expect(await heading(page)).not.toBe('');
			expect(await page.getByRole('main').textContent()).toContain(seeded.partnerName);
			await checkAxe(page);
		});

		test('a party moves it on, posts updates and results; a refused update keeps its text', async () => {
			const { page } = browser;
			const form = page.locator('form[action="?/update"]');
			await field(form, 'partnershippages_field_body').fill('Too short');
			await submitAndWait(page, button(form, 'partnershippages_update_save'), () =>
				page.getByRole('alert').waitFor()
			);
			expect(await field(page, 'partnershippages_field_body').inputValue()).toBe('Too short');

			await changePartnershipStatus(browser, 'agreed');
			await changePartnershipStatus(browser, 'active');
			await postPartnershipUpdate(browser, 'The first study visit trained **12 officers**.');
			expect(await page.locator('strong', { hasText: '12 officers' }).count()).toBe(1);
			await savePartnershipResult(browser, {
				indicator: 'Households warned before floods',
				baseline: '0',
				result: '18000',
				unit: 'households',
				year: '2026'
			});
			await checkAxe(page);

			await browser.visit('/partnerships');
			expect(await heading(page)).toBe(text('partnershippages_list_title'));
			expect(await page.getByRole('main').textContent()).toContain(
				text('partnershippages_not_public')
			);
			await checkAxe(page);
			await logout(browser);
		});
	});
}
