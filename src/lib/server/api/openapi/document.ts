/**
 * The OpenAPI 3.1 document of the public API, built from the zod schemas the endpoints validate
 * with (parameters, request bodies) and the answer schemas in `./schemas` (validated against the
 * real answers by tests/http/openapi.test.ts). Served by GET /api/v1/openapi.json and rendered by
 * /api/v1/docs.
 */
import { z } from 'zod';
import { needInput, offerInput } from '$lib/server/needs-offers';
import {
	caseStudyParameters,
	cityParameters,
	countryParameters,
	formatParameter,
	inputSchema,
	listingParameters,
	matchParameters,
	organisationParameters,
	pageParameters,
	partnershipParameters,
	pathParameter,
	searchParameters,
	statsParameters,
	type JsonSchema,
	type Parameter
} from './parameters';
import * as schemas from './schemas';

export const API_VERSION = '1.0.0';
export const LICENCE_URL = 'https://creativecommons.org/licenses/by/4.0/';

/** Answer schemas by component name; lists are `<Name>List`. */
const answerSchemas = {
	Problem: schemas.problem,
	CaseStudy: schemas.caseStudy,
	CaseStudyDetail: schemas.caseStudyDetail,
	CaseStudyList: schemas.listOf(schemas.caseStudy),
	Organisation: schemas.organisation,
	OrganisationList: schemas.listOf(schemas.organisation),
	Need: schemas.need,
	NeedList: schemas.listOf(schemas.need),
	Offer: schemas.offer,
	OfferList: schemas.listOf(schemas.offer),
	Match: schemas.match,
	MatchList: schemas.listOf(schemas.match),
	Partnership: schemas.partnership,
	PartnershipDetail: schemas.partnershipDetail,
	PartnershipList: schemas.listOf(schemas.partnership),
	SearchAnswer: schemas.searchAnswer,
	StatsFilters: schemas.statsFilters,
	Insights: schemas.insights,
	StatsView: schemas.statsView,
	Vocabularies: schemas.vocabularies,
	Country: schemas.country,
	CountryList: schemas.listOf(schemas.country),
	City: schemas.city,
	CityList: schemas.listOf(schemas.city),
	Health: schemas.health,
	BulkIndex: schemas.bulkIndex
} satisfies Record<string, z.ZodType>;
export type AnswerSchemaName = keyof typeof answerSchemas;

function componentSchemas(): Record<string, JsonSchema> {
	const registry = z.registry<{ id: string }>();
	for (const [id, schema] of Object.entries(answerSchemas)) registry.add(schema, { id });
	const converted = z.toJSONSchema(registry, {
		target: 'draft-2020-12',
		io: 'output',
		uri: (id) => `#/components/schemas/${id}`
	}).schemas as Record<string, JsonSchema>;
	const result: Record<string, JsonSchema> = {};
	for (const [id, schema] of Object.entries(converted)) {
		const { $schema: _dialect, $id: _id, ...rest } = schema;
		result[id] = rest;
	}
	// The write bodies: the very schemas the form actions and write endpoints parse.
	for (const [name, input] of [
		['Need', needInput],
		['Offer', offerInput]
	] as const) {
		const body = inputSchema(input) as JsonSchema & {
			properties: Record<string, JsonSchema>;
			required?: string[];
		};
		const { organisationId, ...fields } = body.properties;
		result[`${name}Create`] = {
			...body,
			properties: {
				organisationId: { ...organisationId, description: 'Id of the organisation posting.' },
				...fields
			},
			required: ['organisationId', ...(body.required ?? [])]
		};
		result[`${name}Update`] = {
			...body,
			properties: fields,
			required: (body.required ?? []).filter((field) => field !== 'organisationId'),
			description: 'A full replacement: fields left out take their empty value.'
		};
	}
	return result;
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const problemResponse = (description: string) => ({
	description,
	content: { 'application/problem+json': { schema: ref('Problem') } }
});
const problems = {
	400: problemResponse('A parameter (or body field) is unknown or not valid; `errors` names each.'),
	401: problemResponse('No valid session or token.'),
	403: problemResponse('The session or token may not do this.'),
	404: problemResponse('There is no such record that you may see.'),
	413: problemResponse('The body is larger than 64 KiB.'),
	415: problemResponse('The body is not `application/json`.'),
	422: problemResponse('Valid fields that break a rule (e.g. only cities post needs).'),
	429: {
		...problemResponse('Too many requests; wait `Retry-After` seconds.'),
		headers: { 'Retry-After': { schema: { type: 'integer' } } }
	},
	503: problemResponse('The search engine is not available; retry later.')
};
type ProblemStatus = keyof typeof problems;

const listHeaders = {
	'X-Total-Count': { description: 'Same as `total`.', schema: { type: 'integer' } },
	Link: {
		description: 'The next page, `rel="next"`, when there is one.',
		schema: { type: 'string' }
	}
};
const csvContent = {
	'text/csv': {
		schema: { type: 'string' },
		example: 'slug,title,…\r\n'
	}
};

const tags = [
	{ name: 'Case studies', description: 'Published practices with their results.' },
	{ name: 'Organisations', description: 'Cities and capacity-building partners.' },
	{ name: 'Needs', description: "Cities' requests for cooperation." },
	{ name: 'Offers', description: "Partners' offers of help." },
	{ name: 'Matches', description: 'Scored, explained pairings.' },
	{ name: 'Partnerships', description: 'Cooperation from need to outcome.' },
	{ name: 'Search', description: 'One search over everything.' },
	{ name: 'Statistics', description: 'The dashboards’ figures.' },
	{ name: 'Open data', description: 'Bulk downloads and the IATI export.' },
	{ name: 'Feeds', description: 'Atom feeds.' },
	{ name: 'Reference data', description: 'Vocabularies, countries and cities.' },
	{ name: 'Service', description: 'Health and this document.' }
] as const;

/** One endpoint of the API: a row of `endpoints`, turned into an operation by `operation()`. */
type Endpoint = {
	path: string;
	/** `get` when left out; a `post` answers 201 with `Location`. */
	method?: 'get' | 'post' | 'put';
	operationId: string;
	tag: (typeof tags)[number]['name'];
	summary: string;
	description?: string;
	parameters?: Parameter[];
	/** The component schema of the JSON request body. */
	body?: string;
	/** Needs an API token or a member's session. */
	auth?: true;
	/** The description of the success answer. */
	ok: string;
	/** Its JSON: a component schema's name or an inline schema. */
	json?: string | JsonSchema;
	/** A page of `json`: the `<json>List` component with the list headers. */
	list?: true;
	/** A text answer of this media type instead of (or beside) JSON. */
	text?: 'application/atom+xml' | 'application/jsonl' | 'application/xml';
	/** Also answers `format=csv`. */
	csv?: true;
	/** The problem answers it may give. */
	errors?: ProblemStatus[];
	/** Answers that are not problems (the health check's 503). */
	otherResponses?: Record<number, unknown>;
};

type Operation = {
	operationId: string;
	tags: string[];
	summary: string;
	description?: string;
	security?: Record<string, string[]>[];
	parameters?: Parameter[];
	requestBody?: unknown;
	responses: Record<string, unknown>;
};

const readErrors: ProblemStatus[] = [400, 429];
const recordErrors: ProblemStatus[] = [404, 429];
const writeErrors: ProblemStatus[] = [400, 401, 403, 413, 415, 422, 429];
const needId = pathParameter('id', "The need's id.");
const offerId = pathParameter('id', "The offer's id.");
const datasetParameter: Parameter = {
	...pathParameter('dataset', 'The dataset.'),
	schema: inputSchema(z.enum(schemas.bulkDatasets))
};
const feedDescription = 'The newest records; the list filters narrow it.';

/** Every endpoint, in the document's order. */
const endpoints: Endpoint[] = [
	{
		path: '/health',
		operationId: 'health',
		tag: 'Service',
		summary: 'Service health',
		ok: 'The database answers (search may be degraded).',
		json: 'Health',
		otherResponses: {
			503: {
				description: 'The database does not answer.',
				content: { 'application/json': { schema: ref('Health') } }
			}
		}
	},
	{
		path: '/api/v1/openapi.json',
		operationId: 'openApiDocument',
		tag: 'Service',
		summary: 'This document',
		ok: 'OpenAPI 3.1.',
		json: { type: 'object' }
	},
	{
		path: '/api/v1/case-studies',
		operationId: 'listCaseStudies',
		tag: 'Case studies',
		summary: 'Published case studies',
		description: 'Newest first (or most validated with `sort=validated`).',
		parameters: [...caseStudyParameters, ...pageParameters],
		ok: 'A page of case studies.',
		json: 'CaseStudy',
		list: true,
		csv: true,
		errors: readErrors
	},
	{
		path: '/api/v1/case-studies/{slug}',
		operationId: 'getCaseStudy',
		tag: 'Case studies',
		summary: 'One published case study',
		parameters: [pathParameter('slug', "The case study's slug.")],
		ok: 'The case study with its sources and licence.',
		json: 'CaseStudyDetail',
		errors: recordErrors
	},
	{
		path: '/api/v1/organisations',
		operationId: 'listOrganisations',
		tag: 'Organisations',
		summary: 'Organisations (cities and partners)',
		description: 'By name.',
		parameters: [...organisationParameters, ...pageParameters],
		ok: 'A page of organisations.',
		json: 'Organisation',
		list: true,
		csv: true,
		errors: readErrors
	},
	{
		path: '/api/v1/organisations/{slug}',
		operationId: 'getOrganisation',
		tag: 'Organisations',
		summary: 'One organisation',
		parameters: [pathParameter('slug', "The organisation's slug.")],
		ok: 'The organisation.',
		json: 'Organisation',
		errors: recordErrors
	},
	{
		path: '/api/v1/needs',
		operationId: 'listNeeds',
		tag: 'Needs',
		summary: "Cities' needs",
		description:
			'Open needs, newest first. Restricted needs only for members of verified organisations.',
		parameters: [...listingParameters('need'), ...pageParameters],
		ok: 'A page of needs.',
		json: 'Need',
		list: true,
		csv: true,
		errors: readErrors
	},
	{
		path: '/api/v1/needs',
		method: 'post',
		operationId: 'createNeed',
		tag: 'Needs',
		summary: 'Post a need',
		description:
			'Posts a need for `organisationId`, with the same fields and validation as the form. A token writes only for its own organisation.',
		body: 'NeedCreate',
		auth: true,
		ok: 'Created: the body `GET /api/v1/needs/{id}` answers.',
		json: 'Need',
		errors: writeErrors
	},
	{
		path: '/api/v1/needs/{id}',
		operationId: 'getNeed',
		tag: 'Needs',
		summary: 'One need',
		parameters: [needId],
		ok: 'The need.',
		json: 'Need',
		errors: recordErrors
	},
	{
		path: '/api/v1/needs/{id}',
		method: 'put',
		operationId: 'replaceNeed',
		tag: 'Needs',
		summary: 'Replace a need',
		description: 'A full replacement with the same fields as the post, without `organisationId`.',
		parameters: [needId],
		body: 'NeedUpdate',
		auth: true,
		ok: 'Replaced: the body `GET /api/v1/needs/{id}` answers.',
		json: 'Need',
		errors: [...writeErrors, 404]
	},
	{
		path: '/api/v1/needs/{id}/matches',
		operationId: 'needMatches',
		tag: 'Matches',
		summary: 'Matches for a need',
		description:
			'Offers, partners, proven case studies and peer cities, best first within each kind, each with the reasons for its score.',
		parameters: [needId, ...matchParameters(true)],
		ok: 'The matches (one page).',
		json: 'Match',
		list: true,
		csv: true,
		errors: [...readErrors, 404]
	},
	{
		path: '/api/v1/offers',
		operationId: 'listOffers',
		tag: 'Offers',
		summary: "Partners' offers",
		description: 'Open offers, newest first.',
		parameters: [...listingParameters('offer'), ...pageParameters],
		ok: 'A page of offers.',
		json: 'Offer',
		list: true,
		csv: true,
		errors: readErrors
	},
	{
		path: '/api/v1/offers',
		method: 'post',
		operationId: 'createOffer',
		tag: 'Offers',
		summary: 'Post an offer',
		description:
			'Posts an offer for `organisationId`, with the same fields and validation as the form. A token writes only for its own organisation.',
		body: 'OfferCreate',
		auth: true,
		ok: 'Created: the body `GET /api/v1/offers/{id}` answers.',
		json: 'Offer',
		errors: writeErrors
	},
	{
		path: '/api/v1/offers/{id}',
		operationId: 'getOffer',
		tag: 'Offers',
		summary: 'One offer',
		parameters: [offerId],
		ok: 'The offer.',
		json: 'Offer',
		errors: recordErrors
	},
	{
		path: '/api/v1/offers/{id}',
		method: 'put',
		operationId: 'replaceOffer',
		tag: 'Offers',
		summary: 'Replace an offer',
		description: 'A full replacement with the same fields as the post, without `organisationId`.',
		parameters: [offerId],
		body: 'OfferUpdate',
		auth: true,
		ok: 'Replaced: the body `GET /api/v1/offers/{id}` answers.',
		json: 'Offer',
		errors: [...writeErrors, 404]
	},
	{
		path: '/api/v1/offers/{id}/matches',
		operationId: 'offerMatches',
		tag: 'Matches',
		summary: 'Needs an offer fits',
		parameters: [offerId, ...matchParameters(false)],
		ok: 'The matching needs (one page).',
		json: 'Match',
		list: true,
		csv: true,
		errors: [...readErrors, 404]
	},
	{
		path: '/api/v1/partnerships',
		operationId: 'listPartnerships',
		tag: 'Partnerships',
		summary: 'Public partnerships',
		description: 'Partnerships every party agreed to publish, newest first.',
		parameters: [...partnershipParameters, ...pageParameters],
		ok: 'A page of partnerships.',
		json: 'Partnership',
		list: true,
		csv: true,
		errors: readErrors
	},
	{
		path: '/api/v1/partnerships/{id}',
		operationId: 'getPartnership',
		tag: 'Partnerships',
		summary: 'One public partnership',
		parameters: [pathParameter('id', "The partnership's id.")],
		ok: 'The partnership with its dated updates.',
		json: 'PartnershipDetail',
		errors: recordErrors
	},
	{
		path: '/api/v1/search',
		operationId: 'search',
		tag: 'Search',
		summary: 'Search everything',
		description:
			'One search over case studies, organisations, needs and offers, with facet counts.',
		parameters: searchParameters,
		ok: 'Hits and facets.',
		json: 'SearchAnswer',
		csv: true,
		errors: [...readErrors, 503]
	},
	{
		path: '/api/v1/stats',
		operationId: 'stats',
		tag: 'Statistics',
		summary: 'The aggregates behind /insights',
		description:
			'Public figures only. Without `view`: every aggregate. With `view`: that view as flat rows, which `format=csv` answers as CSV.',
		parameters: statsParameters,
		ok: 'The aggregates, or one view.',
		json: { oneOf: [ref('Insights'), ref('StatsView')] },
		csv: true,
		errors: readErrors
	},
	{
		path: '/api/v1/vocabularies',
		operationId: 'vocabularies',
		tag: 'Reference data',
		summary: 'Every vocabulary with its labels',
		description:
			'As CSV: one row per entry (`vocabulary, id, parent, label_en, label_fr`); `parent` is a sub-region’s region or an indicator’s target.',
		parameters: [formatParameter],
		ok: 'Themes, SDG 11 targets and indicators, domains, technologies, and more.',
		json: 'Vocabularies',
		csv: true,
		errors: [400]
	},
	{
		path: '/api/v1/places/countries',
		operationId: 'listCountries',
		tag: 'Reference data',
		summary: 'Countries',
		description: 'Every country with its region, income group and LDC status (one page).',
		parameters: countryParameters,
		ok: 'The countries.',
		json: 'Country',
		list: true,
		csv: true,
		errors: readErrors
	},
	{
		path: '/api/v1/places/cities',
		operationId: 'searchCities',
		tag: 'Reference data',
		summary: 'Cities by name',
		description: 'Cities whose name starts with `q`, most populous first (one page).',
		parameters: cityParameters,
		ok: 'The cities.',
		json: 'City',
		list: true,
		csv: true,
		errors: readErrors
	},
	{
		path: '/api/v1/bulk',
		operationId: 'bulkIndex',
		tag: 'Open data',
		summary: 'Bulk downloads',
		ok: 'Each dataset with its size and download links.',
		json: 'BulkIndex'
	},
	{
		path: '/api/v1/bulk/{dataset}.jsonl',
		operationId: 'bulkJsonLines',
		tag: 'Open data',
		summary: 'A whole dataset as JSON Lines',
		description: 'Every public record, one JSON object a line, each with its `licence`.',
		parameters: [datasetParameter],
		ok: 'JSON Lines.',
		text: 'application/jsonl',
		errors: [404]
	},
	{
		path: '/api/v1/bulk/{dataset}.csv',
		operationId: 'bulkCsv',
		tag: 'Open data',
		summary: 'A whole dataset as CSV',
		parameters: [datasetParameter],
		ok: 'CSV.',
		csv: true,
		errors: [404]
	},
	{
		path: '/api/v1/iati/activities.xml',
		operationId: 'iatiActivities',
		tag: 'Open data',
		summary: 'Public partnerships as IATI 2.03 activities',
		parameters: partnershipParameters,
		ok: '`<iati-activities version="2.03">`.',
		text: 'application/xml',
		errors: readErrors
	},
	{
		path: '/feeds/case-studies.atom',
		operationId: 'caseStudiesFeed',
		tag: 'Feeds',
		summary: 'Atom feed of case studies',
		description: feedDescription,
		parameters: caseStudyParameters,
		ok: 'An Atom 1.0 feed.',
		text: 'application/atom+xml',
		errors: readErrors
	},
	{
		path: '/feeds/needs.atom',
		operationId: 'needsFeed',
		tag: 'Feeds',
		summary: 'Atom feed of needs',
		description: feedDescription,
		parameters: listingParameters('need'),
		ok: 'An Atom 1.0 feed.',
		text: 'application/atom+xml',
		errors: readErrors
	},
	{
		path: '/feeds/offers.atom',
		operationId: 'offersFeed',
		tag: 'Feeds',
		summary: 'Atom feed of offers',
		description: feedDescription,
		parameters: listingParameters('offer'),
		ok: 'An Atom 1.0 feed.',
		text: 'application/atom+xml',
		errors: readErrors
	}
];

const writeSecurity: Record<string, string[]>[] = [{ bearerAuth: [] }, { cookieAuth: [] }];

/** The OpenAPI operation object of one row. */
function operation(endpoint: Endpoint): Operation {
	const created = endpoint.method === 'post';
	const { json } = endpoint;
	const content = {
		...(json !== undefined && {
			'application/json': {
				schema: typeof json === 'string' ? ref(endpoint.list ? `${json}List` : json) : json
			}
		}),
		...(endpoint.text && { [endpoint.text]: { schema: { type: 'string' } } }),
		...(endpoint.csv && csvContent)
	};
	const headers = endpoint.list
		? listHeaders
		: created
			? { Location: { schema: { type: 'string' } } }
			: undefined;
	return {
		operationId: endpoint.operationId,
		tags: [endpoint.tag],
		summary: endpoint.summary,
		...(endpoint.description && { description: endpoint.description }),
		...(endpoint.auth && { security: writeSecurity }),
		...(endpoint.parameters && { parameters: endpoint.parameters }),
		...(endpoint.body && {
			requestBody: {
				required: true,
				content: { 'application/json': { schema: ref(endpoint.body) } }
			}
		}),
		responses: {
			[created ? 201 : 200]: { description: endpoint.ok, ...(headers && { headers }), content },
			...Object.fromEntries((endpoint.errors ?? []).map((status) => [status, problems[status]])),
			...endpoint.otherResponses
		}
	};
}

function paths(): Record<string, Record<string, Operation>> {
	const result: Record<string, Record<string, Operation>> = {};
	for (const endpoint of endpoints) {
		(result[endpoint.path] ??= {})[endpoint.method ?? 'get'] = operation(endpoint);
	}
	return result;
}

const description = `The CityBridge open API: published case studies, organisations, cities' needs and partners' offers with their matches, public partnerships, search, statistics and reference data.

Lists answer \`{ data, next, total }\`, take \`limit\` (1–100) and \`cursor\`, the filters of the site's pages, and \`format=csv\` (or \`Accept: text/csv\`). Errors are RFC 9457 problem documents. Anonymous use is rate limited per address; an API token raises the limit and allows writes for its organisation.

Data is published under CC BY 4.0: credit CityBridge and link to the record.`;

/** The document for a server at `origin`. */
export function openApiDocument(origin: string) {
	return {
		openapi: '3.1.0',
		jsonSchemaDialect: 'https://spec.openapis.org/oas/3.1/dialect/base',
		info: {
			title: 'CityBridge API',
			version: API_VERSION,
			summary: 'Open data on international smart-city cooperation.',
			description,
			contact: { name: 'CityBridge', url: new URL('/open-data', origin).toString() },
			license: { name: 'CC BY 4.0 (data)', identifier: 'CC-BY-4.0' }
		},
		servers: [{ url: origin }],
		tags,
		paths: paths(),
		components: {
			schemas: componentSchemas(),
			securitySchemes: {
				bearerAuth: {
					type: 'http',
					scheme: 'bearer',
					description:
						"An organisation's API token (`cbt_…`), made by its owners on the organisation's API tokens page."
				},
				cookieAuth: {
					type: 'apiKey',
					in: 'cookie',
					name: 'session',
					description: 'The session of a signed-in member (`__Host-session` over HTTPS).'
				}
			}
		}
	};
}
export type OpenApiDocument = ReturnType<typeof openApiDocument>;

let cached: { origin: string; document: OpenApiDocument } | undefined;

/** Built once per origin: the schemas only change with a release. */
export function documentFor(origin: string): OpenApiDocument {
	if (cached?.origin !== origin) cached = { origin, document: openApiDocument(origin) };
	return cached.document;
}
