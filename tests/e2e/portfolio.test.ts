import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { login, newUser, register } from './support/accounts';
import { expectNoAxeViolations } from './support/axe';
import { javaScriptIsOn, openBrowser, type TestBrowser } from './support/browser';
import { clickAndWaitForUrl, heading, link } from './support/forms';
import { text } from './support/messages';

type Seeded = {
	slug: string;
	cityName: string;
	partnershipId: string;
	partnershipTitle: string;
	restrictedNeedTitle: string;
};

/** A city owned by this account, with a stale private partnership and a restricted need. */
function seedPortfolio(email: string, stamp: string): Seeded {
	const run = spawnSync(
		process.execPath,
		[
			'--import',
			'tsx',
			resolve('tests/e2e/support/seed-portfolio-script.ts'),
			inject('dbPath'),
			JSON.stringify({ email, stamp })
		],
		{ encoding: 'utf8' }
	);
	if (run.status !== 0) throw new Error(`seeding failed (exit ${run.status}):\n${run.stderr}`);
	return JSON.parse(run.stdout.trim().split('\n').at(-1)!);
}

for (const javaScript of [true, false]) {
	describe(`the portfolio with JavaScript ${javaScript ? 'on' : 'off'}`, () => {
		let browser: TestBrowser;
		const member = newUser(`pf-${javaScript ? 'js' : 'nojs'}`);
		let seeded: Seeded;

		beforeAll(async () => {
			browser = await openBrowser({ javaScript });
			await register(browser, member);
			seeded = seedPortfolio(member.email, `${javaScript ? 'js' : 'nojs'} ${Date.now()}`);
			await login(browser, member);
		});
		afterAll(async () => {
			await browser?.close();
		});

		test('a member opens it from the profile and sees the organisation’s records', async () => {
			const { page } = browser;
			await browser.visit(`/organisations/${seeded.slug}`);
			const tools = page.getByRole('navigation', { name: text('organisations_member_tools') });
			await clickAndWaitForUrl(
				page,
				link(tools, 'portfolio_link'),
				(url) => url.pathname === `/organisations/${seeded.slug}/portfolio`
			);
			expect(await heading(page)).toBe(text('portfolio_title', { name: seeded.cityName }));
			const main = page.getByRole('main');
			// The partnership takes its need's title: find its link by address.
			const partnershipLink = main.locator(`a[href="/partnerships/${seeded.partnershipId}"]`);
			expect(await partnershipLink.textContent()).toBe(seeded.partnershipTitle);
			const content = (await main.textContent()) ?? '';
			expect(content).toContain(seeded.restrictedNeedTitle);
			expect(content).toContain(text('partnershippages_not_public'));
			expect(content).toContain(text('partnershippages_stale_badge'));
			for (const key of [
				'portfolio_summary_heading',
				'portfolio_partnerships_heading',
				'portfolio_needs_heading',
				'portfolio_offers_heading'
			]) {
				await main.getByRole('heading', { level: 2, name: text(key), exact: true }).waitFor();
			}
			if (javaScriptIsOn(page)) await expectNoAxeViolations(page);

			await clickAndWaitForUrl(
				page,
				partnershipLink,
				(url) => url.pathname === `/partnerships/${seeded.partnershipId}`
			);
			expect(await heading(page)).toBe(seeded.partnershipTitle);
		});

		test('in French, with the empty offers section pointing to posting one', async () => {
			const { page } = browser;
			await browser.visit(`/fr/organisations/${seeded.slug}/portfolio`);
			expect(await heading(page)).toBe(text('portfolio_title', { name: seeded.cityName }, 'fr'));
			await page
				.getByRole('link', { name: text('portfolio_post_offer', {}, 'fr'), exact: true })
				.waitFor();
			if (javaScriptIsOn(page)) await expectNoAxeViolations(page);
		});
	});
}
