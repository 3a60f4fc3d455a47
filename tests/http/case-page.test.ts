import { beforeAll, describe, expect, inject, it } from 'vitest';
import casepage from '../../messages/casepage/en.json';
import cases from '../../messages/cases/en.json';
import * as caseStudies from '../../src/lib/server/case-studies';
import { openDatabase } from '../../src/lib/server/db';
import { sdgTargetTexts } from '../../src/lib/vocab/sdg-texts';
import {
	newOrganisation,
	seedCase,
	signedIn,
	signedInAdmin,
	type SignedIn
} from '../support/case-fixtures';
import { HttpClient, queryServerDb } from '../support/http-client';

/**
 * The case-study page /cases/{slug}: what it shows to whom, its JSON-LD, and every named action
 * (workflow, review, validations, reports) with its success, its refusals and bad input.
 */

const baseUrl = inject('baseUrl');
const dbPath = inject('dbPath');
const query = <T>(sql: string, ...params: unknown[]) => queryServerDb<T>(dbPath, sql, ...params);

/** Text as the server writes it into HTML (Svelte escapes & and < in text and attributes). */
const html = (value: string) => value.replace(/&/g, '&amp;').replace(/</g, '&lt;');
const fill = (message: string, params: Record<string, string>) =>
	message.replace(/\{(\w+)\}/g, (whole, name: string) => params[name] ?? whole);

const stateOf = (slug: string) =>
	query<{ workflow_state: string }>('SELECT workflow_state FROM case_study WHERE slug = ?', slug)[0]
		.workflow_state;
const validationsOf = (caseId: string) =>
	query<{ organisation_id: string; kind: string; note: string }>(
		'SELECT organisation_id, kind, note FROM case_study_validation WHERE case_study_id = ?',
		caseId
	);

/** Runs domain code against the server's database, as an operator's script would. */
function withServerDb<T>(run: (db: ReturnType<typeof openDatabase>) => T): T {
	const db = openDatabase(dbPath);
	try {
		return run(db);
	} finally {
		db.$client.close();
	}
}

function jsonLdOf(page: string) {
	const match = /<script type="application\/ld\+json">([\s\S]*?)<\/script>/.exec(page);
	expect(match, 'the page has a JSON-LD script').not.toBeNull();
	return JSON.parse(match![1]);
}

let owner: SignedIn;
let ownerOrg: { id: string; slug: string; name: string };
let validator: SignedIn;
let validatorOrg: { id: string; slug: string; name: string };
let unverified: SignedIn;
let unverifiedOrg: { id: string; slug: string; name: string };
let admin: SignedIn;
let adminId: string;
let anonymous: HttpClient;

const published = (input: Partial<caseStudies.CaseStudyInput> = {}) =>
	seedCase(dbPath, {
		organisationId: ownerOrg.id,
		authorId: owner.userId,
		state: 'published',
		input
	});

beforeAll(async () => {
	owner = await signedIn(baseUrl, dbPath, 'case-owner');
	ownerOrg = await newOrganisation(owner, dbPath, { verified: true });
	validator = await signedIn(baseUrl, dbPath, 'case-validator');
	validatorOrg = await newOrganisation(validator, dbPath, { verified: true });
	unverified = await signedIn(baseUrl, dbPath, 'case-unverified');
	unverifiedOrg = await newOrganisation(unverified, dbPath);
	admin = await signedInAdmin(baseUrl, dbPath);
	adminId = admin.userId;
	anonymous = new HttpClient(baseUrl);
});

describe('a published case study', () => {
	let slug: string;
	const title = `Solar street lights for night markets ${Date.now()}`;

	beforeAll(() => {
		({ slug } = published({
			title,
			objectives: 'Light **every** market lane.',
			enablingFactors: 'A committed market committee.',
			constraints: 'Theft of panels.',
			lessons: 'Involve traders from the start.',
			transferability: 'A maintenance budget and a trader committee.',
			endYear: null,
			budget: { amount: 250000, currency: 'USD' },
			fundingModels: ['municipal_budget', 'official_development_assistance'],
			technologies: ['iot'],
			beneficiaryGroups: ['women', 'informal_workers'],
			standards: ['IEC 62124'],
			licence: 'CC-BY-SA-4.0',
			stakeholders: [
				{ name: 'Market traders association', role: 'Co-designed the lanes', organisation: null },
				{ name: validatorOrg.name, role: 'Technical partner', organisation: validatorOrg.slug }
			],
			results: [
				{
					indicator: 'Lit market lanes',
					sdgIndicator: '11.6.2',
					baseline: '0',
					result: '42',
					unit: 'lanes',
					year: 2023,
					source: 'https://nairobi.go.ke/solar-report'
				}
			]
		}));
	});

	it('shows every field of the template to anyone, signed in or not', async () => {
		const response = await anonymous.get(`/cases/${slug}`);
		expect(response.status).toBe(200);
		const page = await response.text();
		expect(page).toContain(`<h1 id="case-title">${html(title)}</h1>`);
		expect(page).toContain(`<title>${html(title)} · CityBridge</title>`);
		expect(page).toContain('The city replaced diesel lamps');
		expect(page).toContain('Nairobi, Kenya');
		expect(page).toContain(`href="/organisations/${ownerOrg.slug}"`);
		expect(page).toContain(casepage.casepage_verified);
		expect(page).toContain(fill(casepage.casepage_period_ongoing, { start: '2021' }));
		expect(page).toContain(cases.cases_status_implemented);
		expect(page).toContain('$250,000');
		expect(page).toContain('Municipal budget');
		expect(page).toContain('Internet of things');
		expect(page).toContain('Informal workers');
		expect(page).toContain('href="/themes/E"');
		expect(page).toContain(html(sdgTargetTexts('11.6').en));
		expect(page).toContain('Night markets were <strong>dark</strong> and unsafe.');
		expect(page).toContain('Light <strong>every</strong> market lane.');
		expect(page).toContain('A committed market committee.');
		expect(page).toContain('Theft of panels.');
		expect(page).toContain('Involve traders from the start.');
		expect(page).toContain('A maintenance budget and a trader committee.');
		expect(page).toContain('Market traders association');
		expect(page).toContain('Co-designed the lanes');
		expect(page).toContain(`href="/organisations/${validatorOrg.slug}"`);
		// The results are a real table with a caption and headers.
		expect(page).toMatch(/<table[^>]*>\s*<caption[^>]*>[^<]*Results of/);
		for (const header of ['indicator', 'sdg', 'baseline', 'value', 'unit', 'year', 'source']) {
			const key = `casepage_result_${header}` as keyof typeof casepage;
			expect(page).toMatch(new RegExp(`<th scope="col"[^>]*>${html(casepage[key])}</th>`));
		}
		expect(page).toMatch(/<th scope="row"[^>]*>Lit market lanes<\/th>/);
		expect(page).toContain('href="/sdg/11.6"');
		expect(page).toContain('href="https://nairobi.go.ke/solar-report"');
		expect(page).toContain('IEC 62124');
		expect(page).toContain('href="https://nairobi.go.ke/solar-markets"');
		expect(page).toContain('href="https://creativecommons.org/licenses/by-sa/4.0/"');
		expect(page).toContain(casepage.casepage_last_reviewed);
		expect(page).toContain(casepage.casepage_published);
		expect(page).toContain(casepage.casepage_updated);
		expect(page).not.toContain(casepage.casepage_out_of_date_title);
		// Nothing to manage for a visitor: no workflow buttons, but the report form.
		for (const action of ['submit', 'withdraw', 'publish', 'archive', 'reviewed', 'validate']) {
			expect(page).not.toContain(`action="?/${action}"`);
		}
		expect(page).toContain('action="?/report"');
		expect(page).toContain(casepage.casepage_validate_signed_out);
	});

	it('is in French under /fr with the official French target text', async () => {
		const response = await anonymous.get(`/fr/cases/${slug}`);
		expect(response.status).toBe(200);
		const page = await response.text();
		expect(page).toContain(html(sdgTargetTexts('11.6').fr));
		expect(page).toContain('Nairobi, Kenya');
		expect(page).toContain('Informations clés');
	});

	it('describes itself in schema.org JSON-LD', async () => {
		const page = await (await anonymous.get(`/cases/${slug}`)).text();
		const data = jsonLdOf(page);
		expect(data['@context']).toBe('https://schema.org');
		expect(data['@type']).toBe('Article');
		expect(data.name).toBe(title);
		expect(data.url).toBe(`${baseUrl}/cases/${slug}`);
		expect(data.inLanguage).toBe('en');
		expect(data.license).toBe('https://creativecommons.org/licenses/by-sa/4.0/');
		expect(data.author).toMatchObject({ '@type': 'Organization', name: ownerOrg.name });
		expect(data.spatialCoverage).toMatchObject({
			'@type': 'Place',
			address: { addressLocality: 'Nairobi', addressCountry: 'KE' }
		});
		expect(Date.parse(data.datePublished)).not.toBeNaN();
		expect(Date.parse(data.dateModified)).not.toBeNaN();
		expect(data.about.map((term: { termCode: string }) => term.termCode)).toEqual(['E', '11.6']);
	});

	it('keeps a title with </script> inside its JSON-LD, inert', async () => {
		const naughty = 'Lights </script><script>alert(1)</script> & more';
		const { slug: naughtySlug } = published({ title: naughty });
		const page = await (await anonymous.get(`/cases/${naughtySlug}`)).text();
		expect(page).not.toContain('<script>alert(1)');
		expect(jsonLdOf(page).name).toBe(naughty);
		expect(page).toContain(`<h1 id="case-title">${html(naughty)}</h1>`);
	});

	it('answers 404 for a case that does not exist', async () => {
		const response = await anonymous.get('/cases/no-such-case-here');
		expect(response.status).toBe(404);
	});
});

describe('an unpublished case study', () => {
	it('is hidden (404) from visitors and other organisations, shown to members and moderators', async () => {
		const { slug } = seedCase(dbPath, { organisationId: ownerOrg.id, authorId: owner.userId });
		expect((await anonymous.get(`/cases/${slug}`)).status).toBe(404);
		expect((await validator.client.get(`/cases/${slug}`)).status).toBe(404);
		const own = await owner.client.get(`/cases/${slug}`);
		expect(own.status).toBe(200);
		const ownPage = await own.text();
		expect(ownPage).toContain(
			html(fill(casepage.casepage_state_draft, { organisation: ownerOrg.name }))
		);
		expect(ownPage).toContain('<meta name="robots" content="noindex"');
		expect(ownPage).toContain('action="?/submit"');
		expect(ownPage).toContain('action="?/publish"');
		expect(ownPage).toContain(`href="/cases/${slug}/edit"`);
		expect(ownPage).toContain(`href="/cases/${slug}/history"`);
		expect(ownPage).toContain(casepage.casepage_validate_not_published);
		const moderator = await admin.client.get(`/cases/${slug}`);
		expect(moderator.status).toBe(200);
	});

	it('shows the moderator feedback to members after a rejection', async () => {
		const { id, slug } = seedCase(dbPath, {
			organisationId: ownerOrg.id,
			authorId: owner.userId,
			state: 'submitted'
		});
		const feedback = 'Please cite the city report for the 42 lanes.';
		withServerDb((db) => caseStudies.reject(db, { id: adminId, siteRole: 'admin' }, id, feedback));
		const page = await (await owner.client.get(`/cases/${slug}`)).text();
		expect(page).toContain(casepage.casepage_feedback_title);
		expect(page).toContain(feedback);
	});
});

describe('workflow actions', () => {
	it('submit: a member asks for review; others cannot even see the draft', async () => {
		const { slug } = seedCase(dbPath, { organisationId: ownerOrg.id, authorId: owner.userId });
		for (const client of [anonymous, validator.client]) {
			const refused = await client.postForm(`/cases/${slug}?/submit`, { intent: 'submit' });
			expect(refused.status).toBe(404);
		}
		expect(stateOf(slug)).toBe('draft');
		const done = await owner.client.postForm(`/cases/${slug}?/submit`, { intent: 'submit' });
		expect(done.status).toBe(303);
		expect(done.headers.get('location')).toBe(`/cases/${slug}?done=submitted`);
		expect(stateOf(slug)).toBe('submitted');
		const page = await (await owner.client.get(`/cases/${slug}?done=submitted`)).text();
		expect(page).toContain(casepage.casepage_done_submitted);
		expect(page).toContain(
			html(fill(casepage.casepage_state_submitted, { organisation: ownerOrg.name }))
		);
		expect(page).toContain('action="?/withdraw"');

		// Submitting twice is a broken rule: 409 with the rule's message.
		const again = await owner.client.postForm(`/cases/${slug}?/submit`, { intent: 'submit' });
		expect(again.status).toBe(409);
		expect(await again.text()).toContain('This case study is submitted for review');
	});

	it('withdraw: a member takes a submitted case back to draft', async () => {
		const { slug } = seedCase(dbPath, {
			organisationId: ownerOrg.id,
			authorId: owner.userId,
			state: 'submitted'
		});
		const refused = await validator.client.postForm(`/cases/${slug}?/withdraw`, {});
		expect(refused.status).toBe(404);
		const done = await owner.client.postForm(`/cases/${slug}?/withdraw`, {});
		expect(done.status).toBe(303);
		expect(done.headers.get('location')).toBe(`/cases/${slug}?done=withdrawn`);
		expect(stateOf(slug)).toBe('draft');
	});

	it('publish: a verified member and a moderator may; an unverified member may not', async () => {
		const own = seedCase(dbPath, { organisationId: ownerOrg.id, authorId: owner.userId });
		const done = await owner.client.postForm(`/cases/${own.slug}?/publish`, {});
		expect(done.status).toBe(303);
		expect(done.headers.get('location')).toBe(`/cases/${own.slug}?done=published`);
		expect(stateOf(own.slug)).toBe('published');
		expect((await anonymous.get(`/cases/${own.slug}`)).status).toBe(200);

		const other = seedCase(dbPath, {
			organisationId: unverifiedOrg.id,
			authorId: unverified.userId,
			state: 'submitted'
		});
		const page = await (await unverified.client.get(`/cases/${other.slug}`)).text();
		expect(page).not.toContain('action="?/publish"');
		const refused = await unverified.client.postForm(`/cases/${other.slug}?/publish`, {});
		expect(refused.status).toBe(403);
		expect(stateOf(other.slug)).toBe('submitted');

		const moderated = await admin.client.postForm(`/cases/${other.slug}?/publish`, {});
		expect(moderated.status).toBe(303);
		expect(stateOf(other.slug)).toBe('published');
	});

	it('archive: needs the confirmation, then hides the case from the public', async () => {
		const { slug } = published();
		const stranger = await validator.client.postForm(`/cases/${slug}?/archive`, {
			intent: 'archive',
			confirm: 'yes'
		});
		expect(stranger.status).toBe(403);
		const signedOut = await anonymous.postForm(`/cases/${slug}?/archive`, { confirm: 'yes' });
		expect(signedOut.status).toBe(401);
		expect(stateOf(slug)).toBe('published');

		const unconfirmed = await owner.client.postForm(`/cases/${slug}?/archive`, {
			intent: 'archive'
		});
		expect(unconfirmed.status).toBe(400);
		const page = await unconfirmed.text();
		expect(page).toContain('role="alert"');
		expect(page).toContain(casepage.casepage_archive_confirm_required);
		expect(page).toContain('id="archive-confirm-error"');
		expect(stateOf(slug)).toBe('published');

		const done = await owner.client.postForm(`/cases/${slug}?/archive`, {
			intent: 'archive',
			confirm: 'yes'
		});
		expect(done.status).toBe(303);
		expect(done.headers.get('location')).toBe(`/cases/${slug}?done=archived`);
		expect(stateOf(slug)).toBe('archived');
		expect((await anonymous.get(`/cases/${slug}`)).status).toBe(404);
		const ownPage = await (await owner.client.get(`/cases/${slug}`)).text();
		expect(ownPage).toContain(
			html(fill(casepage.casepage_state_archived, { organisation: ownerOrg.name }))
		);
		expect(ownPage).not.toContain('action="?/archive"');
	});

	it('reviewed: the owner clears the "may be out of date" notice', async () => {
		const { id, slug } = published();
		const threeYearsAgo = Date.now() - 3 * 365 * 86_400_000;
		withServerDb((db) =>
			db.$client
				.prepare('UPDATE case_study SET last_reviewed_at = ? WHERE id = ?')
				.run(threeYearsAgo, id)
		);
		const stale = await (await anonymous.get(`/cases/${slug}`)).text();
		expect(stale).toContain(casepage.casepage_out_of_date_title);
		expect(stale).toContain(cases.cases_out_of_date);

		const refused = await validator.client.postForm(`/cases/${slug}?/reviewed`, {});
		expect(refused.status).toBe(403);
		const reviewedAt = () =>
			query<{ last_reviewed_at: number }>(
				'SELECT last_reviewed_at FROM case_study WHERE id = ?',
				id
			)[0].last_reviewed_at;
		expect(reviewedAt()).toBe(threeYearsAgo);

		const done = await owner.client.postForm(`/cases/${slug}?/reviewed`, {});
		expect(done.status).toBe(303);
		expect(done.headers.get('location')).toBe(`/cases/${slug}?done=reviewed`);
		expect(Date.now() - reviewedAt()).toBeLessThan(60_000);
		const fresh = await (await anonymous.get(`/cases/${slug}`)).text();
		expect(fresh).not.toContain(casepage.casepage_out_of_date_title);
	});

	it('answers unknown action names as bad requests, not errors', async () => {
		const { slug } = published();
		const response = await owner.client.postForm(`/cases/${slug}?/nonsense`, {});
		expect(response.status).toBeGreaterThanOrEqual(400);
		expect(response.status).toBeLessThan(500);
	});
});

describe('validations', () => {
	let caseId: string;
	let slug: string;
	let replication: { id: string; slug: string };

	beforeAll(() => {
		({ id: caseId, slug } = published());
		replication = seedCase(dbPath, {
			organisationId: validatorOrg.id,
			authorId: validator.userId,
			state: 'published',
			input: { title: `Solar lights replicated in our market ${Date.now()}` }
		});
	});

	it('explains to each viewer whether and why they may validate', async () => {
		const forValidator = await (await validator.client.get(`/cases/${slug}`)).text();
		expect(forValidator).toContain('action="?/validate"');
		expect(forValidator).toContain(`<option value="${validatorOrg.id}"`);
		expect(forValidator).toContain(`<option value="${replication.slug}"`);
		const forOwner = await (await owner.client.get(`/cases/${slug}`)).text();
		expect(forOwner).not.toContain('action="?/validate"');
		expect(forOwner).toContain(casepage.casepage_validate_own);
		const forUnverified = await (await unverified.client.get(`/cases/${slug}`)).text();
		expect(forUnverified).not.toContain('action="?/validate"');
		expect(forUnverified).toContain(casepage.casepage_validate_not_verified);
		const forVisitor = await (await anonymous.get(`/cases/${slug}`)).text();
		expect(forVisitor).toContain(casepage.casepage_validate_signed_out);
		expect(forVisitor).toContain(
			`href="/login?redirectTo=${encodeURIComponent(`/cases/${slug}`)}"`
		);
	});

	it('refuses bad input with field messages and keeps what was typed', async () => {
		const post = (fields: Record<string, string>) =>
			validator.client.postForm(`/cases/${slug}?/validate`, { intent: 'validate', ...fields });

		const noKind = await post({ organisationId: validatorOrg.id, note: 'Typed note kept here.' });
		expect(noKind.status).toBe(400);
		let page = await noKind.text();
		expect(page).toContain(html(cases.cases_validation_kind_invalid));
		expect(page).toContain('Typed note kept here.</textarea>');

		const wrongKind = await post({
			organisationId: validatorOrg.id,
			kind: 'approved',
			note: 'We approve.'
		});
		expect(wrongKind.status).toBe(400);
		expect(await wrongKind.text()).toContain(html(cases.cases_validation_kind_invalid));

		const tooLong = await post({
			organisationId: validatorOrg.id,
			kind: 'reviewed',
			note: 'x'.repeat(2001)
		});
		expect(tooLong.status).toBe(400);
		page = await tooLong.text();
		expect(page).toContain(fill(cases.cases_text_too_long, { max: '2000' }));
		expect(page).toContain(`${'x'.repeat(2001)}</textarea>`);

		const shortReview = await post({
			organisationId: validatorOrg.id,
			kind: 'reviewed',
			note: 'ok'
		});
		expect(shortReview.status).toBe(400);
		expect(await shortReview.text()).toContain(html(cases.cases_validation_note_required));

		const unknownOrganisation = await post({
			organisationId: 'no-such-organisation',
			kind: 'reviewed',
			note: 'We checked the lanes in person.'
		});
		expect(unknownOrganisation.status).toBe(403);
		page = await unknownOrganisation.text();
		expect(page).toContain(html(cases.cases_validation_not_member));
		expect(page).toContain('We checked the lanes in person.</textarea>');

		const missingOrganisation = await post({ kind: 'reviewed', note: 'We checked it.' });
		expect(missingOrganisation.status).toBe(400);
		expect(await missingOrganisation.text()).toContain(html(cases.cases_validation_not_member));

		const noReplication = await post({
			organisationId: validatorOrg.id,
			kind: 'replicated',
			note: ''
		});
		expect(noReplication.status).toBe(400);
		expect(await noReplication.text()).toContain(html(cases.cases_replication_required));

		const notOwnReplication = await post({
			organisationId: validatorOrg.id,
			kind: 'replicated',
			replicationSlug: slug
		});
		expect(notOwnReplication.status).toBe(400);
		expect(await notOwnReplication.text()).toContain(html(cases.cases_replication_not_own));

		expect(validationsOf(caseId)).toEqual([]);
	});

	it('refuses the owner (no self-validation), unverified organisations and visitors', async () => {
		const own = await owner.client.postForm(`/cases/${slug}?/validate`, {
			intent: 'validate',
			organisationId: ownerOrg.id,
			kind: 'reviewed',
			note: 'Our own case is great.'
		});
		expect(own.status).toBe(403);
		expect(await own.text()).toContain(html(cases.cases_validation_own_case));

		const notVerified = await unverified.client.postForm(`/cases/${slug}?/validate`, {
			intent: 'validate',
			organisationId: unverifiedOrg.id,
			kind: 'reviewed',
			note: 'We looked at it closely.'
		});
		expect(notVerified.status).toBe(403);
		expect(await notVerified.text()).toContain(html(cases.cases_validation_not_verified));

		const someoneElses = await unverified.client.postForm(`/cases/${slug}?/validate`, {
			intent: 'validate',
			organisationId: validatorOrg.id,
			kind: 'reviewed',
			note: 'Pretending to be them.'
		});
		expect(someoneElses.status).toBe(403);

		const signedOut = await anonymous.postForm(`/cases/${slug}?/validate`, {
			organisationId: validatorOrg.id,
			kind: 'reviewed',
			note: 'Anonymous review here.'
		});
		expect(signedOut.status).toBe(401);
		expect(validationsOf(caseId)).toEqual([]);
	});

	it('records one validation per organisation: the second post edits it', async () => {
		const naughty = `<script>alert("v")</script> "><img src=x onerror=alert(2)> ‮ 𝕋𝕖𝕤𝕥 ١٢٣ note`;
		const first = await validator.client.postForm(`/cases/${slug}?/validate`, {
			intent: 'validate',
			organisationId: validatorOrg.id,
			kind: 'reviewed',
			note: naughty
		});
		expect(first.status).toBe(303);
		expect(first.headers.get('location')).toBe(`/cases/${slug}?done=validated`);
		expect(validationsOf(caseId)).toEqual([
			{ organisation_id: validatorOrg.id, kind: 'reviewed', note: naughty.trim() }
		]);
		let page = await (await anonymous.get(`/cases/${slug}`)).text();
		expect(page).not.toContain('<script>alert("v")');
		expect(page).toContain(html('<script>alert("v")</script>'));
		expect(page).toContain(
			fill(casepage.casepage_validations_counts, { reviewed: '1', replicated: '0' })
		);

		// The form comes back prefilled for an edit.
		page = await (await validator.client.get(`/cases/${slug}`)).text();
		expect(page).toContain(casepage.casepage_validate_edit_title);
		expect(page).toContain(casepage.casepage_validate_update);

		const second = await validator.client.postForm(`/cases/${slug}?/validate`, {
			intent: 'validate',
			organisationId: validatorOrg.id,
			kind: 'replicated',
			note: 'We built the same lanes at home.',
			replicationSlug: replication.slug
		});
		expect(second.status).toBe(303);
		expect(second.headers.get('location')).toBe(`/cases/${slug}?done=validation_updated`);
		expect(validationsOf(caseId)).toEqual([
			{
				organisation_id: validatorOrg.id,
				kind: 'replicated',
				note: 'We built the same lanes at home.'
			}
		]);
		page = await (await anonymous.get(`/cases/${slug}`)).text();
		expect(page).toContain(
			fill(casepage.casepage_validations_counts, { reviewed: '0', replicated: '1' })
		);
		expect(page).toContain(`href="/cases/${replication.slug}"`);
		// The remove button is only for the validating organisation's members.
		expect(page).not.toContain('action="?/removeValidation"');
	});

	it('removes a validation only for a member of the validating organisation', async () => {
		expect(validationsOf(caseId)).toHaveLength(1);
		const stranger = await unverified.client.postForm(`/cases/${slug}?/removeValidation`, {
			intent: 'removeValidation',
			organisationId: validatorOrg.id
		});
		expect(stranger.status).toBe(403);
		const signedOut = await anonymous.postForm(`/cases/${slug}?/removeValidation`, {
			organisationId: validatorOrg.id
		});
		expect(signedOut.status).toBe(401);
		const missing = await validator.client.postForm(`/cases/${slug}?/removeValidation`, {
			intent: 'removeValidation'
		});
		expect(missing.status).toBe(400);
		expect(validationsOf(caseId)).toHaveLength(1);

		const page = await (await validator.client.get(`/cases/${slug}`)).text();
		expect(page).toContain('action="?/removeValidation"');
		const done = await validator.client.postForm(`/cases/${slug}?/removeValidation`, {
			intent: 'removeValidation',
			organisationId: validatorOrg.id
		});
		expect(done.status).toBe(303);
		expect(done.headers.get('location')).toBe(`/cases/${slug}?done=validation_removed`);
		expect(validationsOf(caseId)).toEqual([]);
	});

	it('cannot validate a case the validator cannot see', async () => {
		const draft = seedCase(dbPath, { organisationId: ownerOrg.id, authorId: owner.userId });
		const response = await validator.client.postForm(`/cases/${draft.slug}?/validate`, {
			organisationId: validatorOrg.id,
			kind: 'reviewed',
			note: 'Reviewing a hidden draft.'
		});
		expect(response.status).toBe(404);
		expect(validationsOf(draft.id)).toEqual([]);
	});
});

describe('reporting a problem', () => {
	const reportsOf = (caseId: string) =>
		query<{
			reason: string;
			message: string;
			reporter_email: string | null;
			reporter_id: string | null;
		}>(
			'SELECT reason, message, reporter_email, reporter_id FROM case_study_report WHERE case_study_id = ? ORDER BY created_at',
			caseId
		);

	it('takes a report from a signed-out visitor and from a member', async () => {
		const { id, slug } = published();
		const visitor = new HttpClient(baseUrl);
		const done = await visitor.postForm(`/cases/${slug}?/report`, {
			intent: 'report',
			reason: 'outdated',
			message: 'The portal now lists 120 services.',
			email: 'reader@example.org'
		});
		expect(done.status).toBe(303);
		expect(done.headers.get('location')).toBe(`/cases/${slug}?done=reported`);
		const member = await validator.client.postForm(`/cases/${slug}?/report`, {
			intent: 'report',
			reason: 'inaccurate',
			message: 'The budget figure is in KES, not USD.'
		});
		expect(member.status).toBe(303);
		expect(reportsOf(id)).toEqual([
			{
				reason: 'outdated',
				message: 'The portal now lists 120 services.',
				reporter_email: 'reader@example.org',
				reporter_id: null
			},
			{
				reason: 'inaccurate',
				message: 'The budget figure is in KES, not USD.',
				reporter_email: null,
				reporter_id: validator.userId
			}
		]);
		const page = await (await visitor.get(`/cases/${slug}?done=reported`)).text();
		expect(page).toContain(casepage.casepage_done_reported);
	});

	it('refuses bad input with field messages and keeps what was typed', async () => {
		const { id, slug } = published();
		const visitor = new HttpClient(baseUrl);
		const response = await visitor.postForm(`/cases/${slug}?/report`, {
			intent: 'report',
			reason: 'boring',
			message: 'short',
			email: 'not an email <script>'
		});
		expect(response.status).toBe(400);
		const page = await response.text();
		expect(page).toContain(html(cases.cases_report_reason_invalid));
		expect(page).toContain(html(cases.cases_report_message_required));
		expect(page).toContain(html(cases.cases_report_email_invalid));
		expect(page).toContain('>short</textarea>');
		expect(page).toContain('value="not an email &lt;script>"');
		expect(page).toMatch(/<details[^>]*open/);

		const oversize = await visitor.postForm(`/cases/${slug}?/report`, {
			intent: 'report',
			reason: 'other',
			message: 'y'.repeat(2001)
		});
		expect(oversize.status).toBe(400);
		expect(await oversize.text()).toContain(fill(cases.cases_text_too_long, { max: '2000' }));

		const missing = await visitor.postForm(`/cases/${slug}?/report`, {});
		expect(missing.status).toBe(400);
		expect(reportsOf(id)).toEqual([]);
	});

	it('answers a script (JS form) with the failure as JSON', async () => {
		const { slug } = published();
		const response = await anonymous.postForm(
			`/cases/${slug}?/report`,
			{ intent: 'report', reason: 'spam', message: '' },
			{ headers: { 'x-sveltekit-action': 'true', accept: 'application/json' } }
		);
		expect(response.status).toBe(200);
		const body = (await response.json()) as { type: string; status: number };
		expect(body).toMatchObject({ type: 'failure', status: 400 });
	});

	it('cannot report a case the visitor cannot see, and limits reports per address', async () => {
		const draft = seedCase(dbPath, { organisationId: ownerOrg.id, authorId: owner.userId });
		const hidden = await anonymous.postForm(`/cases/${draft.slug}?/report`, {
			reason: 'spam',
			message: 'Reporting a hidden draft.'
		});
		expect(hidden.status).toBe(404);
		expect(reportsOf(draft.id)).toEqual([]);

		const { slug } = published();
		const flooder = new HttpClient(baseUrl);
		let limited: Response | null = null;
		for (let attempt = 0; attempt < 40 && !limited; attempt += 1) {
			const response = await flooder.postForm(`/cases/${slug}?/report`, {
				intent: 'report',
				reason: 'spam',
				message: `Report number ${attempt} about this case.`
			});
			if (response.status === 429) limited = response;
			else expect(response.status).toBe(303);
		}
		expect(limited, 'a flood of reports is stopped').not.toBeNull();
		expect(limited!.headers.get('retry-after')).toMatch(/^\d+$/);
		expect(await limited!.text()).toContain('Report number');
	});
});
