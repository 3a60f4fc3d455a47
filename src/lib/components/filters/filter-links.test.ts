import { describe, expect, it } from 'vitest';
import { activeFilters, listHref, removalsOf } from './filter-links';

const values: Record<string, string[]> = { theme: ['G', 'J'], sdg: ['11.5'], year: [] };
const valuesOf = (name: string) => values[name] ?? [];
const names = ['theme', 'sdg', 'year'];

describe('listHref', () => {
	it('writes each value of each filter in the order of the names, then the extra pairs', () => {
		expect(listHref('/cases', names, valuesOf)).toBe('/cases?theme=G&theme=J&sdg=11.5');
		expect(listHref('/cases', names, valuesOf, { extra: [['cursor', 'a/b=']] })).toBe(
			'/cases?theme=G&theme=J&sdg=11.5&cursor=a%2Fb%3D'
		);
	});

	it('leaves out only the dropped value of a repeated filter', () => {
		expect(listHref('/cases', names, valuesOf, { drop: { name: 'theme', value: 'G' } })).toBe(
			'/cases?theme=J&sdg=11.5'
		);
	});

	it('encodes what people typed and writes no "?" without filters', () => {
		expect(listHref('/insights', ['q'], () => ['a&b=c <é>'])).toBe(
			'/insights?q=a%26b%3Dc%20%3C%C3%A9%3E'
		);
		expect(listHref('/insights', names, () => [])).toBe('/insights');
	});
});

describe('activeFilters', () => {
	it('gives one chip per value, each with the list without it', () => {
		const chips = activeFilters(names, valuesOf, {
			label: (name, value) => `${name}: ${value}`,
			removeLabel: (label) => `Remove ${label}`,
			hrefWithout: (drop) => listHref('/cases', names, valuesOf, { drop })
		});
		expect(chips).toEqual([
			{
				key: 'theme=G',
				label: 'theme: G',
				removeHref: '/cases?theme=J&sdg=11.5',
				removeLabel: 'Remove theme: G'
			},
			{
				key: 'theme=J',
				label: 'theme: J',
				removeHref: '/cases?theme=G&sdg=11.5',
				removeLabel: 'Remove theme: J'
			},
			{
				key: 'sdg=11.5',
				label: 'sdg: 11.5',
				removeHref: '/cases?theme=G&theme=J',
				removeLabel: 'Remove sdg: 11.5'
			}
		]);
		expect(removalsOf(chips)[0]).toEqual({
			key: 'theme=G',
			href: '/cases?theme=J&sdg=11.5',
			label: 'Remove theme: G'
		});
	});
});
