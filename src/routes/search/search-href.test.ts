import { describe, expect, it } from 'vitest';
import { searchQueryString, type SearchUrlState } from './search-href';

const state: SearchUrlState = {
	q: 'flood warning',
	filters: [
		{ name: 'type', value: 'case_study' },
		{ name: 'theme', value: 'S' },
		{ name: 'theme', value: 'E' },
		{ name: 'year', value: '2021' }
	],
	sort: null,
	limit: null,
	page: 3
};

describe('searchQueryString', () => {
	it('writes the query, every filter value in order and the page', () => {
		expect(searchQueryString(state)).toBe(
			'?q=flood+warning&type=case_study&theme=S&theme=E&year=2021&page=3'
		);
	});

	it('removes one value of a repeated filter and starts again at page 1', () => {
		expect(searchQueryString(state, { drop: { name: 'theme', value: 'S' } })).toBe(
			'?q=flood+warning&type=case_study&theme=E&year=2021'
		);
	});

	it('clears every filter but keeps the words', () => {
		expect(searchQueryString(state, { drop: 'all' })).toBe('?q=flood+warning');
	});

	it('switches the type tab, or shows every type', () => {
		expect(searchQueryString(state, { type: 'organisation' })).toBe(
			'?q=flood+warning&type=organisation&theme=S&theme=E&year=2021'
		);
		expect(searchQueryString(state, { type: null })).toBe(
			'?q=flood+warning&theme=S&theme=E&year=2021'
		);
	});

	it('keeps a chosen order and page size, and goes to another page', () => {
		const chosen = { ...state, filters: [], sort: 'newest', limit: 50 };
		expect(searchQueryString(chosen, { page: 2 })).toBe(
			'?q=flood+warning&sort=newest&limit=50&page=2'
		);
		expect(searchQueryString(chosen, { q: 'flood warnings' })).toBe(
			'?q=flood+warnings&sort=newest&limit=50'
		);
	});

	it('encodes what people type, so it comes back as typed', () => {
		const typed = '"open data" -taxi & <b>café</b> 100%';
		const search = searchQueryString({ ...state, q: typed, filters: [], page: 1 });
		expect(new URLSearchParams(search).get('q')).toBe(typed);
		expect(searchQueryString({ ...state, q: '', filters: [], page: 1 })).toBe('');
	});
});
