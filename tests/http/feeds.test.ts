import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '$lib/server/db';
import * as listings from '$lib/server/needs-offers';
import { signedInAdmin } from '../support/case-fixtures';
import { HttpClient } from '../support/http-client';
import { cityWithNeed, makeOrganisation, partnerWithOffer } from '../support/listing-fixtures';
import { startBuiltServer, type RunningServer } from '../support/server';

/**
 * The needs and offers Atom feeds, read over HTTP from a built server with its own database (no
 * other test writes there, so "every public open listing" is exact). The listings are written
 * with the domain functions the pages call.
 */

type AtomLink = { '@_rel': string; '@_href': string; '@_type'?: string };
type AtomEntry = {
	id: string;
	title: { '#text': string };
	link: AtomLink[];
	author: { name: string }[];
	category?: { '@_term': string; '@_scheme': string; '@_label': string }[];
	updated: string;
};
type AtomDocument = {
	feed: {
		id: string;
		title: { '#text': string };
		updated: string;
		link: AtomLink[];
		entry?: AtomEntry[];
	};
};

const xmlParser = new XMLParser({
	ignoreAttributes: false,
	attributeNamePrefix: '@_',
	parseTagValue: false,
	trimValues: false,
	isArray: (name) => ['entry', 'category', 'link', 'author'].includes(name)
});

const naughtyTitle = `Flood warning </title><script>alert(1)</script> & "quotes" ]]> \u0001\u0008 ☔`;
/** What the feed keeps of it: XML 1.0 cannot carry most control characters at all. */
const naughtyTitleInFeed = naughtyTitle.replace('\u0001\u0008', '');

let server: RunningServer;
let client: HttpClient;
const ids = {
	needs: { openS: '', openE: '', naughty: '', restricted: '', closed: '', expired: '' },
	offers: { open: '', restricted: '', closed: '', expired: '' }
};

function withDb<T>(run: (db: Db) => T): T {
	const db = openDatabase(server.dbPath);
	try {
		return run(db);
	} finally {
		db.$client.close();
	}
}

async function feed(path: string) {
	const response = await client.get(path);
	const xml = await response.text();
	return { response, xml };
}

function parsed(xml: string) {
	expect(XMLValidator.validate(xml)).toBe(true);
	return (xmlParser.parse(xml) as AtomDocument).feed;
}

const entryIds = (entries: AtomEntry[] | undefined) =>
	(entries ?? []).map((entry) => entry.link[0]['@_href'].split('/').at(-1)).sort();

beforeAll(async () => {
	server = await startBuiltServer();
	client = new HttpClient(server.url);
	withDb((db) => {
		const city = cityWithNeed(db, {
			need: { title: 'Open need about safety', themes: ['S'], sdgTargets: ['11.5'] }
		});
		ids.needs.openS = city.needId;
		const create = (need: Record<string, unknown>) =>
			listings.createNeed(
				db,
				city.actor,
				city.organisationId,
				listings.needInput.parse({
					title: 'A need',
					challenge: 'Flooding every year.',
					themes: ['E'],
					sdgTargets: ['11.6'],
					cooperationTypes: ['technological'],
					languages: ['en'],
					timeframe: 'within_12_months',
					visibility: 'public',
					...need
				})
			).id;
		ids.needs.openE = create({ title: 'Open need about energy' });
		ids.needs.naughty = create({ title: naughtyTitle, themes: ['S'] });
		ids.needs.restricted = create({ title: 'Restricted need', visibility: 'verified' });
		ids.needs.closed = create({ title: 'Closed need' });
		listings.setNeedStatus(db, city.actor, ids.needs.closed, 'closed');
		ids.needs.expired = create({ title: 'Expired need' });
		db.$client
			.prepare('UPDATE need SET expires_at = ? WHERE id = ?')
			.run(Date.now() - 86_400_000, ids.needs.expired);

		const partner = partnerWithOffer(db, {
			offer: { title: 'Open training offer', themes: ['S'], sdgTargets: ['11.5'] }
		});
		ids.offers.open = partner.offerId;
		const offer = (values: Record<string, unknown>) =>
			partnerWithOffer(db, { owner: partner.owner, offer: values }).offerId;
		ids.offers.restricted = offer({ title: 'Restricted offer', visibility: 'verified' });
		ids.offers.closed = offer({ title: 'Closed offer' });
		listings.setOfferStatus(db, partner.actor, ids.offers.closed, 'closed');
		ids.offers.expired = offer({ title: 'Expired offer' });
		db.$client
			.prepare('UPDATE offer SET deadline = ? WHERE id = ?')
			.run(Date.now() - 86_400_000, ids.offers.expired);
		// An organisation with nothing posted, so the feeds are not simply "everything".
		makeOrganisation(db, { kind: 'ngo' });
	});
}, 60_000);

afterAll(() => server?.stop());

describe('GET /feeds/needs.atom', () => {
	it('is a well-formed Atom feed of exactly the public, open, unexpired needs', async () => {
		const { response, xml } = await feed('/feeds/needs.atom');
		expect(response.status).toBe(200);
		expect(response.headers.get('content-type')).toBe('application/atom+xml; charset=utf-8');
		expect(response.headers.get('cache-control')).toBe('public, max-age=300');
		const atom = parsed(xml);
		expect(atom.id).toBe(`${server.url}/feeds/needs.atom`);
		expect(atom.title['#text']).toBe('CityBridge needs');
		const links = Object.fromEntries(atom.link.map((link) => [link['@_rel'], link]));
		expect(links.self['@_href']).toBe(`${server.url}/feeds/needs.atom`);
		expect(links.alternate['@_href']).toBe(`${server.url}/needs`);
		expect(entryIds(atom.entry)).toEqual(
			[ids.needs.openS, ids.needs.openE, ids.needs.naughty].sort()
		);
		const safety = atom.entry!.find((entry) => entry.title['#text'] === 'Open need about safety')!;
		expect(safety.id).toBe(`tag:127.0.0.1,2026:need:${ids.needs.openS}`);
		expect(safety.author[0].name).toMatch(/^City of Testville/);
		expect(safety.category!.map((category) => category['@_term'])).toEqual(['S', '11.5']);
		expect(safety.category![0]['@_scheme']).toBe(`${server.url}/themes`);
		expect(safety.category![0]['@_label']).toBe('Sustainable and safe city');
	});

	it('never holds a restricted listing, even for an admin who sees it everywhere else', async () => {
		const admin = await signedInAdmin(server.url, server.dbPath);
		const page = await admin.client.get(`/needs/${ids.needs.restricted}`);
		expect(page.status).toBe(200);
		for (const path of ['/feeds/needs.atom?status=open&status=closed', '/feeds/offers.atom']) {
			const xml = await (await admin.client.get(path)).text();
			expect(xml).not.toMatch(/Restricted (need|offer)/);
			expect(xml).not.toContain(ids.needs.restricted);
			expect(xml).not.toContain(ids.offers.restricted);
		}
	});

	it('is narrowed by the list filters, and links to the same filtered list', async () => {
		const query = '?theme=S&sdg=11.5';
		const atom = parsed((await feed(`/feeds/needs.atom${query}`)).xml);
		expect(entryIds(atom.entry)).toEqual([ids.needs.openS]);
		const alternate = atom.link.find((link) => link['@_rel'] === 'alternate')!;
		expect(alternate['@_href']).toBe(`${server.url}/needs${query}`);

		const themeOnly = parsed((await feed('/feeds/needs.atom?theme=S')).xml);
		expect(entryIds(themeOnly.entry)).toEqual([ids.needs.openS, ids.needs.naughty].sort());

		const closed = parsed((await feed('/feeds/needs.atom?status=closed')).xml);
		expect(entryIds(closed.entry)).toEqual([ids.needs.closed]);

		const nowhere = parsed((await feed('/feeds/needs.atom?country=JP')).xml);
		expect(nowhere.entry).toBeUndefined();
	});

	it('escapes a naughty title so the XML still parses and says the same text', async () => {
		const { xml } = await feed('/feeds/needs.atom');
		const atom = parsed(xml);
		expect(xml).not.toContain('<script>');
		const naughty = atom.entry!.find((entry) => entry.id.endsWith(ids.needs.naughty))!;
		expect(naughty.title['#text']).toBe(naughtyTitleInFeed);
	});

	it('answers 400 with a problem document for bad or unknown filters', async () => {
		for (const query of ['?theme=Q', '?sdg=12.1', '?status=gone', '?region=abc', '?colour=red']) {
			const response = await client.get(`/feeds/needs.atom${query}`);
			expect(response.status, query).toBe(400);
			expect(response.headers.get('content-type')).toBe('application/problem+json');
			const body = await response.json();
			expect(body.status).toBe(400);
			expect(body.errors.length, query).toBeGreaterThan(0);
		}
		const tooMany = new URLSearchParams(
			Array.from({ length: 21 }, (_, index) => ['country', `A${String.fromCharCode(65 + index)}`])
		);
		expect((await client.get(`/feeds/needs.atom?${tooMany}`)).status).toBe(400);
		// offerFormat is an offers filter only.
		expect((await client.get('/feeds/needs.atom?offerFormat=training')).status).toBe(400);
	});
});

describe('GET /feeds/offers.atom', () => {
	it('is a well-formed Atom feed of exactly the public, open offers before their deadline', async () => {
		const { response, xml } = await feed('/feeds/offers.atom');
		expect(response.status).toBe(200);
		const atom = parsed(xml);
		expect(atom.title['#text']).toBe('CityBridge offers');
		expect(entryIds(atom.entry)).toEqual([ids.offers.open]);
		expect(xml).not.toContain('Restricted offer');
		const links = Object.fromEntries(atom.link.map((link) => [link['@_rel'], link]));
		expect(links.alternate['@_href']).toBe(`${server.url}/offers`);
	});

	it('takes the offers filters, format included', async () => {
		const training = parsed((await feed('/feeds/offers.atom?offerFormat=training')).xml);
		expect(entryIds(training.entry)).toEqual([ids.offers.open]);
		const loans = parsed((await feed('/feeds/offers.atom?offerFormat=loan')).xml);
		expect(loans.entry).toBeUndefined();
		const closed = parsed((await feed('/feeds/offers.atom?status=closed')).xml);
		expect(entryIds(closed.entry)).toEqual([ids.offers.closed]);
		const bad = await client.get('/feeds/offers.atom?offerFormat=juggling');
		expect(bad.status).toBe(400);
		expect((await bad.json()).errors[0].field).toBe('offerFormat');
	});
});
