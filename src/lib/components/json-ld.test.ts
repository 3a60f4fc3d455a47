import { describe, expect, it } from 'vitest';
import { caseStudyJsonLd, jsonLdScript, organisationJsonLd, partnershipJsonLd } from './json-ld';

const input = {
	url: 'https://citybridge.example/cases/solar',
	origin: 'https://citybridge.example',
	title: 'Solar lights',
	summary: 'Night markets lit by solar lamps.',
	language: 'en',
	licenceUrl: 'https://creativecommons.org/licenses/by/4.0/',
	publishedAt: new Date('2025-01-02T03:04:05Z'),
	updatedAt: new Date('2025-02-03T04:05:06Z'),
	organisation: { name: 'City of Nairobi', slug: 'city-of-nairobi' },
	place: { city: 'Nairobi', countryCode: 'KE', countryName: 'Kenya' },
	themes: [{ id: 'E', label: 'Eco-green' }],
	sdgTargets: [{ id: '11.6', label: 'Air quality and waste' }],
	keywords: ['Energy']
};

function scriptBody(html: string): string {
	const match = /^<script type="application\/ld\+json">([\s\S]*)<\/script>$/.exec(html);
	if (!match) throw new Error(`not one script element: ${html}`);
	return match[1];
}

describe('jsonLdScript', () => {
	it('cannot be closed early by a title containing </script>', () => {
		const title = '</script><script>alert(1)</script><!-- & \u2028';
		const html = jsonLdScript({ name: title });
		const body = scriptBody(html);
		expect(body).not.toMatch(/[<>&\u2028]/);
		expect(html.match(/<\/script/gi)).toHaveLength(1);
		expect(JSON.parse(body)).toEqual({ name: title });
	});
});

describe('caseStudyJsonLd', () => {
	it('describes the case as an Article with its organisation, place, dates, licence and tags', () => {
		const data = caseStudyJsonLd(input);
		expect(data).toMatchObject({
			'@type': 'Article',
			name: 'Solar lights',
			url: input.url,
			inLanguage: 'en',
			license: input.licenceUrl,
			datePublished: '2025-01-02T03:04:05.000Z',
			dateModified: '2025-02-03T04:05:06.000Z',
			author: { '@type': 'Organization', name: 'City of Nairobi' },
			spatialCoverage: {
				'@type': 'Place',
				name: 'Nairobi, Kenya',
				address: { addressLocality: 'Nairobi', addressCountry: 'KE' }
			}
		});
		expect(data.about.map((term) => term.termCode)).toEqual(['E', '11.6']);
		expect(data).not.toHaveProperty('image');
	});

	it('links the cover image by its full address', () => {
		const data = caseStudyJsonLd({ ...input, imagePath: '/media/case-studies/abc?v=1' });
		expect(data).toHaveProperty('image', 'https://citybridge.example/media/case-studies/abc?v=1');
	});

	it('leaves out what an unpublished case does not have', () => {
		const data = caseStudyJsonLd({ ...input, publishedAt: null, licenceUrl: null });
		expect(data).not.toHaveProperty('datePublished');
		expect(data).not.toHaveProperty('license');
	});
});

describe('organisationJsonLd', () => {
	const organisation = {
		origin: 'https://citybridge.example',
		slug: 'city-of-nairobi',
		name: 'City of Nairobi',
		kind: 'city',
		description: '',
		website: null,
		languages: [],
		countryCode: 'KE',
		city: { name: 'Nairobi', latitude: -1.28, longitude: 36.82 }
	};

	it('describes a city as a GovernmentOrganization placed in its city', () => {
		const data = organisationJsonLd(organisation);
		expect(data).toMatchObject({
			'@type': 'GovernmentOrganization',
			name: 'City of Nairobi',
			url: 'https://citybridge.example/organisations/city-of-nairobi',
			address: { addressLocality: 'Nairobi', addressCountry: 'KE' },
			location: { geo: { latitude: -1.28, longitude: 36.82 } }
		});
		expect(data).not.toHaveProperty('sameAs');
		expect(data).not.toHaveProperty('description');
	});

	it('describes a partner as an Organization with its website as sameAs', () => {
		const data = organisationJsonLd({
			...organisation,
			kind: 'ngo',
			city: null,
			website: 'https://ngo.example.org',
			languages: ['fr']
		});
		expect(data).toMatchObject({
			'@type': 'Organization',
			sameAs: ['https://ngo.example.org'],
			knowsLanguage: ['fr'],
			address: { addressCountry: 'KE' }
		});
		expect(data).not.toHaveProperty('location');
	});
});

describe('partnershipJsonLd', () => {
	const partnership = {
		origin: 'https://citybridge.example',
		id: 'p1',
		title: 'Flood warnings',
		description: 'Sirens along the river.',
		statusText: 'Status: Completed.',
		resultsText: 'Results: Households warned: 0 → 4200.',
		startDate: new Date('2025-03-04T10:00:00Z'),
		endDate: new Date('2026-01-02T10:00:00Z'),
		parties: [
			{ slug: 'kisumu', name: 'Kisumu', role: 'beneficiary', roleLabel: 'Beneficiary' },
			{ slug: 'fund', name: 'Fund', role: 'funding', roleLabel: 'Funder' }
		],
		themes: [{ id: 'S', label: 'Safe city' }],
		sdgTargets: [{ id: '11.5', label: 'Disasters' }],
		cooperationTypes: ['Financial']
	};

	it('describes a partnership as a Project with members in their roles, dates and results', () => {
		const data = partnershipJsonLd(partnership);
		expect(data).toMatchObject({
			'@type': 'Project',
			name: 'Flood warnings',
			foundingDate: '2025-03-04',
			dissolutionDate: '2026-01-02',
			disambiguatingDescription: 'Status: Completed. Results: Households warned: 0 → 4200.',
			funder: [{ name: 'Fund', url: 'https://citybridge.example/organisations/fund' }],
			keywords: 'Financial'
		});
		expect(data.member).toEqual([
			expect.objectContaining({ '@type': 'OrganizationRole', roleName: 'Beneficiary' }),
			expect.objectContaining({ roleName: 'Funder' })
		]);
		expect(data.knowsAbout.map((term) => term.termCode)).toEqual(['S', '11.5']);
	});

	it('leaves out the dates and funders a partnership does not have', () => {
		const data = partnershipJsonLd({
			...partnership,
			startDate: null,
			endDate: null,
			parties: partnership.parties.slice(0, 1),
			resultsText: ''
		});
		expect(data).not.toHaveProperty('foundingDate');
		expect(data).not.toHaveProperty('dissolutionDate');
		expect(data).not.toHaveProperty('funder');
		expect(data.disambiguatingDescription).toBe('Status: Completed.');
	});
});
