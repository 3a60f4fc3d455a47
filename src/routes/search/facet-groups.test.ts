import { describe, expect, it } from 'vitest';
import { facetNames } from '$lib/server/search/types';
import { activeFilters, facetGroups, hitDetails } from './facet-groups';

const countryNames: Record<string, string> = { KE: 'Kenya', GH: 'Ghana', BR: 'Brazil' };
const countryName = (code: string) => countryNames[code] ?? code;
const collator = new Intl.Collator('en');

describe('facetGroups', () => {
	const groups = facetGroups(
		facetNames,
		{
			type: { case_study: 3 },
			theme: { G: 1, S: 2, E: 0 },
			country: { GH: 1, KE: 4, BR: 1 },
			year: { '2019': 1, '2021': 2 },
			domain: {}
		},
		{ theme: ['J'], year: ['2021'] },
		countryName,
		collator
	);
	const group = (name: string) => groups.find((entry) => entry.name === name);

	it('leaves out the type (tabs show it) and facets with nothing to choose', () => {
		expect(groups.map((entry) => entry.name)).toEqual(['theme', 'country', 'year']);
	});

	it('lists vocabulary values in the vocabulary order, drops zero counts, keeps chosen ones', () => {
		expect(group('theme')?.options).toEqual([
			{ value: 'S', label: 'S · Sustainable and safe city', count: 2, selected: false },
			{ value: 'J', label: expect.stringMatching(/^J · /), count: 0, selected: true },
			{ value: 'G', label: expect.stringMatching(/^G · /), count: 1, selected: false }
		]);
	});

	it('lists countries by count then name, and years newest first', () => {
		expect(group('country')?.options.map((option) => option.label)).toEqual([
			'Kenya',
			'Brazil',
			'Ghana'
		]);
		expect(group('year')?.options.map((option) => [option.value, option.selected])).toEqual([
			['2021', true],
			['2019', false]
		]);
	});
});

describe('activeFilters', () => {
	it('labels each chosen value on its own, in the order of the facets', () => {
		expect(
			activeFilters(facetNames, { country: ['KE'], type: ['organisation'] }, countryName)
		).toEqual([
			{ name: 'type', value: 'organisation', label: 'Organisation' },
			{ name: 'country', value: 'KE', label: 'Kenya' }
		]);
	});
});

describe('hitDetails', () => {
	it('names the kind, the place and the organisation, skipping what is unknown', () => {
		expect(
			hitDetails({ kind: 'city', city: 'Nairobi', country: 'KE', organisation: null }, countryName)
		).toEqual(['City', 'Nairobi, Kenya']);
		expect(hitDetails({ organisation: 'Accra Metro' }, countryName)).toEqual(['Accra Metro']);
	});
});
