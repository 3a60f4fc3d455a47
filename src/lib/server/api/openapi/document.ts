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
const problemContent = { 'application/problem+json': { schema: ref('Problem') } };
const problemResponse = (description: string) => ({ description, content: problemContent });
const errors = {
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
	}
};

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

function listOk(name: string, description: string) {
	return {
		200: {
			description,
			headers: listHeaders,
			content: { 'application/json': { schema: ref(`${name}List`) }, ...csvContent }
		},
		400: errors[400],
		429: errors[429]
	};
}
function oneOk(name: string, description: string) {
	return {
		200: { description, content: { 'application/json': { schema: ref(name) } } },
		404: errors[404],
		429: errors[429]
	};
}

type Operation = {
	operationId: string;
	tags: string[];
	summary: string;
	description?: string;
	parameters?: Parameter[];
	requestBody?: unknown;
	responses: Record<string, unknown>;
	security?: Record<string, string[]>[];
};

const writeSecurity: Record<string, string[]>[] = [{ bearerAuth: [] }, { cookieAuth: [] }];

function writeOperations(kind: 'need' | 'offer'): { post: Operation; put: Operation } {
	const Name = kind === 'need' ? 'Need' : 'Offer';
	const plural = `${kind}s`;
	const body = (schema: string) => ({
		required: true,
		content: { 'application/json': { schema: ref(schema) } }
	});
	const writeErrors = {
		400: errors[400],
		401: errors[401],
		403: errors[403],
		413: errors[413],
		415: errors[415],
		422: errors[422],
		429: errors[429]
	};
	return {
		post: {
			operationId: `create${Name}`,
			tags: [`${Name}s`],
			summary: `Post a ${kind}`,
			description: `Posts a ${kind} for \`organisationId\`, with the same fields and validation as the form. A token writes only for its own organisation.`,
			security: writeSecurity,
			requestBody: body(`${Name}Create`),
			responses: {
				201: {
					description: `Created: the body \`GET /api/v1/${plural}/{id}\` answers.`,
					headers: { Location: { schema: { type: 'string' } } },
					content: { 'application/json': { schema: ref(Name) } }
				},
				...writeErrors
			}
		},
		put: {
			operationId: `replace${Name}`,
			tags: [`${Name}s`],
			summary: `Replace a ${kind}`,
			description: 'A full replacement with the same fields as the post, without `organisationId`.',
			security: writeSecurity,
			parameters: [pathParameter('id', `The ${kind}'s id.`)],
			requestBody: body(`${Name}Update`),
			responses: {
				200: {
					description: `Replaced: the body \`GET /api/v1/${plural}/{id}\` answers.`,
					content: { 'application/json': { schema: ref(Name) } }
				},
				...writeErrors,
				404: errors[404]
			}
		}
	};
}

function paths(): Record<string, Record<string, Operation>> {
	const needWrites = writeOperations('need');
	const offerWrites = writeOperations('offer');
	const feed = (name: string, filters: Parameter[]): Operation => ({
		operationId: `${name.replace(/-(\w)/g, (_, c: string) => c.toUpperCase())}Feed`,
		tags: ['Feeds'],
		summary: `Atom feed of ${name.replace('-', ' ')}`,
		description: 'The newest records; the list filters narrow it.',
		parameters: filters,
		responses: {
			200: {
				description: 'An Atom 1.0 feed.',
				content: { 'application/atom+xml': { schema: { type: 'string' } } }
			},
			400: errors[400],
			429: errors[429]
		}
	});
	return {
		'/health': {
			get: {
				operationId: 'health',
				tags: ['Service'],
				summary: 'Service health',
				responses: {
					200: {
						description: 'The database answers (search may be degraded).',
						content: { 'application/json': { schema: ref('Health') } }
					},
					503: {
						description: 'The database does not answer.',
						content: { 'application/json': { schema: ref('Health') } }
					}
				}
			}
		},
		'/api/v1/openapi.json': {
			get: {
				operationId: 'openApiDocument',
				tags: ['Service'],
				summary: 'This document',
				responses: {
					200: {
						description: 'OpenAPI 3.1.',
						content: { 'application/json': { schema: { type: 'object' } } }
					}
				}
			}
		},
		'/api/v1/case-studies': {
			get: {
				operationId: 'listCaseStudies',
				tags: ['Case studies'],
				summary: 'Published case studies',
				description: 'Newest first (or most validated with `sort=validated`).',
				parameters: [...caseStudyParameters, ...pageParameters],
				responses: listOk('CaseStudy', 'A page of case studies.')
			}
		},
		'/api/v1/case-studies/{slug}': {
			get: {
				operationId: 'getCaseStudy',
				tags: ['Case studies'],
				summary: 'One published case study',
				parameters: [pathParameter('slug', "The case study's slug.")],
				responses: oneOk('CaseStudyDetail', 'The case study with its sources and licence.')
			}
		},
		'/api/v1/organisations': {
			get: {
				operationId: 'listOrganisations',
				tags: ['Organisations'],
				summary: 'Organisations (cities and partners)',
				description: 'By name.',
				parameters: [...organisationParameters, ...pageParameters],
				responses: listOk('Organisation', 'A page of organisations.')
			}
		},
		'/api/v1/organisations/{slug}': {
			get: {
				operationId: 'getOrganisation',
				tags: ['Organisations'],
				summary: 'One organisation',
				parameters: [pathParameter('slug', "The organisation's slug.")],
				responses: oneOk('Organisation', 'The organisation.')
			}
		},
		'/api/v1/needs': {
			get: {
				operationId: 'listNeeds',
				tags: ['Needs'],
				summary: "Cities' needs",
				description:
					'Open needs, newest first. Restricted needs only for members of verified organisations.',
				parameters: [...listingParameters('need'), ...pageParameters],
				responses: listOk('Need', 'A page of needs.')
			},
			post: needWrites.post
		},
		'/api/v1/needs/{id}': {
			get: {
				operationId: 'getNeed',
				tags: ['Needs'],
				summary: 'One need',
				parameters: [pathParameter('id', "The need's id.")],
				responses: oneOk('Need', 'The need.')
			},
			put: needWrites.put
		},
		'/api/v1/needs/{id}/matches': {
			get: {
				operationId: 'needMatches',
				tags: ['Matches'],
				summary: 'Matches for a need',
				description:
					'Offers, partners, proven case studies and peer cities, best first within each kind, each with the reasons for its score.',
				parameters: [pathParameter('id', "The need's id."), ...matchParameters(true)],
				responses: { ...listOk('Match', 'The matches (one page).'), 404: errors[404] }
			}
		},
		'/api/v1/offers': {
			get: {
				operationId: 'listOffers',
				tags: ['Offers'],
				summary: "Partners' offers",
				description: 'Open offers, newest first.',
				parameters: [...listingParameters('offer'), ...pageParameters],
				responses: listOk('Offer', 'A page of offers.')
			},
			post: offerWrites.post
		},
		'/api/v1/offers/{id}': {
			get: {
				operationId: 'getOffer',
				tags: ['Offers'],
				summary: 'One offer',
				parameters: [pathParameter('id', "The offer's id.")],
				responses: oneOk('Offer', 'The offer.')
			},
			put: offerWrites.put
		},
		'/api/v1/offers/{id}/matches': {
			get: {
				operationId: 'offerMatches',
				tags: ['Matches'],
				summary: 'Needs an offer fits',
				parameters: [pathParameter('id', "The offer's id."), ...matchParameters(false)],
				responses: { ...listOk('Match', 'The matching needs (one page).'), 404: errors[404] }
			}
		},
		'/api/v1/partnerships': {
			get: {
				operationId: 'listPartnerships',
				tags: ['Partnerships'],
				summary: 'Public partnerships',
				description: 'Partnerships every party agreed to publish, newest first.',
				parameters: [...partnershipParameters, ...pageParameters],
				responses: listOk('Partnership', 'A page of partnerships.')
			}
		},
		'/api/v1/partnerships/{id}': {
			get: {
				operationId: 'getPartnership',
				tags: ['Partnerships'],
				summary: 'One public partnership',
				parameters: [pathParameter('id', "The partnership's id.")],
				responses: oneOk('PartnershipDetail', 'The partnership with its dated updates.')
			}
		},
		'/api/v1/search': {
			get: {
				operationId: 'search',
				tags: ['Search'],
				summary: 'Search everything',
				description:
					'One search over case studies, organisations, needs and offers, with facet counts.',
				parameters: searchParameters,
				responses: {
					200: {
						description: 'Hits and facets.',
						content: { 'application/json': { schema: ref('SearchAnswer') }, ...csvContent }
					},
					400: errors[400],
					429: errors[429],
					503: problemResponse('The search engine is not available; retry later.')
				}
			}
		},
		'/api/v1/stats': {
			get: {
				operationId: 'stats',
				tags: ['Statistics'],
				summary: 'The aggregates behind /insights',
				description:
					'Public figures only. Without `view`: every aggregate. With `view`: that view as flat rows, which `format=csv` answers as CSV.',
				parameters: statsParameters,
				responses: {
					200: {
						description: 'The aggregates, or one view.',
						content: {
							'application/json': { schema: { oneOf: [ref('Insights'), ref('StatsView')] } },
							...csvContent
						}
					},
					400: errors[400],
					429: errors[429]
				}
			}
		},
		'/api/v1/vocabularies': {
			get: {
				operationId: 'vocabularies',
				tags: ['Reference data'],
				summary: 'Every vocabulary with its labels',
				description:
					'As CSV: one row per entry (`vocabulary, id, parent, label_en, label_fr`); `parent` is a sub-region’s region or an indicator’s target.',
				parameters: [formatParameter],
				responses: {
					200: {
						description: 'Themes, SDG 11 targets and indicators, domains, technologies, and more.',
						content: { 'application/json': { schema: ref('Vocabularies') }, ...csvContent }
					},
					400: errors[400]
				}
			}
		},
		'/api/v1/places/countries': {
			get: {
				operationId: 'listCountries',
				tags: ['Reference data'],
				summary: 'Countries',
				description: 'Every country with its region, income group and LDC status (one page).',
				parameters: countryParameters,
				responses: listOk('Country', 'The countries.')
			}
		},
		'/api/v1/places/cities': {
			get: {
				operationId: 'searchCities',
				tags: ['Reference data'],
				summary: 'Cities by name',
				description: 'Cities whose name starts with `q`, most populous first (one page).',
				parameters: cityParameters,
				responses: listOk('City', 'The cities.')
			}
		},
		'/api/v1/bulk': {
			get: {
				operationId: 'bulkIndex',
				tags: ['Open data'],
				summary: 'Bulk downloads',
				responses: {
					200: {
						description: 'Each dataset with its size and download links.',
						content: { 'application/json': { schema: ref('BulkIndex') } }
					}
				}
			}
		},
		'/api/v1/bulk/{dataset}.jsonl': {
			get: {
				operationId: 'bulkJsonLines',
				tags: ['Open data'],
				summary: 'A whole dataset as JSON Lines',
				description: 'Every public record, one JSON object a line, each with its `licence`.',
				parameters: [
					{
						...pathParameter('dataset', 'The dataset.'),
						schema: inputSchema(z.enum(schemas.bulkDatasets))
					}
				],
				responses: {
					200: {
						description: 'JSON Lines.',
						content: { 'application/jsonl': { schema: { type: 'string' } } }
					},
					404: errors[404]
				}
			}
		},
		'/api/v1/bulk/{dataset}.csv': {
			get: {
				operationId: 'bulkCsv',
				tags: ['Open data'],
				summary: 'A whole dataset as CSV',
				parameters: [
					{
						...pathParameter('dataset', 'The dataset.'),
						schema: inputSchema(z.enum(schemas.bulkDatasets))
					}
				],
				responses: { 200: { description: 'CSV.', content: csvContent }, 404: errors[404] }
			}
		},
		'/api/v1/iati/activities.xml': {
			get: {
				operationId: 'iatiActivities',
				tags: ['Open data'],
				summary: 'Public partnerships as IATI 2.03 activities',
				parameters: partnershipParameters,
				responses: {
					200: {
						description: '`<iati-activities version="2.03">`.',
						content: { 'application/xml': { schema: { type: 'string' } } }
					},
					400: errors[400],
					429: errors[429]
				}
			}
		},
		'/feeds/case-studies.atom': {
			get: feed('case-studies', caseStudyParameters)
		},
		'/feeds/needs.atom': { get: feed('needs', listingParameters('need')) },
		'/feeds/offers.atom': { get: feed('offers', listingParameters('offer')) }
	};
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
		tags: [
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
		],
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
