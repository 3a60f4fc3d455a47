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
		expect(body).toMatch(/<p[^>]*>Kenya<\/p>/);
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
});
