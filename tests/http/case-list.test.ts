import { beforeAll, describe, expect, inject, it } from 'vitest';
import { openDatabase } from '$lib/server/db';
import * as caseStudies from '$lib/server/case-studies';
import { recordValidation } from '$lib/server/case-studies/validations';
import enList from '../../messages/caselist/en.json';
import frList from '../../messages/caselist/fr.json';
import enCore from '../../messages/core/en.json';
import {
	newOrganisation,
	seedCase,
	signedIn,
	signedInAdmin,
	type SignedIn
} from '../support/case-fixtures';
import { HttpClient, queryServerDb } from '../support/http-client';
import { testAdmin } from '../support/server';

/**
 * The case-study list and the other places that list cases (home, theme and SDG target pages,
 * organisation profiles), against the built server. Every list query names this file's own
 * organisation, so cases other test files publish do not change what these tests see.
 */

const baseUrl = inject('baseUrl');
const dbPath = inject('dbPath');

/** Text as Svelte writes it into HTML. */
const escaped = (text: string) =>
	text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('"', '&quot;');
const fill = (message: string, values: Record<string, string>) =>
	message.replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole);

async function page(path: string, client = new HttpClient(baseUrl)) {
	const response = await client.get(path);
	return { status: response.status, html: await response.text() };
}

/** The slugs of the case cards on a page, in order (links to /cases/{slug}, not /cases?…). */
const cardSlugs = (html: string) =>
	[...html.matchAll(/<h[234] class="title[^"]*"><a href="(?:\/fr)?\/cases\/([a-z0-9-]+)"/g)].map(
		(match) => match[1]
	);

const linkWithRel = (html: string, rel: string) => {
	const match = html.match(new RegExp(`<a href="([^"]+)" rel="${rel}"`));
	return match ? match[1].replaceAll('&amp;', '&') : null;
};

type Seeded = { id: string; slug: string };

let owner: SignedIn;
let organisation: { id: string; slug: string; name: string };
let pager: { id: string; slug: string; name: string };
let pagerOwner: SignedIn;
let pilot: Seeded; // theme S, 11.2, mobility + IoT, pilot, 2015–2018
let ongoing: Seeded; // theme E, 11.6, implemented, 2021 – ongoing
let validated: Seeded; // theme E, 11.6, energy, scaled, 2019–2020, one validation
let draft: Seeded;
let submitted: Seeded;
const pagedSlugs: string[] = [];
const stamp = Date.now();

function withDb<T>(work: (db: ReturnType<typeof openDatabase>) => T): T {
	const db = openDatabase(dbPath);
	try {
		return work(db);
	} finally {
		db.$client.close();
	}
}

beforeAll(async () => {
	owner = await signedIn(baseUrl, dbPath, 'list-owner');
	organisation = await newOrganisation(owner, dbPath, { verified: true });
	pagerOwner = await signedIn(baseUrl, dbPath, 'list-pager');
	pager = await newOrganisation(pagerOwner, dbPath, { verified: true });

	// Enough published cases for two pages (20 a page) in their own organisation and theme.
	for (let index = 0; index < 23; index += 1) {
		const seeded = seedCase(dbPath, {
			organisationId: pager.id,
			authorId: pagerOwner.userId,
			state: 'published',
			input: {
				title: `Paged case ${index} ${stamp}`,
				themes: ['O'],
				sdgTargets: ['11.3'],
				domains: ['governance']
			}
		});
		pagedSlugs.push(seeded.slug);
	}

	const author = { organisationId: organisation.id, authorId: owner.userId };
	pilot = seedCase(dbPath, {
		...author,
		state: 'published',
		input: {
			title: `Listed pilot bus lanes ${stamp}`,
			themes: ['S'],
			sdgTargets: ['11.2'],
			domains: ['mobility'],
			technologies: ['iot'],
			status: 'pilot',
			startYear: 2015,
			endYear: 2018
		}
	});
	ongoing = seedCase(dbPath, {
		...author,
		state: 'published',
		input: {
			title: `Listed ongoing waste sorting ${stamp}`,
			themes: ['E'],
			sdgTargets: ['11.6'],
			domains: ['waste'],
			status: 'implemented',
			startYear: 2021
		}
	});
	validated = seedCase(dbPath, {
		...author,
		state: 'published',
		input: {
			title: `Listed validated solar lamps ${stamp}`,
			themes: ['E'],
			sdgTargets: ['11.6'],
			domains: ['energy'],
			status: 'scaled',
			startYear: 2019,
			endYear: 2020
		}
	});
	draft = seedCase(dbPath, {
		...author,
		state: 'draft',
		input: { title: `Hidden draft ${stamp}`, themes: ['E'], sdgTargets: ['11.6'] }
	});
	submitted = seedCase(dbPath, {
		...author,
		state: 'submitted',
		input: { title: `Hidden submitted ${stamp}`, themes: ['E'], sdgTargets: ['11.6'] }
	});

	withDb((db) => {
		recordValidation(
			db,
			{ id: pagerOwner.userId, siteRole: 'member' },
			validated.id,
			caseStudies.validationInput.parse({
				organisationId: pager.id,
				kind: 'reviewed',
				note: 'We checked the lamp counts on site.'
			})
		);
		const [admin] = queryServerDb<{ id: string }>(
			dbPath,
			'SELECT id FROM user WHERE email = ?',
			testAdmin.email
		);
		caseStudies.reject(
			db,
			{ id: admin.id, siteRole: 'admin' },
			submitted.id,
			'Please cite the city budget document.'
		);
	});
});

const ownCases = (query = '') => `/cases?organisation=${organisation.slug}${query}`;

describe('/cases', () => {
	it('lists the published cases with their card details, and never drafts or cases in review', async () => {
		const { status, html } = await page(ownCases());
		expect(status).toBe(200);
		expect(html).toMatch(new RegExp(`<h1[^>]*>${enList.caselist_title}</h1>`));
		expect(new Set(cardSlugs(html))).toEqual(new Set([pilot.slug, ongoing.slug, validated.slug]));
		expect(html).toContain(fill(enList.caselist_count_other, { count: '3' }));
		expect(html).not.toContain(draft.slug);
		expect(html).not.toContain(submitted.slug);
		expect(html).not.toContain(`Hidden draft ${stamp}`);
		// A card: place, organisation with badge, tags, status, period, validations.
		expect(html).toContain('Nairobi, Kenya');
		expect(html).toContain(`href="/organisations/${organisation.slug}"`);
		expect(html).toContain('✓ Verified');
		expect(html).toContain(enCore.theme_S);
		expect(html).toContain('Scaled · 2019 – 2020 · 1 validation');
		expect(html).toContain('Implemented · 2021 – ongoing · 0 validations');
		expect(html).not.toContain(enList.caselist_out_of_date);
	});

	it('never shows drafts or cases in review, whatever the filters or the reader', async () => {
		for (const query of ['', '&theme=E', '&sdg=11.6', '&sort=validated', '&status=implemented']) {
			const { html } = await page(ownCases(query), owner.client);
			expect(html, query).not.toContain(draft.slug);
			expect(html, query).not.toContain(submitted.slug);
		}
		const { html } = await page('/cases?theme=E');
		expect(html).not.toContain(draft.slug);
	});

	it('narrows the list with each filter, and combines them', async () => {
		const expectations: [string, Seeded[]][] = [
			['&theme=S', [pilot]],
			['&theme=E', [ongoing, validated]],
			['&sdg=11.2', [pilot]],
			['&sdg=11.6', [ongoing, validated]],
			['&domain=energy', [validated]],
			['&technology=iot', [pilot]],
			['&status=pilot', [pilot]],
			['&year=2016', [pilot]],
			['&year=2020', [validated]],
			['&year=2030', [ongoing]],
			['&country=KE', [pilot, ongoing, validated]],
			['&country=ke', [pilot, ongoing, validated]],
			['&region=002', [pilot, ongoing, validated]],
			['&income=LM', [pilot, ongoing, validated]],
			['&theme=E&status=scaled', [validated]],
			['&theme=E&year=2022', [ongoing]]
		];
		for (const [query, expected] of expectations) {
			const { status, html } = await page(ownCases(query));
			expect(status, query).toBe(200);
			expect(new Set(cardSlugs(html)), query).toEqual(new Set(expected.map((c) => c.slug)));
		}
	});

	it('takes a repeated filter as any of its values, combined with the other filters', async () => {
		// pilot: S, 11.2, mobility, pilot, 2015–2018; ongoing: E, 11.6, waste, implemented, 2021–;
		// validated: E, 11.6, energy, scaled, 2019–2020.
		const expectations: [string, Seeded[]][] = [
			['&theme=S&theme=E', [pilot, ongoing, validated]],
			['&theme=S&theme=O', [pilot]],
			['&theme=S&theme=S', [pilot]],
			['&sdg=11.2&sdg=11.6', [pilot, ongoing, validated]],
			['&domain=mobility&domain=energy', [pilot, validated]],
			['&status=pilot&status=scaled', [pilot, validated]],
			['&year=2016&year=2020', [pilot, validated]],
			['&year=2010&year=2012', []],
			['&country=KE&country=FR', [pilot, ongoing, validated]],
			['&theme=S&theme=E&year=2016&year=2022', [pilot, ongoing]],
			['&domain=mobility&domain=energy&status=scaled', [validated]],
			['&theme=E&theme=G&sdg=11.2&sdg=11.6&status=implemented', [ongoing]]
		];
		for (const [query, expected] of expectations) {
			const { status, html } = await page(ownCases(query));
			expect(status, query).toBe(200);
			expect(new Set(cardSlugs(html)), query).toEqual(new Set(expected.map((c) => c.slug)));
			const count = String(expected.length);
			expect(html, query).toContain(
				expected.length === 1
					? fill(enList.caselist_count_one, { count })
					: fill(enList.caselist_count_other, { count })
			);
		}
	});

	it('keeps every value of a repeated filter in the form and gives each its own remove link', async () => {
		const { html } = await page(ownCases('&theme=E&theme=S&year=2016&year=2022&sort=validated'));
		expect(new Set(cardSlugs(html))).toEqual(new Set([pilot.slug, ongoing.slug]));
		// The select shows the first value; the others stay in the form as ticked boxes.
		expect(html).toMatch(/<option value="E" selected/);
		expect(html).not.toMatch(/<option value="S" selected/);
		expect(html).toMatch(/<input type="checkbox" name="theme" value="S" checked/);
		expect(html).toMatch(/name="year"[^>]*value="2016"/);
		expect(html).toMatch(/<input type="checkbox" name="year" value="2022" checked/);
		expect(html).toContain(escaped(fill(enList.caselist_filter_also, { value: enCore.theme_S })));
		for (const [filter, value] of [
			['SEJONG theme', enCore.theme_E],
			['SEJONG theme', enCore.theme_S],
			['Running in year', '2016'],
			['Running in year', '2022']
		]) {
			expect(html).toContain(escaped(fill(enList.caselist_active_filter, { filter, value })));
		}
		const rest = `organisation=${organisation.slug}&amp;sort=validated`;
		expect(html).toContain(`href="/cases?theme=S&amp;year=2016&amp;year=2022&amp;${rest}"`);
		expect(html).toContain(`href="/cases?theme=E&amp;year=2016&amp;year=2022&amp;${rest}"`);
		expect(html).toContain(`href="/cases?theme=E&amp;theme=S&amp;year=2022&amp;${rest}"`);
		expect(html).toContain(`href="/cases?theme=E&amp;theme=S&amp;year=2016&amp;${rest}"`);
		// The feed link carries every value too.
		expect(html).toContain(
			`href="/feeds/case-studies.atom?theme=E&amp;theme=S&amp;year=2016&amp;year=2022&amp;${rest}"`
		);
	});

	it('drops only the bad values of a repeated filter, with the notice', async () => {
		const { status, html } = await page(
			ownCases('&theme=S&theme=X&theme=E&country=KE&country=ZZ&year=2016&year=abc')
		);
		expect(status).toBe(200);
		for (const [filter, value] of [
			['SEJONG theme', 'X'],
			['Country', 'ZZ'],
			['Running in year', 'abc']
		]) {
			expect(html).toContain(escaped(fill(enList.caselist_ignored, { filter, value })));
		}
		expect(cardSlugs(html)).toEqual([pilot.slug]);
		expect(html).toMatch(/<input type="checkbox" name="theme" value="E" checked/);
		expect(html).not.toMatch(/value="X"/);
	});

	it('keeps the filters in the form and summarises them with links that remove each', async () => {
		const { html } = await page(ownCases('&theme=E&year=2022&sort=validated'));
		expect(html).toMatch(/<option value="E" selected/);
		expect(html).toMatch(/name="year"[^>]*value="2022"/);
		expect(html).toMatch(/<option value="validated" selected/);
		expect(html).toContain(`<input type="hidden" name="organisation" value="${organisation.slug}"`);
		expect(html).toContain(enList.caselist_active_filters);
		expect(html).toContain(
			escaped(fill(enList.caselist_active_filter, { filter: 'Running in year', value: '2022' }))
		);
		// Removing the year keeps the theme, the organisation and the order.
		expect(html).toContain(
			`href="/cases?theme=E&amp;organisation=${organisation.slug}&amp;sort=validated"`
		);
		expect(html).toContain(`href="/cases">${enList.caselist_filter_clear}</a>`);
	});

	it('sorts by most validated first', async () => {
		// Newest first is by publication time (then id, for cases published in the same millisecond).
		const byPublication = queryServerDb<{ slug: string }>(
			dbPath,
			"SELECT slug FROM case_study WHERE organisation_id = ? AND workflow_state = 'published' ORDER BY published_at DESC, id DESC",
			organisation.id
		).map((row) => row.slug);
		expect(cardSlugs((await page(ownCases())).html)).toEqual(byPublication);
		const byValidation = cardSlugs((await page(ownCases('&theme=E&sort=validated'))).html);
		expect(byValidation).toEqual([validated.slug, ongoing.slug]);
		const allOfThem = cardSlugs((await page(ownCases('&sort=validated'))).html);
		expect(allOfThem[0]).toBe(validated.slug);
		// On the whole list, the validated case comes before every unvalidated one of this file.
		const all = cardSlugs((await page('/cases?sort=validated')).html);
		if (all.includes(pilot.slug)) {
			expect(all.indexOf(validated.slug)).toBeLessThan(all.indexOf(pilot.slug));
		}
	});

	for (const sort of ['newest', 'validated']) {
		it(`pages through every case once with the Next page links (${sort})`, async () => {
			const seen: string[] = [];
			let path: string | null = `/cases?organisation=${pager.slug}&sort=${sort}`;
			let pages = 0;
			while (path) {
				const { status, html } = await page(path);
				expect(status).toBe(200);
				pages += 1;
				const slugs = cardSlugs(html);
				expect(slugs.length).toBeLessThanOrEqual(caseStudies.PAGE_SIZE);
				seen.push(...slugs);
				expect(html).toContain(fill(enList.caselist_count_other, { count: '23' }));
				if (pages > 1) {
					expect(linkWithRel(html, 'first')).toBe(`/cases?organisation=${pager.slug}&sort=${sort}`);
				} else {
					expect(linkWithRel(html, 'first')).toBeNull();
				}
				path = linkWithRel(html, 'next');
				if (path) expect(path).toContain(`organisation=${pager.slug}`);
				expect(pages).toBeLessThan(5);
			}
			expect(pages).toBe(2);
			expect(new Set(seen).size).toBe(seen.length);
			expect(new Set(seen)).toEqual(new Set(pagedSlugs));
		});
	}

	it('treats a broken cursor as the first page', async () => {
		for (const cursor of ['garbage', 'W10', '%00', 'x'.repeat(5000)]) {
			const { status, html } = await page(
				`/cases?organisation=${pager.slug}&cursor=${encodeURIComponent(cursor)}`
			);
			expect(status, cursor.slice(0, 10)).toBe(200);
			expect(cardSlugs(html)).toHaveLength(caseStudies.PAGE_SIZE);
			expect(linkWithRel(html, 'first')).toBeNull();
		}
	});

	it('ignores bad filter values with a notice, keeps the good ones and never fails', async () => {
		const { status, html } = await page(
			ownCases('&theme=X&year=abc&country=ZZZ&sdg=11.9&sort=best&status=done&region=999')
		);
		expect(status).toBe(200);
		expect(html).toContain(escaped(enList.caselist_ignored_heading));
		for (const [filter, value] of [
			['SEJONG theme', 'X'],
			['Running in year', 'abc'],
			['Country', 'ZZZ'],
			['SDG 11 target', '11.9'],
			['Sort by', 'best'],
			['Status', 'done'],
			['Region', '999']
		]) {
			expect(html).toContain(escaped(fill(enList.caselist_ignored, { filter, value })));
		}
		// The organisation filter still applies.
		expect(new Set(cardSlugs(html))).toEqual(new Set([pilot.slug, ongoing.slug, validated.slug]));
	});

	it('ignores an unknown country or organisation, and keeps the valid filters with it', async () => {
		const unknownCountry = await page(ownCases('&country=ZZ&theme=S'));
		expect(unknownCountry.status).toBe(200);
		expect(unknownCountry.html).toContain(
			escaped(fill(enList.caselist_ignored, { filter: 'Country', value: 'ZZ' }))
		);
		expect(cardSlugs(unknownCountry.html)).toEqual([pilot.slug]);
		const unknownOrganisation = await page('/cases?organisation=no-such-organisation');
		expect(unknownOrganisation.status).toBe(200);
		expect(unknownOrganisation.html).toContain(
			escaped(
				fill(enList.caselist_ignored, { filter: 'Organisation', value: 'no-such-organisation' })
			)
		);
	});

	it('repeats naughty and oversize values back escaped and shortened', async () => {
		const naughty = '<script>alert(1)</script>"\'&';
		const { status, html } = await page(
			ownCases(`&theme=${encodeURIComponent(naughty)}&year=${'9'.repeat(3000)}`)
		);
		expect(status).toBe(200);
		expect(html).not.toContain('<script>alert(1)');
		expect(html).toContain('&lt;script>alert(1)&lt;/script>');
		expect(html).toContain(
			escaped(fill(enList.caselist_ignored, { filter: 'Running in year', value: '9'.repeat(60) }))
		);
		const notice = html.slice(html.indexOf('class="notice warning"'));
		expect(notice.slice(0, notice.indexOf('</div>'))).not.toContain('9'.repeat(61));
	});

	it('shows an empty state that suggests removing each filter', async () => {
		const { status, html } = await page(ownCases('&theme=G&region=142'));
		expect(status).toBe(200);
		expect(cardSlugs(html)).toEqual([]);
		expect(html).toContain(escaped(enList.caselist_empty_filtered));
		expect(html).toContain(fill(enList.caselist_count_other, { count: '0' }));
		expect(html).toContain(`href="/cases?region=142&amp;organisation=${organisation.slug}"`);
		expect(html).toContain(`href="/cases?theme=G&amp;organisation=${organisation.slug}"`);
		expect(html).toContain(`href="/cases?theme=G&amp;region=142"`);
	});

	it('speaks French under /fr, with French filter labels and links', async () => {
		const { status, html } = await page(`/fr${ownCases('&theme=E&year=abc')}`);
		expect(status).toBe(200);
		expect(html).toContain('<html lang="fr"');
		expect(html).toMatch(new RegExp(`<h1[^>]*>${frList.caselist_title}</h1>`));
		expect(html).toContain(escaped(frList.caselist_filter_theme));
		expect(html).toContain(escaped(frList.caselist_filter_apply));
		expect(html).toContain(escaped(frList.caselist_ignored_heading));
		expect(html).toContain('action="/fr/cases"');
		expect(html).toContain(`href="/fr/cases/${ongoing.slug}"`);
		expect(html).toContain('Mis en œuvre · 2021 – en cours · 0 validation');
		expect(html).toContain(fill(frList.caselist_count_other, { count: '2' }));
	});

	it('has a labelled GET form for every filter and the order', async () => {
		const { html } = await page('/cases');
		expect(html).toMatch(/<form method="GET" action="\/cases"/);
		for (const name of [
			'theme',
			'sdg',
			'region',
			'country',
			'income',
			'domain',
			'technology',
			'status',
			'year',
			'sort'
		]) {
			expect(html, name).toContain(`<label for="filter-${name}"`);
			expect(html, name).toMatch(new RegExp(`id="filter-${name}"[^>]* name="${name}"`));
		}
		expect(html).toContain('href="/cases"');
	});
});

describe('lists of cases on other pages', () => {
	it('shows the latest published cases of a theme and target, with a link to all of them', async () => {
		const theme = await page('/themes/S');
		expect(theme.status).toBe(200);
		expect(cardSlugs(theme.html)).toContain(pilot.slug);
		expect(theme.html).toMatch(/href="\/cases\?theme=S"/);
		expect(theme.html).not.toContain(draft.slug);

		const target = await page('/sdg/11.6');
		expect(cardSlugs(target.html)).toEqual(expect.arrayContaining([ongoing.slug, validated.slug]));
		expect(target.html).toMatch(/href="\/cases\?sdg=11\.6"/);
		expect(target.html).not.toContain(draft.slug);
		expect(target.html).not.toContain(submitted.slug);
		expect(cardSlugs(target.html).length).toBeLessThanOrEqual(10);

		const french = await page('/fr/themes/O');
		expect(french.html).toContain(`href="/fr/cases?theme=O"`);
		expect(french.html).toContain(escaped(frList.caselist_see_all.split(' (')[0]));
	});

	it('shows the latest published cases on the home page', async () => {
		const { status, html } = await page('/');
		expect(status).toBe(200);
		expect(html).toContain(escaped(enList.caselist_home_heading));
		const slugs = cardSlugs(html);
		expect(slugs.length).toBeLessThanOrEqual(6);
		expect(slugs).toContain(validated.slug);
		expect(html).not.toContain(draft.slug);
		expect(html).not.toContain(submitted.slug);
		expect(html).toContain('href="/cases"');
	});

	it('links to the list from the site header', async () => {
		const { html } = await page('/privacy');
		expect(html).toMatch(new RegExp(`<a href="/cases"[^>]*>${enList.caselist_nav}</a>`));
		const french = await page('/fr/privacy');
		expect(french.html).toMatch(new RegExp(`<a href="/fr/cases"[^>]*>${frList.caselist_nav}</a>`));
	});

	it('shows visitors and other users only the published cases on an organisation profile', async () => {
		const stranger = await signedIn(baseUrl, dbPath, 'list-stranger');
		for (const client of [new HttpClient(baseUrl), stranger.client]) {
			const { status, html } = await page(`/organisations/${organisation.slug}`, client);
			expect(status).toBe(200);
			expect(new Set(cardSlugs(html))).toEqual(new Set([pilot.slug, ongoing.slug, validated.slug]));
			expect(html).not.toContain('Please cite the city budget document.');
			expect(html).not.toContain(`/cases/new?organisation=`);
			expect(html).not.toContain(escaped(enList.caselist_org_members_note));
		}
	});

	it('shows members every case with its state and feedback, and a link to write one', async () => {
		const { html } = await page(`/organisations/${organisation.slug}`, owner.client);
		expect(new Set(cardSlugs(html))).toEqual(
			new Set([pilot.slug, ongoing.slug, validated.slug, draft.slug, submitted.slug])
		);
		expect(html).toContain(`${enList.caselist_state_draft}</span>`);
		expect(html).toContain('Please cite the city budget document.');
		expect(html).toContain(escaped(enList.caselist_moderator_feedback));
		expect(html).toContain(`href="/cases/new?organisation=${organisation.slug}"`);
		expect(html).toContain(escaped(enList.caselist_org_write));
	});

	it('shows moderators the unpublished cases too, without the write link', async () => {
		const admin = await signedInAdmin(baseUrl, dbPath);
		const { html } = await page(`/organisations/${organisation.slug}`, admin.client);
		expect(cardSlugs(html)).toEqual(expect.arrayContaining([draft.slug, submitted.slug]));
		expect(html).not.toContain(`/cases/new?organisation=`);
	});

	it('says when an organisation has no published cases', async () => {
		const stranger = await signedIn(baseUrl, dbPath, 'list-empty-org');
		const empty = await newOrganisation(stranger, dbPath);
		const visitor = await page(`/organisations/${empty.slug}`);
		expect(visitor.html).toContain(escaped(enList.caselist_org_empty));
		const member = await page(`/organisations/${empty.slug}`, stranger.client);
		expect(member.html).toContain(`href="/cases/new?organisation=${empty.slug}"`);
	});
});
