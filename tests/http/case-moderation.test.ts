import { beforeAll, describe, expect, inject, it } from 'vitest';
import * as reports from '$lib/server/case-studies/reports';
import { openDatabase } from '$lib/server/db';
import {
	newOrganisation,
	seedCase,
	signedIn,
	signedInAdmin,
	type SignedIn
} from '../support/case-fixtures';
import { HttpClient, queryServerDb } from '../support/http-client';

const baseUrl = inject('baseUrl');
const dbPath = inject('dbPath');

const feedbackRequired = 'Tell the authors what to change (at least 10 characters).';

let moderator: SignedIn;
let owner: SignedIn;
let organisation: { id: string; slug: string; name: string };

const stateOf = (caseStudyId: string) =>
	queryServerDb<{ workflow_state: string; moderator_feedback: string | null }>(
		dbPath,
		'SELECT workflow_state, moderator_feedback FROM case_study WHERE id = ?',
		caseStudyId
	)[0];

const submittedCase = (title: string) =>
	seedCase(dbPath, {
		organisationId: organisation.id,
		authorId: owner.userId,
		state: 'submitted',
		input: { title: `${title} ${Date.now()}` }
	});

function fileReport(caseStudyId: string, message: string, email: string | null) {
	const db = openDatabase(dbPath);
	try {
		return reports.reportProblem(db, null, caseStudyId, { reason: 'inaccurate', message, email });
	} finally {
		db.$client.close();
	}
}

/** The moderation page's HTML as the given client sees it. */
async function moderationPage(client = moderator.client, path = '/moderation') {
	const response = await client.get(path);
	expect(response.status).toBe(200);
	return response.text();
}

beforeAll(async () => {
	moderator = await signedInAdmin(baseUrl, dbPath);
	owner = await signedIn(baseUrl, dbPath, 'mod-owner');
	// Unverified: its members cannot publish, so its cases wait for a moderator.
	organisation = await newOrganisation(owner, dbPath);
});

describe('the case-study review queue', () => {
	it('shows a submitted case, oldest first, with links to the case and its organisation', async () => {
		const older = submittedCase('Older flood sensors');
		const newer = submittedCase('Newer flood sensors');
		const html = await moderationPage();
		expect(html).toContain('Case studies waiting for review');
		expect(html).toContain(`href="/cases/${older.slug}"`);
		expect(html).toContain(`href="/organisations/${organisation.slug}"`);
		expect(html).toContain(`name="caseStudyId" value="${older.id}"`);
		expect(html).toContain('action="?/publishCase"');
		expect(html).toContain('action="?/rejectCase"');
		expect(html.indexOf(`/cases/${older.slug}"`)).toBeLessThan(
			html.indexOf(`/cases/${newer.slug}"`)
		);
		// The moderator may open the unpublished case itself.
		const casePage = await moderator.client.get(`/cases/${older.slug}`);
		expect(casePage.status).toBe(200);
		expect(await casePage.text()).toContain('Older flood sensors');
	});

	it('publishes a submitted case, which then is public', async () => {
		const item = submittedCase('Publish me');
		const before = await new HttpClient(baseUrl).get(`/api/v1/case-studies/${item.slug}`);
		expect(before.status).toBe(404);

		const response = await moderator.client.postForm('/moderation?/publishCase', {
			caseStudyId: item.id
		});
		expect(response.status).toBe(303);
		expect(response.headers.get('location')).toBe('/moderation?done=case-published');
		expect(stateOf(item.id).workflow_state).toBe('published');
		const after = await new HttpClient(baseUrl).get(`/api/v1/case-studies/${item.slug}`);
		expect(after.status).toBe(200);

		const html = await moderationPage(moderator.client, '/moderation?done=case-published');
		expect(html).toContain('The case study is published.');
		expect(html).not.toContain(`name="caseStudyId" value="${item.id}"`);
		expect(html).toContain('Case study published');
	});

	it('sends a case back with feedback, which the owners are emailed', async () => {
		const item = submittedCase('Reject me');
		const feedback = 'Please add the sources & the <results> "before/after", thanks.';
		const response = await moderator.client.postForm('/moderation?/rejectCase', {
			caseStudyId: item.id,
			feedback
		});
		expect(response.status).toBe(303);
		expect(response.headers.get('location')).toBe('/moderation?done=case-rejected');
		expect(stateOf(item.id)).toEqual({ workflow_state: 'draft', moderator_feedback: feedback });

		const mails = queryServerDb<{ subject: string; body: string }>(
			dbPath,
			'SELECT subject, body FROM email_outbox WHERE to_address = ? ORDER BY id DESC',
			owner.email
		);
		expect(mails[0].subject).toContain('Reject me');
		expect(mails[0].body).toContain(feedback);
		expect(mails[0].body).toContain(`${baseUrl}/cases/${item.slug}`);

		const html = await moderationPage(moderator.client, '/moderation?done=case-rejected');
		expect(html).toContain('The case study was sent back to its authors with your feedback.');
		expect(html).not.toContain(`name="caseStudyId" value="${item.id}"`);
		expect(html).toContain('Please add the sources &amp; the &lt;results');
		expect(html).not.toContain('<results>');
	});

	it('asks for feedback of at least 10 characters and keeps what was typed', async () => {
		const item = submittedCase('Feedback needed');
		for (const feedback of [undefined, '', '   ', 'too short']) {
			const fields: Record<string, string> = { caseStudyId: item.id };
			if (feedback !== undefined) fields.feedback = feedback;
			const response = await moderator.client.postForm('/moderation?/rejectCase', fields);
			expect(response.status, JSON.stringify(feedback)).toBe(400);
			const html = await response.text();
			expect(html).toContain('role="alert"');
			expect(html).toContain(feedbackRequired);
			expect(html).toContain(`aria-invalid="true"`);
			expect(html).toContain(
				`aria-describedby="feedback-hint-${item.id} feedback-error-${item.id}"`
			);
			if (feedback) expect(html).toContain(`>${feedback}</textarea>`);
		}
		const long = 'x'.repeat(2001);
		const tooLong = await moderator.client.postForm('/moderation?/rejectCase', {
			caseStudyId: item.id,
			feedback: long
		});
		expect(tooLong.status).toBe(400);
		const html = await tooLong.text();
		expect(html).toContain('The feedback can be at most 2000 characters.');
		expect(html).toContain(`>${long}</textarea>`);
		expect(stateOf(item.id).workflow_state).toBe('submitted');

		// With JavaScript the same failure comes back as data for the page.
		const enhanced = await moderator.client.postForm(
			'/moderation?/rejectCase',
			{ caseStudyId: item.id, feedback: 'short' },
			{ headers: { 'x-sveltekit-action': 'true', accept: 'application/json' } }
		);
		const result = (await enhanced.json()) as { type: string; status: number; data: string };
		expect(result).toMatchObject({ type: 'failure', status: 400 });
		expect(result.data).toContain(feedbackRequired);
		expect(result.data).toContain('short');
	});

	it('answers unknown, missing or stale case ids with a message, not an error page', async () => {
		const unknown = await moderator.client.postForm('/moderation?/publishCase', {
			caseStudyId: 'no-such-case'
		});
		expect(unknown.status).toBe(404);
		expect(await unknown.text()).toContain(
			'This case study does not exist or is not visible to you.'
		);

		const missing = await moderator.client.postForm('/moderation?/publishCase', {});
		expect(missing.status).toBe(400);
		expect(await missing.text()).toContain('This case study does not exist. Reload the page');

		const rejectUnknown = await moderator.client.postForm('/moderation?/rejectCase', {
			caseStudyId: 'no-such-case',
			feedback: 'A perfectly long feedback text.'
		});
		expect(rejectUnknown.status).toBe(404);

		// A case its authors withdrew (now a draft) is not published from the queue.
		const draft = seedCase(dbPath, { organisationId: organisation.id, authorId: owner.userId });
		const stale = await moderator.client.postForm('/moderation?/publishCase', {
			caseStudyId: draft.id
		});
		expect(stale.status).toBe(409);
		expect(await stale.text()).toContain('This case study is draft, so this cannot be done now.');
		expect(stateOf(draft.id).workflow_state).toBe('draft');
		const rejectDraft = await moderator.client.postForm('/moderation?/rejectCase', {
			caseStudyId: draft.id,
			feedback: 'A perfectly long feedback text.'
		});
		expect(rejectDraft.status).toBe(409);
	});
});

describe('reports', () => {
	it('lists an open report with its case, reason, message and reporter, and resolves it', async () => {
		const item = seedCase(dbPath, {
			organisationId: organisation.id,
			authorId: owner.userId,
			state: 'submitted'
		});
		const reportId = fileReport(
			item.id,
			'The <b>numbers</b> & dates are wrong.',
			'reporter@example.org'
		);
		const anonymousId = fileReport(item.id, 'Anonymous: the budget looks wrong.', null);
		const html = await moderationPage();
		expect(html).toContain('Open reports');
		expect(html).toContain(`name="reportId" value="${reportId}"`);
		expect(html).toContain('Inaccurate information');
		expect(html).toContain('The &lt;b>numbers&lt;/b> &amp; dates are wrong.');
		expect(html).toContain('href="mailto:reporter@example.org"');
		expect(html).toContain('Anonymous visitor (no email given)');

		const response = await moderator.client.postForm('/moderation?/resolveReport', { reportId });
		expect(response.status).toBe(303);
		expect(response.headers.get('location')).toBe('/moderation?done=report-resolved');
		const after = await moderationPage(moderator.client, '/moderation?done=report-resolved');
		expect(after).toContain('The report is marked as resolved.');
		expect(after).not.toContain(`name="reportId" value="${reportId}"`);
		expect(after).toContain(`name="reportId" value="${anonymousId}"`);
		expect(after).toContain('Recently resolved reports');

		const again = await moderator.client.postForm('/moderation?/resolveReport', { reportId });
		expect(again.status).toBe(409);
		expect(await again.text()).toContain('This report is already resolved.');
	});

	it('answers an unknown or missing report id with a message', async () => {
		const unknown = await moderator.client.postForm('/moderation?/resolveReport', {
			reportId: 'no-such-report'
		});
		expect(unknown.status).toBe(404);
		expect(await unknown.text()).toContain('This report does not exist.');
		const missing = await moderator.client.postForm('/moderation?/resolveReport', {
			reportId: ''
		});
		expect(missing.status).toBe(400);
		expect(await missing.text()).toContain('This report does not exist.');
	});
});

describe('who may moderate', () => {
	it('refuses the page and every action to members who are not moderators', async () => {
		const item = submittedCase('Not yours to decide');
		const reportId = fileReport(item.id, 'Please check these figures.', null);
		expect((await owner.client.get('/moderation')).status).toBe(403);
		const attempts: [string, Record<string, string>][] = [
			['publishCase', { caseStudyId: item.id }],
			['rejectCase', { caseStudyId: item.id, feedback: 'Rejected by someone without the right.' }],
			['resolveReport', { reportId }]
		];
		for (const [action, fields] of attempts) {
			const response = await owner.client.postForm(`/moderation?/${action}`, fields);
			expect(response.status, action).toBe(403);
		}
		expect(stateOf(item.id).workflow_state).toBe('submitted');
		const [report] = queryServerDb<{ status: string }>(
			dbPath,
			'SELECT status FROM case_study_report WHERE id = ?',
			reportId
		);
		expect(report.status).toBe('open');
	});

	it('sends a signed-out visitor to the login page, for the page and the actions', async () => {
		const visitor = new HttpClient(baseUrl);
		const page = await visitor.get('/moderation');
		expect(page.status).toBe(303);
		expect(page.headers.get('location')).toBe('/login?redirectTo=%2Fmoderation');
		const item = submittedCase('Visitors cannot publish');
		const action = await visitor.postForm('/moderation?/publishCase', { caseStudyId: item.id });
		expect(action.status).toBe(303);
		expect(action.headers.get('location')).toContain('/login?redirectTo=');
		expect(stateOf(item.id).workflow_state).toBe('submitted');
	});
});
