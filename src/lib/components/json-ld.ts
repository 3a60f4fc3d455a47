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

type Term = { id: string; label: string };

/** SEJONG themes and SDG 11 targets as schema.org DefinedTerms, linked to their pages. */
function definedTerms(origin: string, themes: Term[], sdgTargets: Term[]) {
	return [
		...themes.map((theme) => ({
			'@type': 'DefinedTerm',
			termCode: theme.id,
			name: theme.label,
			url: `${origin}/themes/${theme.id}`,
			inDefinedTermSet: `${origin}/themes`
		})),
		...sdgTargets.map((target) => ({
			'@type': 'DefinedTerm',
			termCode: target.id,
			name: `SDG ${target.id}: ${target.label}`,
			url: `${origin}/sdg/${target.id}`,
			inDefinedTermSet: `${origin}/sdg`
		}))
	];
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
		about: definedTerms(input.origin, input.themes, input.sdgTargets),
		keywords: input.keywords.join(', ')
	};
}

export type OrganisationJsonLdInput = {
	origin: string;
	slug: string;
	name: string;
	kind: string;
	description: string;
	website: string | null;
	languages: string[];
	countryCode: string;
	city: { name: string; latitude: number; longitude: number } | null;
};

/** Cities and national governments are government organisations; the rest, organisations. */
const governmentKinds = new Set(['city', 'national_government']);

/** The organisation's profile as a schema.org Organization (GovernmentOrganization for governments). */
export function organisationJsonLd(input: OrganisationJsonLdInput) {
	const url = `${input.origin}/organisations/${input.slug}`;
	return {
		'@context': 'https://schema.org',
		'@type': governmentKinds.has(input.kind) ? 'GovernmentOrganization' : 'Organization',
		'@id': url,
		name: input.name,
		url,
		...(input.description ? { description: input.description } : {}),
		...(input.website ? { sameAs: [input.website] } : {}),
		...(input.languages.length ? { knowsLanguage: input.languages } : {}),
		address: {
			'@type': 'PostalAddress',
			...(input.city ? { addressLocality: input.city.name } : {}),
			addressCountry: input.countryCode
		},
		...(input.city
			? {
					location: {
						'@type': 'Place',
						name: input.city.name,
						geo: {
							'@type': 'GeoCoordinates',
							latitude: input.city.latitude,
							longitude: input.city.longitude
						}
					}
				}
			: {})
	};
}

export type PartnershipJsonLdInput = {
	origin: string;
	id: string;
	title: string;
	description: string;
	/** "Status: Active." in the reader's language. */
	statusText: string;
	/** "Results: …." in the reader's language, or empty. */
	resultsText: string;
	startDate: Date | null;
	endDate: Date | null;
	parties: { slug: string; name: string; role: string; roleLabel: string }[];
	themes: { id: string; label: string }[];
	sdgTargets: { id: string; label: string }[];
	cooperationTypes: string[];
};

const isoDay = (date: Date) => date.toISOString().slice(0, 10);

/**
 * A public partnership as a schema.org Project (an Organization: its parties are members with
 * their roles, funders also as funder). Organization has no status or result property, so both
 * are said in words in disambiguatingDescription; start and end are its founding and dissolution.
 */
export function partnershipJsonLd(input: PartnershipJsonLdInput) {
	const url = `${input.origin}/partnerships/${input.id}`;
	const organisation = (party: PartnershipJsonLdInput['parties'][number]) => ({
		'@type': 'Organization',
		'@id': `${input.origin}/organisations/${party.slug}`,
		name: party.name,
		url: `${input.origin}/organisations/${party.slug}`
	});
	const funders = input.parties.filter((party) => party.role === 'funding');
	return {
		'@context': 'https://schema.org',
		'@type': 'Project',
		'@id': url,
		name: input.title,
		url,
		...(input.description ? { description: input.description } : {}),
		disambiguatingDescription: [input.statusText, input.resultsText].filter(Boolean).join(' '),
		...(input.startDate ? { foundingDate: isoDay(input.startDate) } : {}),
		...(input.endDate ? { dissolutionDate: isoDay(input.endDate) } : {}),
		member: input.parties.map((party) => ({
			'@type': 'OrganizationRole',
			roleName: party.roleLabel,
			member: organisation(party)
		})),
		...(funders.length ? { funder: funders.map(organisation) } : {}),
		knowsAbout: definedTerms(input.origin, input.themes, input.sdgTargets),
		...(input.cooperationTypes.length ? { keywords: input.cooperationTypes.join(', ') } : {})
	};
}
