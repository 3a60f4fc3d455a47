import sharp from 'sharp';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import cases from '../../messages/cases/en.json';
import vocab from '../../messages/vocab/en.json';
import { randomId } from '../../src/lib/server/ids';
import {
	caseFormFields,
	newOrganisation,
	signedIn,
	signedInAdmin,
	type SignedIn
} from '../support/case-fixtures';
import { HttpClient, queryServerDb } from '../support/http-client';

/**
 * Issue 3's HTTP journey across the case pages, the editor, the moderation queue, the API and the
 * feed: a member of an unverified city writes a case with the editor form and submits it; until a
 * moderator publishes it nobody else can find it anywhere; then everybody can. Around it: editing
 * someone else's case is refused, and bad input is refused with field messages and echoed back.
 */

const baseUrl = inject('baseUrl');
const dbPath = inject('dbPath');
const query = <T>(sql: string, ...params: unknown[]) => queryServerDb<T>(dbPath, sql, ...params);

type CaseRow = {
	id: string;
	slug: string;
	title: string;
	summary: string;
	context: string;
	workflow_state: string;
	organisation_id: string;
	revision_count: number;
};
const caseRow = (slug: string) =>
	query<CaseRow>(
		`SELECT id, slug, title, summary, context, workflow_state, organisation_id, revision_count
		 FROM case_study WHERE slug = ?`,
		slug
	)[0];
const caseCount = (organisationId: string) =>
	query<{ n: number }>(
		'SELECT count(*) AS n FROM case_study WHERE organisation_id = ?',
		organisationId
	)[0].n;

/** Text as Svelte writes it into HTML text and attribute values. */
const escaped = (text: string) =>
	text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('"', '&quot;');

/** The opening tag of the form control named `name` (input, textarea or select). */
function controlTag(html: string, name: string): string {
	const pattern = new RegExp(
		`<(?:input|textarea|select)\\b[^>]*\\bname="${name.replace(/[.[\]]/g, '\\$&')}"[^>]*>`
	);
	const match = html.match(pattern);
	expect(match, `a form control named "${name}"`).not.toBeNull();
	return match![0];
}

/** The value a re-rendered form holds for a text input or textarea. */
function echoedValue(html: string, name: string): string | null {
	const tag = controlTag(html, name);
	if (tag.startsWith('<textarea')) {
		const start = html.indexOf(tag) + tag.length;
		return html.slice(start, html.indexOf('</textarea>', start)).replace(/^\n/, '');
	}
	return tag.match(/\bvalue="([^"]*)"/)?.[1] ?? null;
}

/** The checkbox of a group (`themes`) with this value, checked or not. */
function checkbox(html: string, name: string, value: string): string {
	const match = html.match(
		new RegExp(
			`<input\\b(?=[^>]*\\bname="${name}")(?=[^>]*\\bvalue="${value.replace(/\./g, '\\.')}")[^>]*>`
		)
	);
	expect(match, `checkbox ${name}=${value}`).not.toBeNull();
	return match![0];
}

/** A failed no-JS post: the form again with the status, the error summary and the field's message. */
function expectFieldError(html: string, name: string, message: string) {
	expect(html, `message for ${name}`).toContain(escaped(message));
	expect(controlTag(html, name), `${name} marked invalid`).toMatch(/aria-invalid="true"/);
}

/** The page's h1 holds this text (possibly inside other elements). */
const headingWith = (title: string) =>
	new RegExp(
		`<h1\\b[^>]*>(?:(?!</h1>)[\\s\\S])*${escaped(title).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`
	);

const uniqueTitle = (label: string) =>
	`Journey ${label} ${randomId().slice(0, 8)} solar market lights`;

async function createWithEditor(
	author: SignedIn,
	organisationSlug: string,
	fields = caseFormFields()
) {
	const response = await author.client.postForm(
		`/cases/new?organisation=${organisationSlug}&/save`,
		fields
	);
	expect(response.status, await describeFailure(response)).toBe(303);
	const location = response.headers.get('location') ?? '';
	// The case page, possibly with a one-time notice ("?done=created").
	const match = location.match(/^\/cases\/([a-z0-9-]+)(?:\?[^/]*)?$/);
	expect(match, `redirect to ${location}`).not.toBeNull();
	return match![1];
}

async function describeFailure(response: Response): Promise<string> {
	if (response.status < 400) return `status ${response.status}`;
	const body = await response.clone().text();
	const alert = body.match(/role="alert"[^>]*>([\s\S]{0,400})/)?.[1]?.replace(/<[^>]+>/g, ' ');
	return `status ${response.status}: ${(alert ?? body.slice(0, 300)).replace(/\s+/g, ' ')}`;
}

type ApiCase = {
	slug: string;
	title: string;
	themes: string[];
	sdgTargets: string[];
	url: string;
};

async function apiList(client: HttpClient, search = ''): Promise<ApiCase[]> {
	const response = await client.get(`/api/v1/case-studies?limit=100${search}`, {
		accept: 'application/json'
	});
	expect(response.status).toBe(200);
	expect(response.headers.get('content-type')).toMatch(/^application\/json/);
	const body = (await response.json()) as { data: ApiCase[]; next: string | null; total: number };
	expect(Array.isArray(body.data)).toBe(true);
	return body.data;
}

async function apiCsv(client: HttpClient): Promise<string> {
	const response = await client.get('/api/v1/case-studies?limit=100&format=csv');
	expect(response.status).toBe(200);
	expect(response.headers.get('content-type')).toMatch(/^text\/csv/);
	return response.text();
}

async function atom(client: HttpClient, search = ''): Promise<string> {
	const response = await client.get(`/feeds/case-studies.atom${search}`);
	expect(response.status).toBe(200);
	expect(response.headers.get('content-type')).toMatch(/^application\/atom\+xml/);
	return response.text();
}

async function html(client: HttpClient, path: string): Promise<string> {
	const response = await client.get(path);
	expect(response.status, path).toBe(200);
	return response.text();
}

/** The public places where a published case shows up, as HTML pages. */
const listingPages = (organisationSlug: string) => [
	'/cases',
	'/cases?theme=E',
	'/cases?sdg=11.6',
	`/cases?organisation=${organisationSlug}`,
	`/organisations/${organisationSlug}`,
	'/themes/E',
	'/sdg/11.6'
];

async function expectHiddenFrom(
	client: HttpClient,
	who: string,
	kase: { slug: string; title: string },
	organisationSlug: string
) {
	const link = `/cases/${kase.slug}`;
	for (const path of [link, `/fr${link}`]) {
		expect((await client.get(path)).status, `${who}: ${path}`).toBe(404);
	}
	for (const path of listingPages(organisationSlug)) {
		const body = await html(client, path);
		expect(body, `${who}: ${path}`).not.toContain(kase.title);
		expect(body, `${who}: ${path}`).not.toContain(`href="${link}"`);
	}
	expect(
		(await apiList(client)).map((item) => item.slug),
		`${who}: API`
	).not.toContain(kase.slug);
	expect(
		(await apiList(client, '&theme=E')).map((item) => item.slug),
		`${who}: API ?theme=E`
	).not.toContain(kase.slug);
	const csv = await apiCsv(client);
	expect(csv, `${who}: CSV`).not.toContain(kase.slug);
	expect(csv, `${who}: CSV`).not.toContain(kase.title);
	const detail = await client.get(`/api/v1/case-studies/${kase.slug}`, {
		accept: 'application/json'
	});
	expect(detail.status, `${who}: API detail`).toBe(404);
	expect(detail.headers.get('content-type')).toMatch(/^application\/problem\+json/);
	expect(await detail.text()).not.toContain(kase.title);
	for (const search of ['', '?theme=E']) {
		const feed = await atom(client, search);
		expect(feed, `${who}: Atom ${search}`).not.toContain(kase.title);
		expect(feed, `${who}: Atom ${search}`).not.toContain(link);
	}
}

async function expectVisibleTo(
	client: HttpClient,
	who: string,
	kase: { slug: string; title: string },
	organisationSlug: string
) {
	const link = `/cases/${kase.slug}`;
	const page = await html(client, link);
	expect(page).toMatch(headingWith(kase.title));
	expect(page, 'Markdown rendered on the page').toContain('<strong>dark</strong>');
	for (const path of listingPages(organisationSlug)) {
		expect(await html(client, path), `${who}: ${path}`).toContain(`href="${link}"`);
	}
	const item = (await apiList(client)).find((entry) => entry.slug === kase.slug);
	expect(item, `${who}: API list`).toBeDefined();
	expect(item).toMatchObject({ title: kase.title, themes: ['E'], sdgTargets: ['11.6'] });
	expect(item!.url).toBe(`${baseUrl}${link}`);
	expect((await apiList(client, '&theme=E&sdg=11.6')).map((entry) => entry.slug)).toContain(
		kase.slug
	);
	expect((await apiList(client, '&theme=S')).map((entry) => entry.slug)).not.toContain(kase.slug);
	expect(await apiCsv(client), `${who}: CSV`).toContain(kase.title);
	const detail = await client.get(`/api/v1/case-studies/${kase.slug}`, {
		accept: 'application/json'
	});
	expect(detail.status, `${who}: API detail`).toBe(200);
	const body = (await detail.json()) as ApiCase | { data: ApiCase };
	expect('data' in body ? body.data : body).toMatchObject({ slug: kase.slug, title: kase.title });
	const feed = await atom(client);
	expect(feed, `${who}: Atom`).toContain(kase.title);
	expect(feed, `${who}: Atom`).toContain(`${baseUrl}${link}`);
	expect(await atom(client, '?theme=E'), `${who}: Atom ?theme=E`).toContain(kase.title);
	expect(await atom(client, '?theme=S'), `${who}: Atom ?theme=S`).not.toContain(kase.title);
}

describe('case study journey: written by an unverified city, published by a moderator', () => {
	let author: SignedIn;
	let outsider: SignedIn;
	let admin: SignedIn;
	const anonymous = () => new HttpClient(baseUrl);
	let organisation: { id: string; slug: string; name: string };
	const title = uniqueTitle('unverified');
	let slug = '';
	let coverPath = '';

	beforeAll(async () => {
		author = await signedIn(baseUrl, dbPath, 'case-author');
		organisation = await newOrganisation(author, dbPath);
		outsider = await signedIn(baseUrl, dbPath, 'case-outsider');
		await newOrganisation(outsider, dbPath);
		admin = await signedInAdmin(baseUrl, dbPath);
	});

	it('the editor opens for a member, with the organisation named', async () => {
		const response = await author.client.get(`/cases/new?organisation=${organisation.slug}`);
		expect(response.status).toBe(200);
		const body = await response.text();
		expect(body).toContain(escaped(organisation.name));
		for (const name of ['title', 'summary', 'context', 'startYear', 'results.0.indicator']) {
			controlTag(body, name);
		}
	});

	it('the preview renders the Markdown and keeps every field, without saving', async () => {
		const before = caseCount(organisation.id);
		const fields = caseFormFields({ title });
		const response = await author.client.postForm(
			`/cases/new?organisation=${organisation.slug}&/preview`,
			fields
		);
		expect(response.status, await describeFailure(response)).toBe(200);
		const body = await response.text();
		expect(body).toContain('<strong>dark</strong>');
		expect(echoedValue(body, 'title')).toBe(title);
		expect(echoedValue(body, 'context')).toBe(escaped(fields.context as string));
		expect(echoedValue(body, 'results.0.unit')).toBe('lanes');
		expect(checkbox(body, 'themes', 'E')).toMatch(/\bchecked\b/);
		expect(checkbox(body, 'sdgTargets', '11.6')).toMatch(/\bchecked\b/);
		expect(caseCount(organisation.id)).toBe(before);
	});

	it('a member of the unverified organisation saves a draft through the editor form', async () => {
		slug = await createWithEditor(author, organisation.slug, caseFormFields({ title }));
		const row = caseRow(slug);
		expect(row).toMatchObject({
			title,
			workflow_state: 'draft',
			organisation_id: organisation.id,
			revision_count: 1
		});
		const results = query<{ indicator: string; result: string; unit: string }>(
			'SELECT indicator, result, unit FROM case_study_result WHERE case_study_id = ?',
			row.id
		);
		expect(results).toEqual([{ indicator: 'Lit market lanes', result: '42', unit: 'lanes' }]);
		const tags = query<{ vocabulary: string; value: string }>(
			'SELECT vocabulary, value FROM case_study_tag WHERE case_study_id = ? ORDER BY vocabulary, value',
			row.id
		);
		expect(tags).toEqual([
			{ vocabulary: 'domain', value: 'energy' },
			{ vocabulary: 'sdg_target', value: '11.6' },
			{ vocabulary: 'theme', value: 'E' }
		]);
		const page = await html(author.client, `/cases/${slug}`);
		expect(page).toMatch(headingWith(title));
		expect(page).toContain(`href="/cases/${slug}/edit"`);
	});

	it('a member adds a cover image to the draft', async () => {
		const photo = await sharp({
			create: { width: 800, height: 500, channels: 3, background: '#d9a520' }
		})
			.jpeg()
			.toBuffer();
		const form = new FormData();
		form.set('file', new Blob([new Uint8Array(photo)], { type: 'image/jpeg' }), 'market.jpg');
		form.set('alt', 'Traders selling fruit under solar street lights at night');
		form.set('caption', 'Gikomba market after the lights went up');
		form.set('role', 'cover');
		const uploaded = await author.client.postForm(`/cases/${slug}/images?/upload`, form);
		expect(uploaded.status, await describeFailure(uploaded)).toBe(303);
		const [image] = query<{ id: string }>(
			'SELECT id FROM case_study_image WHERE case_study_id = ?',
			caseRow(slug).id
		);
		expect(image).toBeDefined();
		coverPath = `/media/case-studies/${image.id}`;
		const served = await author.client.get(coverPath);
		expect(served.status).toBe(200);
		expect(served.headers.get('content-type')).toMatch(/^image\//);
	});

	it('a member of an unverified organisation cannot publish directly, only submit', async () => {
		const refused = await author.client.postForm(`/cases/${slug}?/publish`, {});
		expect(refused.status).toBe(403);
		expect(caseRow(slug).workflow_state).toBe('draft');

		const submitted = await author.client.postForm(`/cases/${slug}?/submit`, {});
		expect(submitted.status, await describeFailure(submitted)).toBe(303);
		expect(caseRow(slug).workflow_state).toBe('submitted');
	});

	it('the submitted case is invisible to anonymous visitors everywhere', async () => {
		const visitor = anonymous();
		await expectHiddenFrom(visitor, 'anonymous', { slug, title }, organisation.slug);
		expect((await visitor.get(coverPath)).status, 'its cover image').toBe(404);
	});

	it('the submitted case is invisible to a member of another organisation everywhere', async () => {
		await expectHiddenFrom(outsider.client, 'outsider', { slug, title }, organisation.slug);
		expect((await outsider.client.get(coverPath)).status, 'its cover image').toBe(404);
		expect((await outsider.client.get(`/cases/${slug}/images`)).status).toBe(404);
		expect((await outsider.client.get(`/cases/${slug}/edit`)).status).toBe(404);
		expect((await outsider.client.get(`/cases/${slug}/history`)).status).toBe(404);
	});

	it('its own members still see it, with its state, on the page and the profile', async () => {
		expect(await html(author.client, `/cases/${slug}`)).toMatch(headingWith(title));
		expect(await html(author.client, `/organisations/${organisation.slug}`)).toContain(
			`href="/cases/${slug}"`
		);
	});

	it('only a moderator may publish from the moderation queue', async () => {
		const caseStudyId = caseRow(slug).id;
		const byOutsider = await outsider.client.postForm('/moderation?/publishCase', { caseStudyId });
		expect(byOutsider.status).toBe(403);
		const byAuthor = await author.client.postForm('/moderation?/publishCase', { caseStudyId });
		expect(byAuthor.status).toBe(403);
		expect(caseRow(slug).workflow_state).toBe('submitted');

		const queue = await html(admin.client, '/moderation');
		expect(queue).toContain(escaped(title));
		expect(queue).toContain(`value="${caseStudyId}"`);

		const unknown = await admin.client.postForm('/moderation?/publishCase', {
			caseStudyId: 'no-such-case'
		});
		expect([400, 404]).toContain(unknown.status);

		const published = await admin.client.postForm('/moderation?/publishCase', { caseStudyId });
		expect(published.status, await describeFailure(published)).toBe(303);
		expect(caseRow(slug).workflow_state).toBe('published');
		const audit = query<{ action: string }>(
			'SELECT action FROM audit_log WHERE subject_id = ? ORDER BY created_at',
			caseStudyId
		);
		expect(audit.map((entry) => entry.action)).toContain('case_study.publish');
		expect(await html(admin.client, '/moderation')).not.toContain(`value="${caseStudyId}"`);
	});

	it('once published it is visible to anonymous visitors in the list, page, API, CSV, Atom and browse pages', async () => {
		const visitor = anonymous();
		await expectVisibleTo(visitor, 'anonymous', { slug, title }, organisation.slug);
		// The page links the image with its content hash, which lets caches keep it.
		const src = (await html(visitor, `/cases/${slug}`)).match(
			new RegExp(`src="(${coverPath}\\?[^"]+)"`)
		)?.[1];
		expect(src, 'the cover on the case page').toBeDefined();
		const cover = await visitor.get(src!.replaceAll('&amp;', '&'));
		expect(cover.status, 'its cover image').toBe(200);
		expect(cover.headers.get('content-type')).toMatch(/^image\//);
		expect(cover.headers.get('cache-control')).toMatch(/max-age=[1-9]\d*/);
		expect((await visitor.get(coverPath)).status).toBe(200);
	});

	it('and to members of other organisations', async () => {
		await expectVisibleTo(outsider.client, 'outsider', { slug, title }, organisation.slug);
	});

	describe("editing someone else's case is refused", () => {
		it('signed out: the editor and the save send to the login page', async () => {
			const before = caseRow(slug);
			const page = await anonymous().get(`/cases/${slug}/edit`);
			expect(page.status).toBe(303);
			expect(page.headers.get('location')).toMatch(/^\/login\?redirectTo=/);
			const save = await anonymous().postForm(
				`/cases/${slug}/edit?/save`,
				caseFormFields({ title: 'Signed out rewrite of the case', baseRevision: '1' })
			);
			expect([303, 401, 403]).toContain(save.status);
			if (save.status === 303) expect(save.headers.get('location')).toMatch(/^\/login/);
			expect(caseRow(slug)).toEqual(before);
		});

		it('a member of another organisation: 403 on the editor, the save, the submit and the archive', async () => {
			const before = caseRow(slug);
			expect((await outsider.client.get(`/cases/${slug}/edit`)).status).toBe(403);
			const save = await outsider.client.postForm(
				`/cases/${slug}/edit?/save`,
				caseFormFields({ title: 'Hijacked by another organisation', baseRevision: '1' })
			);
			expect(save.status).toBe(403);
			expect(await save.text()).not.toContain('Hijacked by another organisation');
			const preview = await outsider.client.postForm(
				`/cases/${slug}/edit?/preview`,
				caseFormFields({ title: 'Hijacked by another organisation', baseRevision: '1' })
			);
			expect(preview.status).toBe(403);
			expect((await outsider.client.postForm(`/cases/${slug}?/archive`, {})).status).toBe(403);
			expect((await outsider.client.postForm(`/cases/${slug}?/reviewed`, {})).status).toBe(403);
			expect(caseRow(slug)).toEqual(before);
			expect(
				query<{ n: number }>(
					'SELECT count(*) AS n FROM case_study_revision WHERE case_study_id = ?',
					before.id
				)[0].n
			).toBe(1);
		});

		it('a member of another organisation cannot write a case for it', async () => {
			const before = caseCount(organisation.id);
			expect(
				(await outsider.client.get(`/cases/new?organisation=${organisation.slug}`)).status
			).toBe(403);
			const save = await outsider.client.postForm(
				`/cases/new?organisation=${organisation.slug}&/save`,
				caseFormFields({ title: 'Written for someone else' })
			);
			expect(save.status).toBe(403);
			expect(caseCount(organisation.id)).toBe(before);
		});
	});
});

describe('the editor refuses bad input with field messages and loses nothing', () => {
	let author: SignedIn;
	let organisation: { id: string; slug: string; name: string };
	let slug = '';

	const postNew = (fields: Record<string, string | string[]>) =>
		author.client.postForm(`/cases/new?organisation=${organisation.slug}&/save`, fields);

	beforeAll(async () => {
		author = await signedIn(baseUrl, dbPath, 'case-inputs');
		organisation = await newOrganisation(author, dbPath);
		slug = await createWithEditor(
			author,
			organisation.slug,
			caseFormFields({ title: uniqueTitle('inputs') })
		);
	});

	it('accepts fields at their limits (title 150, summary 300, long text 10,000)', async () => {
		const title = `Limits ${randomId().slice(0, 8)} `.padEnd(150, 't');
		const summary = 'S'.repeat(300);
		const context = 'c'.repeat(10_000);
		const created = await createWithEditor(
			author,
			organisation.slug,
			caseFormFields({ title, summary, context })
		);
		expect(caseRow(created)).toMatchObject({ title, summary, context });
	});

	it('refuses oversize title (151), summary (301) and long field (10,001), echoing them', async () => {
		const before = caseCount(organisation.id);
		const title = `Oversize ${randomId().slice(0, 8)} `.padEnd(151, 't');
		const summary = `Summary marker ${randomId().slice(0, 8)} `.padEnd(301, 's');
		const context = `Context marker ${randomId().slice(0, 8)} `.padEnd(10_001, 'c');
		const response = await postNew(caseFormFields({ title, summary, context }));
		expect(response.status).toBe(400);
		const body = await response.text();
		expect(body).toMatch(/role="alert"/);
		expectFieldError(body, 'title', cases.cases_title_too_long.replace('{max}', '150'));
		expectFieldError(body, 'summary', cases.cases_summary_too_long.replace('{max}', '300'));
		expectFieldError(body, 'context', cases.cases_text_too_long.replace('{max}', '10000'));
		expect(echoedValue(body, 'title')).toBe(title);
		expect(echoedValue(body, 'summary')).toBe(summary);
		expect(echoedValue(body, 'context')).toBe(context);
		expect(echoedValue(body, 'results.0.indicator')).toBe('Lit market lanes');
		expect(echoedValue(body, 'sources.0.url')).toBe('https://nairobi.go.ke/solar-markets');
		expect(checkbox(body, 'themes', 'E')).toMatch(/\bchecked\b/);
		expect(caseCount(organisation.id)).toBe(before);
	});

	it('refuses an oversize edit and keeps the saved case as it was', async () => {
		const before = caseRow(slug);
		const title = `Edit oversize ${randomId().slice(0, 8)} `.padEnd(151, 'e');
		const response = await author.client.postForm(
			`/cases/${slug}/edit?/save`,
			caseFormFields({ title, baseRevision: String(before.revision_count) })
		);
		expect(response.status).toBe(400);
		const body = await response.text();
		expectFieldError(body, 'title', cases.cases_title_too_long.replace('{max}', '150'));
		expect(echoedValue(body, 'title')).toBe(title);
		expect(caseRow(slug)).toEqual(before);
	});

	it('refuses a case without a theme or an SDG 11 target', async () => {
		const before = caseCount(organisation.id);
		const title = uniqueTitle('untagged');
		const fields = caseFormFields({ title });
		delete fields.themes;
		delete fields.sdgTargets;
		const response = await postNew(fields);
		expect(response.status).toBe(400);
		const body = await response.text();
		expect(body).toContain(escaped(cases.cases_theme_required));
		expect(body).toContain(escaped(cases.cases_sdg_target_required));
		expect(echoedValue(body, 'title')).toBe(title);
		expect(checkbox(body, 'domains', 'energy')).toMatch(/\bchecked\b/);
		expect(checkbox(body, 'themes', 'E')).not.toMatch(/\bchecked\b/);
		expect(caseCount(organisation.id)).toBe(before);
	});

	it('refuses unknown vocabulary ids, SDG indicators, countries and cities', async () => {
		const before = caseCount(organisation.id);
		const title = uniqueTitle('vocabulary');
		const response = await postNew(
			caseFormFields({
				title,
				themes: ['E', 'Z'],
				sdgTargets: ['11.99'],
				domains: ['teleportation'],
				technologies: ['warp-drive'],
				'results.0.sdgIndicator': '11.9.9'
			})
		);
		expect(response.status).toBe(400);
		const body = await response.text();
		expect(body).toContain(escaped(vocab.vocab_invalid_choice));
		expect(body).toContain(escaped(cases.cases_sdg_indicator_invalid));
		expect(echoedValue(body, 'title')).toBe(title);
		expect(caseCount(organisation.id)).toBe(before);

		const place = await postNew(caseFormFields({ title, countryCode: 'ZZ', cityId: '999999999' }));
		expect(place.status).toBe(400);
		const placeBody = await place.text();
		expect(placeBody).toContain(escaped(cases.cases_country_unknown));
		expect(echoedValue(placeBody, 'title')).toBe(title);
		expect(caseCount(organisation.id)).toBe(before);
	});

	it('refuses wrong types: a year in words, a budget without a number, a file as the title', async () => {
		const before = caseCount(organisation.id);
		const form = new FormData();
		for (const [key, value] of Object.entries(
			caseFormFields({
				startYear: 'twenty twenty',
				'budget.amount': 'a lot',
				'budget.currency': 'USD'
			})
		)) {
			for (const item of Array.isArray(value) ? value : [value]) form.append(key, item);
		}
		form.set('title', new Blob(['not a title'], { type: 'text/plain' }), 'title.txt');
		const response = await author.client.postForm(
			`/cases/new?organisation=${organisation.slug}&/save`,
			form
		);
		expect(response.status).toBe(400);
		const body = await response.text();
		expect(body).toContain(escaped(cases.cases_title_required));
		expect(body).toContain(escaped(cases.cases_budget_amount_invalid));
		expect(echoedValue(body, 'startYear')).toBe('twenty twenty');
		expect(echoedValue(body, 'budget.amount')).toBe('a lot');
		expect(caseCount(organisation.id)).toBe(before);
	});

	it('names a row field by its path, for the browser with JavaScript too', async () => {
		const before = caseCount(organisation.id);
		const fields = caseFormFields({ title: uniqueTitle('row'), 'results.0.result': '' });
		const page = await postNew(fields);
		expect(page.status).toBe(400);
		const body = await page.text();
		expectFieldError(body, 'results.0.result', cases.cases_result_value_required);
		expect(echoedValue(body, 'results.0.indicator')).toBe('Lit market lanes');

		const enhanced = await author.client.postForm(
			`/cases/new?organisation=${organisation.slug}&/save`,
			fields,
			{ headers: { 'x-sveltekit-action': 'true', accept: 'application/json' } }
		);
		const answer = (await enhanced.json()) as { type: string; status: number; data: string };
		expect(answer).toMatchObject({ type: 'failure', status: 400 });
		// `data` is devalue's flat JSON: values are array items, object keys stay keys.
		const strings = (JSON.parse(answer.data) as unknown[]).flatMap((item) =>
			item !== null && typeof item === 'object' && !Array.isArray(item) ? Object.keys(item) : [item]
		);
		expect(strings).toContain('results.0.result');
		expect(strings).toContain(cases.cases_result_value_required);
		expect(strings).toContain('Lit market lanes');
		expect(caseCount(organisation.id)).toBe(before);
	});

	it('refuses a text file posted as an image, keeping the alt text and caption', async () => {
		const imageTables = query<{ name: string }>(
			"SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'case_study_image%'"
		);
		expect(imageTables.length, 'the case_study_image table (IMAGES migration)').toBeGreaterThan(0);
		const countImages = () =>
			query<{ n: number }>(
				`SELECT count(*) AS n FROM ${imageTables[0].name} WHERE case_study_id = ?`,
				caseRow(slug).id
			)[0].n;
		const before = countImages();
		const alt = `Traders under new lights ${randomId().slice(0, 6)}`;
		const caption = `Caption marker ${randomId().slice(0, 6)}`;
		const form = new FormData();
		form.set(
			'file',
			new Blob(['this is a text file, not a picture'], { type: 'image/png' }),
			'market.png'
		);
		form.set('alt', alt);
		form.set('caption', caption);
		form.set('role', 'figure');
		const response = await author.client.postForm(`/cases/${slug}/images?/upload`, form);
		expect([400, 415, 422]).toContain(response.status);
		const body = await response.text();
		expect(body).toMatch(/role="alert"/);
		expect(controlTag(body, 'file')).toMatch(/aria-invalid="true"/);
		expect(echoedValue(body, 'alt')).toBe(alt);
		expect(body).toContain(caption);
		expect(countImages()).toBe(before);
	});
});

describe('a verified organisation publishes directly', () => {
	it('its member saves a case and publishes it without a moderator; everybody sees it', async () => {
		const member = await signedIn(baseUrl, dbPath, 'case-verified');
		const organisation = await newOrganisation(member, dbPath, { verified: true });
		const title = uniqueTitle('verified');
		const slug = await createWithEditor(member, organisation.slug, caseFormFields({ title }));
		expect(caseRow(slug).workflow_state).toBe('draft');
		await expectHiddenFrom(
			new HttpClient(baseUrl),
			'anonymous',
			{ slug, title },
			organisation.slug
		);

		const published = await member.client.postForm(`/cases/${slug}?/publish`, {});
		expect(published.status, await describeFailure(published)).toBe(303);
		expect(caseRow(slug).workflow_state).toBe('published');
		await expectVisibleTo(new HttpClient(baseUrl), 'anonymous', { slug, title }, organisation.slug);
	});
});
