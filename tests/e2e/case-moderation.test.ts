import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { randomId } from '../../src/lib/server/ids';
import { HttpClient, uniqueEmail } from '../support/http-client';
import { admin, login, logout } from './support/accounts';
import { expectNoAxeViolations } from './support/axe';
import { openBrowser, type TestBrowser } from './support/browser';
import { button, field, heading, submitAndWait } from './support/forms';
import { text } from './support/messages';

const baseUrl = inject('baseUrl');

/** Through the site's own forms over HTTP: an owner writes two cases, submits them, reports one. */
async function submittedCases(label: string) {
	const owner = new HttpClient(baseUrl);
	const password = 'a long enough passphrase';
	const email = uniqueEmail(`casemod-${label}`);
	const expectStatus = async (response: Promise<Response>, status: number) => {
		const settled = await response;
		expect(settled.status, await settled.clone().text()).toBe(status);
		return settled;
	};
	await expectStatus(
		owner.postForm('/register?/register', { name: `Moderated ${label}`, email, password }),
		303
	);
	await expectStatus(owner.postForm('/login?/login', { email, password }), 303);
	const organisationName = `Kisumu smart city office ${label} ${randomId().slice(0, 6)}`;
	const created = await expectStatus(
		owner.postForm('/organisations/new?/create', {
			name: organisationName,
			kind: 'city',
			country: 'KE',
			city: '184745',
			website: 'https://nairobi.go.ke',
			description: 'A city office whose case studies wait for a moderator.',
			languages: ['en']
		}),
		303
	);
	const organisationSlug = created.headers.get('location')!.split('/').pop()!;

	async function writeAndSubmit(title: string) {
		const response = await owner.postForm('/cases/new?/save', {
			organisation: organisationSlug,
			title,
			summary: 'Flood sensors on three rivers send text alerts to residents downstream.',
			context: 'Floods came **without warning**.',
			whatWasDone: 'Installed 12 river level sensors.',
			startYear: '2022',
			endYear: '',
			status: 'pilot',
			language: 'en',
			licence: 'CC-BY-4.0',
			themes: ['S'],
			sdgTargets: ['11.5']
		});
		expect(response.status, await response.clone().text()).toBe(303);
		const path = response.headers.get('location')!.split('?')[0];
		await expectStatus(owner.postForm(`${path}?/submit`, {}), 303);
		return { path, slug: path.split('/').pop()! };
	}

	const toPublish = await writeAndSubmit(
		`Flood alerts & <sensors> "${label}" ]]> ${randomId().slice(0, 6)}`
	);
	const toSendBack = await writeAndSubmit(`River gauges ${label} ${randomId().slice(0, 6)}`);
	// The owners see their own case in review; anyone who can see a case may report it.
	await expectStatus(
		owner.postForm(`${toPublish.path}?/report`, {
			reason: 'inaccurate',
			message: `The number of sensors looks wrong (${label}).`,
			email: 'reader@example.org'
		}),
		303
	);
	return { owner, organisationName, toPublish, toSendBack };
}

/**
 * A city official (through the site's own forms, over HTTP) writes two case studies and submits
 * them, and someone reports a problem with one; then, in the browser, a moderator sends one back
 * (a too-short feedback first), publishes the other and resolves the report, with JavaScript on
 * and off. axe checks /moderation with content when JavaScript is on (axe needs it).
 */
function moderationJourney({ javaScript }: { javaScript: boolean }) {
	const mode = javaScript ? 'with JavaScript' : 'without JavaScript';
	const label = javaScript ? 'js' : 'nojs';

	describe(`case-study moderation ${mode}`, () => {
		let browser: TestBrowser;
		let cases: Awaited<ReturnType<typeof submittedCases>>;

		const card = (slug: string) =>
			browser.page
				.getByRole('listitem')
				.filter({ has: browser.page.locator(`h3[id^="case-"] a[href="/cases/${slug}"]`) });

		/** Clicks a submit button and waits for the outcome: a page load without JS, a settled form with it. */
		const submit = (target: ReturnType<typeof button>, settled: () => Promise<unknown>) =>
			submitAndWait(browser.page, target, settled);

		const status = () => browser.page.getByRole('status').first().textContent();

		beforeAll(async () => {
			cases = await submittedCases(label);
			browser = await openBrowser({ javaScript });
		});
		afterAll(async () => {
			await browser?.close();
		});

		test('the moderator sees both submitted cases and the report', async () => {
			const { page } = browser;
			await login(browser, admin, '/login?redirectTo=/moderation');
			expect(await heading(page)).toBe(text('organisations_moderation_title'));
			expect(await card(cases.toPublish.slug).textContent()).toContain(cases.organisationName);
			expect(await card(cases.toSendBack.slug).count()).toBe(1);
			const main = (await page.getByRole('main').textContent()) ?? '';
			expect(main).toContain(`The number of sensors looks wrong (${label}).`);
			if (javaScript) await expectNoAxeViolations(page);
		});

		test('sending back needs feedback; the typed text is kept; then it goes back to the authors', async () => {
			const item = () => card(cases.toSendBack.slug);
			const feedback = () => field(item(), 'casemod_feedback_label');
			await feedback().fill('Too short');
			await submit(button(item(), 'casemod_reject'), () => item().getByRole('alert').waitFor());
			expect(await item().getByRole('alert').textContent()).toContain(text('form_fix_errors'));
			expect(await item().textContent()).toContain(text('cases_feedback_required'));
			expect(await feedback().inputValue()).toBe('Too short');
			expect(await feedback().getAttribute('aria-invalid')).toBe('true');
			if (javaScript) await expectNoAxeViolations(browser.page);

			await feedback().fill('Please add the number of residents who received alerts.');
			await submit(button(item(), 'casemod_reject'), () =>
				expect.poll(status).toContain(text('casemod_done_rejected'))
			);
			expect(await item().count()).toBe(0);
			const api = await fetch(`${baseUrl}/api/v1/case-studies/${cases.toSendBack.slug}`);
			expect(api.status).toBe(404);
			// Its owners read the feedback on their case.
			const ownerView = await cases.owner.get(cases.toSendBack.path);
			expect(await ownerView.text()).toContain(
				'Please add the number of residents who received alerts.'
			);
		});

		test('publishing makes the case public', async () => {
			const item = card(cases.toPublish.slug);
			await submit(button(item, 'casemod_publish'), () =>
				expect.poll(status).toContain(text('casemod_done_published'))
			);
			expect(await card(cases.toPublish.slug).count()).toBe(0);
			const api = await fetch(`${baseUrl}/api/v1/case-studies/${cases.toPublish.slug}`);
			expect(api.status).toBe(200);
			if (javaScript) await expectNoAxeViolations(browser.page);
		});

		test('the report is resolved and listed as such', async () => {
			const { page } = browser;
			const report = page
				.getByRole('listitem')
				.filter({ hasText: `The number of sensors looks wrong (${label}).` });
			await submit(button(report, 'casemod_resolve'), () =>
				expect.poll(status).toContain(text('casemod_done_resolved'))
			);
			expect(await report.count()).toBe(0);
			expect(
				await page.getByRole('heading', { name: text('casemod_resolved_heading') }).count()
			).toBe(1);
			if (javaScript) await expectNoAxeViolations(page);
			expect(browser.pageErrors).toEqual([]);
			await logout(browser);
		});

		if (javaScript) {
			test('Chromium’s strict XML parser reads the Atom feed with the published naughty title', async () => {
				const { page } = browser;
				await browser.visit('/cases');
				const parsed = await page.evaluate(async () => {
					const xml = await (await fetch('/feeds/case-studies.atom')).text();
					const doc = new DOMParser().parseFromString(xml, 'application/xml');
					return {
						errors: doc.getElementsByTagName('parsererror').length,
						root: doc.documentElement.namespaceURI,
						titles: [...doc.querySelectorAll('entry > title')].map((title) => title.textContent)
					};
				});
				expect(parsed.errors).toBe(0);
				expect(parsed.root).toBe('http://www.w3.org/2005/Atom');
				expect(
					parsed.titles.some((title) => title?.startsWith('Flood alerts & <sensors> "js" ]]>'))
				).toBe(true);
			});
		}
	});
}

moderationJourney({ javaScript: false });
moderationJourney({ javaScript: true });
