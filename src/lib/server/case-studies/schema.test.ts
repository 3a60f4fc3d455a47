import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { caseStudyInput } from './schema';

const demo = JSON.parse(readFileSync('db/demo/case-studies.json', 'utf8')) as Record<
	string,
	unknown
>[];
const valid = demo[0];

const errorsOf = (value: unknown) => {
	const result = caseStudyInput.safeParse(value);
	return result.success
		? {}
		: Object.fromEntries(result.error.issues.map((i) => [i.path.join('.'), i.message]));
};

describe('caseStudyInput', () => {
	it('accepts every demo case study as it is', () => {
		for (const entry of demo) {
			const result = caseStudyInput.safeParse(entry);
			expect(result.error?.issues ?? [], String(entry.slug)).toEqual([]);
		}
	});

	it('keeps the demo content', () => {
		const parsed = caseStudyInput.parse(valid);
		expect(parsed.title).toBe(valid.title);
		expect(parsed.themes).toEqual(valid.themes);
		expect(parsed.results[0].year).toBe(2023);
		expect(parsed.countryCode).toBeNull();
	});

	it('requires a title, a summary, a theme and an SDG target', () => {
		const errors = errorsOf({
			...valid,
			title: '',
			summary: ' ',
			themes: [],
			sdgTargets: undefined
		});
		expect(Object.keys(errors).sort()).toEqual(['sdgTargets', 'summary', 'themes', 'title']);
	});

	it('refuses oversize texts and unknown vocabulary ids with field messages', () => {
		const errors = errorsOf({
			...valid,
			summary: 'x'.repeat(301),
			context: 'x'.repeat(10_001),
			themes: ['Q'],
			sdgTargets: ['11.9'],
			domains: ['space'],
			status: 'finished'
		});
		expect(Object.keys(errors).sort()).toEqual(
			['context', 'domains.0', 'sdgTargets.0', 'status', 'summary', 'themes.0'].sort()
		);
		expect(errors.summary).toMatch(/300/);
	});

	it('refuses wrong types, bad years and dangerous source links', () => {
		const errors = errorsOf({
			...valid,
			title: 42,
			startYear: 'soon',
			endYear: 1900,
			sources: [{ title: 'x', url: 'javascript:alert(1)' }],
			stakeholders: [{ name: '', role: 'x' }],
			budget: { amount: -1, currency: 'dollars' }
		});
		expect(Object.keys(errors).sort()).toEqual(
			[
				'budget.amount',
				'budget.currency',
				'endYear',
				'sources.0.url',
				'stakeholders.0.name',
				'startYear',
				'title'
			].sort()
		);
	});

	it('refuses an end year before the start year', () => {
		expect(errorsOf({ ...valid, startYear: '2020', endYear: '2019' })).toHaveProperty('endYear');
		expect(errorsOf({ ...valid, startYear: '2020', endYear: '' })).toEqual({});
	});
});
