import { describe, expect, it } from 'vitest';
import { diffLines, diffSnapshots, fieldText } from './diff';

describe('diffLines', () => {
	it('marks nothing when both sides are equal', () => {
		expect(diffLines('a\nb', 'a\nb')).toEqual([
			{ op: 'same', text: 'a' },
			{ op: 'same', text: 'b' }
		]);
	});

	it('finds inserted, removed and changed lines', () => {
		expect(diffLines('one\ntwo\nthree', 'one\n2\nthree\nfour')).toEqual([
			{ op: 'same', text: 'one' },
			{ op: 'remove', text: 'two' },
			{ op: 'add', text: '2' },
			{ op: 'same', text: 'three' },
			{ op: 'add', text: 'four' }
		]);
	});

	it('keeps memory bounded on thousands of changed lines, matching equal ends first', () => {
		const before = ['title', ...Array.from({ length: 5000 }, (_, i) => `a${i}`), 'end'].join('\n');
		const after = ['title', ...Array.from({ length: 5000 }, (_, i) => `b${i}`), 'end'].join('\n');
		const lines = diffLines(before, after);
		expect(lines[0]).toEqual({ op: 'same', text: 'title' });
		expect(lines.at(-1)).toEqual({ op: 'same', text: 'end' });
		expect(lines.filter((line) => line.op === 'remove')).toHaveLength(5000);
		expect(lines.filter((line) => line.op === 'add')).toHaveLength(5000);
	});

	it('handles empty sides', () => {
		expect(diffLines('', 'new')).toEqual([{ op: 'add', text: 'new' }]);
		expect(diffLines('old', '')).toEqual([{ op: 'remove', text: 'old' }]);
		expect(diffLines('', '')).toEqual([]);
	});
});

describe('diffSnapshots', () => {
	const before = {
		title: 'Water kiosks',
		themes: ['S', 'E'],
		budget: null,
		results: [{ indicator: 'Households served', result: '1,000', year: 2020 }]
	};

	it('lists only the changed fields, in the requested order', () => {
		const after = {
			...before,
			themes: ['S', 'G'],
			budget: { amount: 5000, currency: 'USD' },
			results: [{ indicator: 'Households served', result: '2,500', year: 2022 }]
		};
		const diff = diffSnapshots(before, after, ['title', 'themes', 'budget', 'results']);
		expect(diff.map((change) => change.field)).toEqual(['themes', 'budget', 'results']);
		expect(diff[0].lines).toEqual([
			{ op: 'same', text: 'S' },
			{ op: 'remove', text: 'E' },
			{ op: 'add', text: 'G' }
		]);
		expect(diff[1].lines).toEqual([{ op: 'add', text: '5000 · USD' }]);
		expect(diff[2].lines).toEqual([
			{ op: 'remove', text: 'Households served · 1,000 · 2020' },
			{ op: 'add', text: 'Households served · 2,500 · 2022' }
		]);
	});

	it('is empty for identical snapshots and covers fields present on one side only', () => {
		expect(diffSnapshots(before, structuredClone(before))).toEqual([]);
		expect(diffSnapshots({}, { lessons: 'New' })).toEqual([
			{ field: 'lessons', lines: [{ op: 'add', text: 'New' }] }
		]);
	});

	it('writes values as text', () => {
		expect(fieldText(null)).toBe('');
		expect(fieldText(2024)).toBe('2024');
		expect(fieldText(['a', 'b'])).toBe('a\nb');
	});
});
