/**
 * schema.org JSON-LD for a page's <head>. The JSON is written inside a <script> element, where
 * the HTML parser ends the element at the first `</script` whatever the JSON says: so `<`, `>`
 * and `&` are written as JSON unicode escapes, which mean the same to a JSON parser. U+2028 and
 * U+2029 are escaped too, for old JavaScript parsers that read JSON as script.
 */
export function jsonLdScript(data: unknown): string {
	const json = JSON.stringify(data)
		.replace(/</g, '\\u003c')
		.replace(/>/g, '\\u003e')
		.replace(/&/g, '\\u0026')
		.replace(/\u2028/g, '\\u2028')
		.replace(/\u2029/g, '\\u2029');
	return `<script type="application/ld+json">${json}</script>`;
}

export type CaseStudyJsonLdInput = {
	url: string;
	origin: string;
	title: string;
	summary: string;
	language: string;
	licenceUrl: string | null;
	publishedAt: Date | null;
	updatedAt: Date;
	organisation: { name: string; slug: string };
	place: { city: string | null; countryCode: string; countryName: string };
	themes: { id: string; label: string }[];
	sdgTargets: { id: string; label: string }[];
	keywords: string[];
	/** Site path of the cover image, if the case has one. */
	imagePath?: string | null;
};

/** The case study as a schema.org Article, for search engines and other readers of the page. */
export function caseStudyJsonLd(input: CaseStudyJsonLdInput) {
	const organisation = {
		'@type': 'Organization',
		name: input.organisation.name,
		url: `${input.origin}/organisations/${input.organisation.slug}`
	};
	const placeName = [input.place.city, input.place.countryName].filter(Boolean).join(', ');
	return {
		'@context': 'https://schema.org',
		'@type': 'Article',
		name: input.title,
		headline: input.title.slice(0, 110),
		description: input.summary,
		url: input.url,
		mainEntityOfPage: input.url,
		...(input.imagePath ? { image: `${input.origin}${input.imagePath}` } : {}),
		inLanguage: input.language,
		...(input.licenceUrl ? { license: input.licenceUrl } : {}),
		...(input.publishedAt ? { datePublished: input.publishedAt.toISOString() } : {}),
		dateModified: input.updatedAt.toISOString(),
		author: organisation,
		publisher: organisation,
		spatialCoverage: {
			'@type': 'Place',
			name: placeName,
			address: {
				'@type': 'PostalAddress',
				...(input.place.city ? { addressLocality: input.place.city } : {}),
				addressCountry: input.place.countryCode
			}
		},
		about: [
			...input.themes.map((theme) => ({
				'@type': 'DefinedTerm',
				termCode: theme.id,
				name: theme.label,
				url: `${input.origin}/themes/${theme.id}`,
				inDefinedTermSet: `${input.origin}/themes`
			})),
			...input.sdgTargets.map((target) => ({
				'@type': 'DefinedTerm',
				termCode: target.id,
				name: `SDG ${target.id}: ${target.label}`,
				url: `${input.origin}/sdg/${target.id}`,
				inDefinedTermSet: `${input.origin}/sdg`
			}))
		],
		keywords: input.keywords.join(', ')
	};
}
