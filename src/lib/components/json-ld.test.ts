import { describe, expect, it } from 'vitest';
import { caseStudyJsonLd, jsonLdScript } from './json-ld';

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
