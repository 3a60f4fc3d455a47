import { describe, expect, it } from 'vitest';
import { fieldErrors } from '$lib/server/forms';
import { caseStudyFromForm, editorErrors, standardLines, valuesFromSnapshot } from './form';
import { caseStudyInput } from './schema';

function formOf(fields: Record<string, string | string[]>): FormData {
	const formData = new FormData();
	for (const [key, value] of Object.entries(fields)) {
		for (const item of Array.isArray(value) ? value : [value]) formData.append(key, item);
	}
	return formData;
}

const valid = {
	title: 'Solar street lights for night markets',
	summary: 'The city replaced diesel lamps at three night markets with solar street lights.',
	context: 'Night markets were **dark**.',
	startYear: '2021',
	endYear: '',
	status: 'implemented',
	language: 'en',
	licence: 'CC-BY-4.0',
	themes: ['E', 'S'],
	sdgTargets: ['11.6'],
	'results.0.indicator': 'Lit market lanes',
	'results.0.baseline': '0',
	'results.0.result': '42',
	'results.0.unit': 'lanes',
	'results.0.year': '2023',
	'results.0.sdgIndicator': '',
	'results.0.source': '',
	'sources.0.title': 'City press release',
	'sources.0.url': 'https://nairobi.go.ke/solar-markets'
};

describe('caseStudyFromForm', () => {
	it('builds the nested input the schema accepts', () => {
		const { input } = caseStudyFromForm(formOf(valid));
		const parsed = caseStudyInput.parse(input);
		expect(parsed.title).toBe(valid.title);
		expect(parsed.themes).toEqual(['E', 'S']);
		expect(parsed.results).toEqual([
			{
				indicator: 'Lit market lanes',
				sdgIndicator: null,
				baseline: '0',
				result: '42',
				unit: 'lanes',
				year: 2023,
				source: null
			}
		]);
		expect(parsed.sources).toEqual([
			{ title: 'City press release', url: 'https://nairobi.go.ke/solar-markets' }
		]);
		expect(parsed.budget).toBeNull();
		expect(parsed.endYear).toBeNull();
		expect(parsed.countryCode).toBeNull();
		expect(parsed.cityId).toBeNull();
	});

	it('drops empty rows and compacts the rest, so error paths match the rows shown again', () => {
		const { input, values } = caseStudyFromForm(
			formOf({
				...valid,
				'results.0.indicator': '  ',
				'results.0.baseline': '',
				'results.0.result': '',
				'results.0.unit': '',
				'results.0.year': '',
				'results.3.indicator': 'Trees planted',
				'results.3.result': '',
				'stakeholders.0.name': '',
				'stakeholders.0.role': '',
				'stakeholders.1.name': 'Market committee',
				'stakeholders.1.role': 'Runs the markets',
				'stakeholders.2.name': ''
			})
		);
		expect(values.results).toEqual([
			{
				indicator: 'Trees planted',
				sdgIndicator: '',
				baseline: '',
				result: '',
				unit: '',
				year: '',
				source: ''
			}
		]);
		expect(values.stakeholders).toEqual([
			{ name: 'Market committee', role: 'Runs the markets', organisation: '' }
		]);
		const result = caseStudyInput.safeParse(input);
		expect(result.success).toBe(false);
		expect(fieldErrors(result.error!)).toHaveProperty('results.0.result');
	});

	it('offers two empty rows per group, more after "Add rows", never beyond the maximum', () => {
		const plain = caseStudyFromForm(formOf(valid));
		expect(plain.blankRows).toEqual({ stakeholders: 2, results: 2, sources: 2 });
		const more = caseStudyFromForm(
			formOf({ ...valid, 'results.1.indicator': '', 'results.2.indicator': '' }),
			'results'
		);
		expect(more.blankRows).toEqual({ stakeholders: 2, results: 5, sources: 2 });
		const rows: Record<string, string> = {};
		for (let i = 0; i < 29; i += 1) rows[`sources.${i}.title`] = `Source ${i}`;
		expect(caseStudyFromForm(formOf(rows), 'sources').blankRows.sources).toBe(1);
	});

	it('ignores unknown row fields and groups', () => {
		const { values } = caseStudyFromForm(
			formOf({ 'results.0.evil': 'x', 'nothing.0.name': 'y', 'sources.x.title': 'z' })
		);
		expect(values.results).toEqual([]);
		expect(values.sources).toEqual([]);
	});

	it('splits standards into lines and drops blank ones', () => {
		const { input, values } = caseStudyFromForm(
			formOf({ ...valid, standards: 'ISO 37120\r\n\r\n  IEC 61215 \nOGC SensorThings' })
		);
		expect(input.standards).toEqual(['ISO 37120', 'IEC 61215', 'OGC SensorThings']);
		expect(values.standards).toBe('ISO 37120\r\n\r\n  IEC 61215 \nOGC SensorThings');
		expect(standardLines('\n\n')).toEqual([]);
	});

	it('keeps a budget given by halves so the schema can name the missing half', () => {
		const { input } = caseStudyFromForm(formOf({ ...valid, 'budget.amount': '-5' }));
		expect(input.budget).toEqual({ amount: '-5', currency: '' });
		const result = caseStudyInput.safeParse(input);
		expect(Object.keys(fieldErrors(result.error!))).toEqual(
			expect.arrayContaining(['budget.amount', 'budget.currency'])
		);
		const full = caseStudyFromForm(
			formOf({ ...valid, 'budget.amount': '250000', 'budget.currency': 'usd' })
		);
		expect(caseStudyInput.parse(full.input).budget).toEqual({ amount: 250000, currency: 'USD' });
	});

	it('keeps unknown vocabulary ids and wrong types for the schema to refuse', () => {
		const { input, values } = caseStudyFromForm(
			formOf({
				...valid,
				themes: ['X'],
				sdgTargets: ['11.99'],
				domains: ['nope'],
				startYear: 'abc'
			})
		);
		expect(values.themes).toEqual(['X']);
		const errors = editorErrors(fieldErrors(caseStudyInput.safeParse(input).error!));
		expect(Object.keys(errors)).toEqual(
			expect.arrayContaining(['themes', 'sdgTargets', 'domains', 'startYear'])
		);
	});

	it('reads a file sent in place of text as empty', () => {
		const formData = formOf(valid);
		formData.set('title', new File(['x'], 'x.txt'));
		expect(caseStudyFromForm(formData).values.title).toBe('');
	});

	it('leaves language and licence to their defaults when empty', () => {
		const { input } = caseStudyFromForm(formOf({ ...valid, language: '', licence: '' }));
		const parsed = caseStudyInput.parse(input);
		expect(parsed.language).toBe('en');
		expect(parsed.licence).toBe('CC-BY-4.0');
	});
});

describe('editorErrors', () => {
	it('puts item messages of checkbox groups and standards on the group, keeps row paths', () => {
		expect(
			editorErrors({
				'themes.0': 'bad theme',
				'themes.1': 'other',
				'standards.4': 'too long',
				'results.0.unit': 'too long',
				title: 'required'
			})
		).toEqual({
			themes: 'bad theme',
			standards: 'too long',
			'results.0.unit': 'too long',
			title: 'required'
		});
	});
});

describe('valuesFromSnapshot', () => {
	it('turns a saved revision back into the form it came from', () => {
		const snapshot = {
			...caseStudyInput.parse({
				...caseStudyFromForm(formOf({ ...valid, standards: 'ISO 37120\nIEC 61215' })).input,
				budget: { amount: 1000, currency: 'EUR' }
			}),
			countryCode: 'KE',
			cityId: 184745
		};
		const values = valuesFromSnapshot(snapshot);
		expect(values.title).toBe(valid.title);
		expect(values.startYear).toBe('2021');
		expect(values.endYear).toBe('');
		expect(values.budget).toEqual({ amount: '1000', currency: 'EUR' });
		expect(values.standards).toBe('ISO 37120\nIEC 61215');
		expect(values.results[0]).toMatchObject({ indicator: 'Lit market lanes', year: '2023' });
		expect(values.cityId).toBe('184745');
		expect(values.countryCode).toBe('KE');
	});
});
