import { describe, expect, it } from 'vitest';
import { shadeOf, shadeRanges } from './heat';

describe('heat-map shading', () => {
	it('leaves empty cells unshaded and gives the largest count the darkest shade', () => {
		expect(shadeOf(0, 10)).toBe(0);
		expect(shadeOf(0, 0)).toBe(0);
		expect(shadeOf(10, 10)).toBe(4);
		expect(shadeOf(1, 1)).toBe(4);
	});

	it('gives any non-empty cell at least the lightest visible shade', () => {
		expect(shadeOf(1, 1000)).toBe(1);
		expect(shadeOf(3, 10)).toBe(2);
		expect(shadeOf(6, 10)).toBe(3);
	});

	it('states which counts each shade stands for, matching the cells', () => {
		for (const max of [1, 2, 3, 7, 10, 1234]) {
			const ranges = shadeRanges(max);
			expect(ranges[0].from).toBe(1);
			expect(ranges.at(-1)!.to).toBe(max);
			for (const { shade, from, to } of ranges) {
				expect(shadeOf(from, max)).toBe(shade);
				expect(shadeOf(to, max)).toBe(shade);
			}
		}
		expect(shadeRanges(10)).toEqual([
			{ shade: 1, from: 1, to: 2 },
			{ shade: 2, from: 3, to: 5 },
			{ shade: 3, from: 6, to: 7 },
			{ shade: 4, from: 8, to: 10 }
		]);
		expect(shadeRanges(0)).toEqual([]);
	});
});
