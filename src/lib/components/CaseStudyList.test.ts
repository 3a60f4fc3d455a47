import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import CaseStudyList from './CaseStudyList.svelte';

const empty = 'No published case studies on this theme yet.';

describe('CaseStudyList', () => {
	it('shows the empty-state message, and no list, when there are no cases', () => {
		const { body } = render(CaseStudyList, { props: { cases: [], emptyMessage: empty } });
		expect(body).toContain(empty);
		expect(body).not.toContain('<ul');
	});

	it('lists each case with a link to its page, its place and its summary', () => {
		const { body } = render(CaseStudyList, {
			props: {
				emptyMessage: empty,
				cases: [
					{
						title: 'Flood early warning <by SMS>',
						slug: 'flood-early-warning',
						summary: 'Sirens & texts.',
						city: 'Kampala',
						country: 'Uganda'
					},
					{
						title: 'National open data portal',
						slug: 'open-data-portal',
						summary: 'A partner’s case.',
						city: null,
						country: 'Kenya'
					}
				]
			}
		});
		expect(body).not.toContain(empty);
		expect(body).toContain('href="/cases/flood-early-warning"');
		expect(body).toContain('Flood early warning &lt;by SMS>');
		expect(body).toContain('Kampala, Uganda');
		expect(body).toContain('Sirens &amp; texts.');
		expect(body.replace(/<!--.*?-->/g, '')).toMatch(/<p[^>]*>\s*<span[^>]*>Kenya<\/span>\s*<\/p>/);
		expect(body.match(/<h3/g)).toHaveLength(2);
	});

	it('titles the cards at the heading level it is given', () => {
		const { body } = render(CaseStudyList, {
			props: {
				emptyMessage: empty,
				headingLevel: 4,
				cases: [{ title: 'T', slug: 't', summary: 'S', city: 'C', country: 'K' }]
			}
		});
		expect(body).toContain('<h4');
	});

	it('shows the organisation with its badge, the tags, status, period, validations and staleness', () => {
		const { body } = render(CaseStudyList, {
			props: {
				emptyMessage: empty,
				cases: [
					{
						title: 'Bus rapid transit',
						slug: 'brt',
						summary: 'Dedicated lanes.',
						city: 'Dar es Salaam',
						country: 'Tanzania',
						organisation: { slug: 'dar-city', name: 'Dar City <Council>', isVerified: true },
						themes: ['S'],
						sdgTargets: ['11.2'],
						status: 'scaled',
						startYear: 2016,
						endYear: null,
						validationCount: 1,
						outOfDate: true
					}
				]
			}
		});
		const text = body.replace(/<!--.*?-->/g, '');
		expect(text).toContain('href="/organisations/dar-city"');
		expect(text).toContain('Dar City &lt;Council>');
		expect(text).toContain('✓ Verified');
		expect(text).toContain('Sustainable and safe city');
		expect(text).toContain('Transport');
		expect(text).toContain('Scaled · 2016 – ongoing · 1 validation');
		expect(text).toContain('May be out of date');
	});

	it('shows a draft its state and the moderator feedback, and a published case neither', () => {
		const { body } = render(CaseStudyList, {
			props: {
				emptyMessage: empty,
				cases: [
					{
						title: 'Draft case',
						slug: 'draft-case',
						summary: 'Work in progress.',
						workflowState: 'draft',
						moderatorFeedback: 'Please cite a source.',
						validationCount: 0,
						startYear: 2020,
						endYear: 2022
					},
					{ title: 'Live case', slug: 'live', summary: 'Done.', workflowState: 'published' }
				]
			}
		});
		const text = body.replace(/<!--.*?-->/g, '');
		expect(text).toContain('Draft</span>');
		expect(text).toContain('Please cite a source.');
		expect(text).toContain('2020 – 2022 · 0 validations');
		expect(text).not.toContain('Published</span>');
	});
});
