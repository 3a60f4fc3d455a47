/**
 * Query parameters as OpenAPI parameter objects, each schema converted from the zod schema the
 * endpoint's own parser validates it with, so the document states exactly what is accepted.
 */
import { z } from 'zod';
import * as caseStudies from '$lib/server/case-studies';
import * as matching from '$lib/server/matching';
import { matchKinds } from '$lib/server/matching/api';
import * as listings from '$lib/server/needs-offers';
import * as organisations from '$lib/server/organisations';
import * as partnerships from '$lib/server/partnerships';
import { citySearchSchema, maxCitySearchLimit } from '$lib/server/places';
import { facetValueSchemas as searchFacetSchemas, searchSorts } from '$lib/server/search/params';
import { facetNames as searchFacetNames } from '$lib/server/search/types';
import * as stats from '$lib/server/stats';
import { incomeGroupSchema, regionCodeSchema } from '$lib/vocab/schemas';

export type JsonSchema = Record<string, unknown>;
export type Parameter = {
	name: string;
	in: 'query' | 'path';
	description?: string;
	required?: boolean;
	schema: JsonSchema;
	style?: 'form';
	explode?: boolean;
	example?: unknown;
};

/**
 * The keys of an object schema a request must send: those whose absence the parser rejects.
 * zod's own `required` reads the declared types, so it lists a field whose preprocess turns a
 * missing value into `null` (a budget, a deadline) and misses a list that must not be empty.
 */
function requiredKeys(object: z.ZodObject): string[] {
	return Object.entries(object.shape)
		.filter(([, field]) => !field.safeParse(undefined).success)
		.map(([key]) => key);
}

/** JSON Schema 2020-12 (OpenAPI 3.1's dialect) of what a request may send. */
export function inputSchema(schema: z.ZodType): JsonSchema {
	const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, {
		target: 'draft-2020-12',
		io: 'input',
		unrepresentable: 'any',
		override: ({ zodSchema, jsonSchema }) => {
			if (!(zodSchema instanceof z.ZodObject)) return;
			const required = requiredKeys(zodSchema);
			if (required.length) jsonSchema.required = required;
			else delete jsonSchema.required;
		}
	}) as JsonSchema;
	return rest;
}

/** A filter that may be repeated: `?theme=S&theme=E` means either. */
function facet(name: string, value: z.ZodType, description: string): Parameter {
	return {
		name,
		in: 'query',
		description: `${description} Repeat for any of several values.`,
		schema: { type: 'array', items: inputSchema(value) },
		style: 'form',
		explode: true
	};
}

function single(name: string, schema: z.ZodType | JsonSchema, description: string): Parameter {
	return {
		name,
		in: 'query',
		description,
		schema: schema instanceof z.ZodType ? inputSchema(schema) : schema
	};
}

export function pathParameter(name: string, description: string): Parameter {
	return { name, in: 'path', required: true, description, schema: { type: 'string' } };
}

const limit = (max: number, fallback: number) =>
	single(
		'limit',
		z.int().min(1).max(max).default(fallback),
		`Rows per page, 1–${max} (default ${fallback}).`
	);
const cursor = single(
	'cursor',
	z.string(),
	"Opaque: the previous page's `next`. Leave out for the first page."
);
export const formatParameter = single(
	'format',
	z.enum(['json', 'csv']),
	'`csv` answers the same rows as CSV (as does `Accept: text/csv`).'
);

/** `limit`, `cursor` and `format`: what every paginated list takes. */
export const pageParameters = [limit(100, 20), cursor, formatParameter];

const m49Description =
	'UN M49 region or sub-region code, e.g. 002 (Africa), 202 (Sub-Saharan Africa).';
const countryDescription = 'ISO 3166-1 alpha-2 country code.';

export const caseStudyParameters: Parameter[] = (() => {
	const shape = caseStudies.listFilterSchema.shape;
	const element = (schema: z.ZodType) =>
		((inputSchema(schema).anyOf as JsonSchema[] | undefined)?.[0] ?? inputSchema(schema))
			.items as JsonSchema;
	const facetOf = (name: keyof typeof shape, description: string): Parameter => ({
		name,
		in: 'query',
		description: `${description} Repeat for any of several values.`,
		schema: { type: 'array', items: element(shape[name]) },
		style: 'form',
		explode: true
	});
	return [
		facetOf('theme', 'SEJONG theme id.'),
		facetOf('sdg', 'SDG 11 target id.'),
		facetOf('region', 'UN M49 region code.'),
		facetOf('country', countryDescription),
		facetOf('income', 'World Bank income group of the country.'),
		facetOf('domain', 'Service domain.'),
		facetOf('technology', 'Technology.'),
		facetOf('status', 'Implementation status.'),
		facetOf('year', 'A year the case was running.'),
		single('organisation', shape.organisation, "The publishing organisation's slug."),
		single('sort', shape.sort, '`newest` (default) or `validated` (most validations first).')
	];
})();

export const organisationParameters: Parameter[] = (() => {
	const shape = organisations.listFilterSchema.shape;
	return [
		facet('kind', shape.kind.element, 'Kind of organisation.'),
		facet('region', shape.region.element, m49Description),
		facet('country', shape.country.element, countryDescription),
		facet('income', shape.income.element, 'World Bank income group of the country.'),
		single('verified', shape.verified, '`true` keeps verified organisations only.'),
		single('q', shape.q, 'Words in the name.')
	];
})();

/** Needs and offers: the listing filters (`offerFormat` for offers only). */
export function listingParameters(kind: 'need' | 'offer'): Parameter[] {
	const schemas = listings.valueSchemas;
	const descriptions: Record<string, string> = {
		theme: 'SEJONG theme id.',
		sdg: 'SDG 11 target id.',
		region: m49Description,
		country: countryDescription,
		income: 'World Bank income group of the country.',
		cooperation: 'Cooperation type.',
		language: 'A working language (ISO 639-1).',
		status: 'Status; open (and unexpired) ones when left out.',
		offerFormat: 'Format of the offer.'
	};
	return listings.filterNames(kind).map((name) => {
		const schema =
			name === 'status'
				? kind === 'need'
					? schemas.needStatus
					: schemas.offerStatus
				: schemas[name];
		return facet(name, schema, descriptions[name]);
	});
}

export const matchParameters = (kinds: boolean): Parameter[] => [
	...(kinds
		? [facet('kind', z.enum(matchKinds), 'Keep only these kinds of match (default: all).')]
		: []),
	limit(matching.MAX_LIMIT, matching.DEFAULT_LIMIT),
	formatParameter
];

export const partnershipParameters: Parameter[] = (() => {
	const schemas = partnerships.facetSchemas;
	const descriptions: Record<(typeof partnerships.filterNames)[number], string> = {
		status: 'Status of the partnership.',
		theme: 'SEJONG theme id.',
		sdg: 'SDG 11 target id.',
		region: `A party's country is in this ${m49Description}`,
		country: `A party's country: ${countryDescription}`,
		cooperation: 'Cooperation type.'
	};
	return partnerships.filterNames.map((name) => facet(name, schemas[name], descriptions[name]));
})();

export const searchParameters: Parameter[] = [
	single('q', z.string().max(200), 'Words, "phrases", -exclusions; empty lists everything.'),
	...searchFacetNames.map((name) =>
		facet(name, searchFacetSchemas[name], `Facet \`${name}\` (names as in the answer's facets).`)
	),
	single('sort', z.enum(searchSorts), '`relevance` (default with a query) or `newest`.'),
	single('page', z.int().min(1).max(1000).default(1), 'Page number.'),
	single('limit', z.int().min(1).max(100).default(20), 'Hits per page.'),
	formatParameter
];

const statsDescriptions: Record<string, string> = {
	region: 'UN M49 region or sub-region code of the record’s place.',
	income: 'World Bank income group of the record’s country.',
	theme: 'SEJONG theme id.',
	sdg: 'SDG 11 target id.',
	cooperation: 'Cooperation type (case studies carry none and are not narrowed).'
};

/** The stats filters, from the stats module's own schemas, in its order. */
export const statsParameters: Parameter[] = [
	...stats.statsFilterNames.map((name) =>
		name === 'from' || name === 'to'
			? single(
					name,
					stats.statsMonthSchema,
					`${name === 'from' ? 'First' : 'Last'} month, \`YYYY-MM\`, inclusive.`
				)
			: facet(name, stats.statsFilterValueSchemas[name], statsDescriptions[name])
	),
	single('view', z.enum(stats.statsViews), 'One view as flat rows (needed for CSV).'),
	formatParameter
];

export const countryParameters: Parameter[] = [
	facet('region', regionCodeSchema, 'UN M49 region code.'),
	facet('income', incomeGroupSchema, 'World Bank income group.'),
	single('lang', z.enum(['en', 'fr']), 'Language of the names.'),
	formatParameter
];

export const cityParameters: Parameter[] = (() => {
	const shape = citySearchSchema.shape;
	return [
		single('q', shape.q, 'The start of the city name.'),
		single('country', shape.country, countryDescription),
		limit(maxCitySearchLimit, 10),
		single('lang', shape.lang, 'Language of the country names.'),
		formatParameter
	];
})();
