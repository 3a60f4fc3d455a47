/**
 * The API's answers as zod schemas, for the OpenAPI document only: the endpoints build their
 * bodies in `*ToApi` functions, and the HTTP walker validates every documented answer against the
 * JSON Schema made from these, so a field added, renamed or dropped on one side fails a test.
 * Objects are strict (no undocumented fields); vocabulary fields use the vocabularies' own lists.
 */
import { z } from 'zod';
import { caseStudyStatuses, searchRecordTypes } from '$lib/server/db/schema';
import { languageCodes } from '$lib/server/organisations';
import {
	listingVisibilities,
	needStatuses,
	needTimeframes,
	offerFormats,
	offerStatuses,
	partnershipStatuses,
	partyRoles
} from '$lib/vocab/matchmaking';
import { regionCodes, subregionCodes } from '$lib/vocab/regions';
import { sdgTargetIds } from '$lib/vocab/sdg';
import { themeIds } from '$lib/vocab/themes';
import {
	cooperationTypes,
	incomeGroups,
	organisationKinds,
	serviceDomains,
	technologies
} from '$lib/vocab/vocabularies';
import { gapDimensions, statsKinds, statsViews } from '$lib/server/stats/types';

const theme = z.enum(themeIds);
const sdgTarget = z.enum(sdgTargetIds);
const cooperation = z.enum(cooperationTypes);
const incomeGroup = z.enum(incomeGroups);
const organisationKind = z.enum(organisationKinds);
const m49 = z.enum([...regionCodes, ...subregionCodes] as [string, ...string[]]);
const countryCode = z.string().regex(/^[A-Z]{2}$/);
const language = z.enum(languageCodes);
const url = z.url();
const dateTime = z.iso.datetime({ offset: true });
const day = z.iso.date();
const count = z.int().min(0);
const localised = z.record(z.string(), z.string());

export const problem = z
	.strictObject({
		type: z.string(),
		title: z.string(),
		status: z.int().min(400).max(599),
		detail: z.string(),
		errors: z
			.array(
				z.strictObject({
					field: z.string().meta({ description: 'The parameter or body field at fault.' }),
					message: z.string()
				})
			)
			.optional()
	})
	.meta({
		description: 'An RFC 9457 problem document: the one error shape of the API.',
		examples: [
			{
				type: 'about:blank',
				title: 'Bad request',
				status: 400,
				detail: 'Some parameters are not valid.',
				errors: [{ field: 'limit', message: 'limit must be a whole number from 1 to 100.' }]
			}
		]
	});

/** `{ data, next, total }`: every list. */
export const listOf = (item: z.ZodType) =>
	z.strictObject({
		data: z.array(item),
		next: z
			.string()
			.nullable()
			.meta({ description: 'Pass as `cursor` for the next page; null on the last page.' }),
		total: count.meta({ description: 'Rows matching the filters, over every page.' })
	});

const caseResult = z.strictObject({
	indicator: z.string(),
	sdgIndicator: z.string().nullable(),
	baseline: z.string().nullable(),
	result: z.string(),
	unit: z.string().nullable(),
	year: z.int().nullable(),
	source: z.string().nullable()
});

const caseStudyFields = {
	slug: z.string(),
	title: z.string(),
	summary: z.string(),
	city: z.strictObject({ id: z.int(), name: z.string() }).nullable(),
	country: z.strictObject({ code: countryCode, name: z.string() }),
	organisation: z.strictObject({ slug: z.string(), name: z.string(), verified: z.boolean() }),
	themes: z.array(theme),
	sdgTargets: z.array(sdgTarget),
	domains: z.array(z.enum(serviceDomains)),
	technologies: z.array(z.enum(technologies)),
	status: z.enum(caseStudyStatuses),
	period: z.strictObject({ start: z.int().nullable(), end: z.int().nullable() }),
	results: z.array(caseResult),
	validations: z.strictObject({ reviewed: count, replicated: count, total: count }),
	language: z.string(),
	url,
	publishedAt: dateTime.nullable(),
	updatedAt: dateTime.nullable()
};
export const caseStudy = z.strictObject(caseStudyFields);
export const caseStudyDetail = z.strictObject({
	...caseStudyFields,
	licence: z.string(),
	sources: z.array(z.strictObject({ title: z.string(), url: z.string() }))
});

export const organisation = z.strictObject({
	slug: z.string(),
	name: z.string(),
	kind: organisationKind,
	country: countryCode,
	countryName: z.string(),
	region: z.string().nullable(),
	regionName: z.string().nullable(),
	incomeGroup: incomeGroup.nullable(),
	verified: z.boolean(),
	url,
	city: z
		.strictObject({
			id: z.int(),
			name: z.string().nullable(),
			population: z.int().nullable(),
			latitude: z.number().nullable(),
			longitude: z.number().nullable()
		})
		.nullable()
});

const listingOrganisation = z.strictObject({
	slug: z.string(),
	name: z.string(),
	kind: organisationKind,
	country: countryCode
});

export const need = z.strictObject({
	id: z.string(),
	title: z.string(),
	challenge: z.string().meta({ description: 'Markdown.' }),
	organisation: listingOrganisation,
	country: countryCode,
	region: z.string().nullable(),
	incomeGroup: incomeGroup.nullable(),
	themes: z.array(theme),
	sdgTargets: z.array(sdgTarget),
	cooperationTypes: z.array(cooperation),
	languages: z.array(language),
	timeframe: z.enum(needTimeframes),
	budget: z.strictObject({ amount: z.number(), currency: z.string() }).nullable(),
	visibility: z.enum(listingVisibilities),
	status: z.enum(needStatuses),
	isExpired: z.boolean(),
	expiresAt: dateTime.nullable(),
	url,
	createdAt: dateTime.nullable(),
	updatedAt: dateTime.nullable()
});

export const offer = z.strictObject({
	id: z.string(),
	title: z.string(),
	description: z.string().meta({ description: 'Markdown.' }),
	format: z.enum(offerFormats),
	organisation: listingOrganisation,
	themes: z.array(theme),
	sdgTargets: z.array(sdgTarget),
	cooperationTypes: z.array(cooperation),
	regionsServed: z.array(m49),
	countriesServed: z.array(countryCode),
	isGlobal: z.boolean(),
	languages: z.array(language),
	capacity: z.int().nullable(),
	eligibility: z.strictObject({
		incomeGroups: z.array(incomeGroup),
		onlyLeastDeveloped: z.boolean()
	}),
	deadline: day.nullable(),
	visibility: z.enum(listingVisibilities),
	status: z.enum(offerStatuses),
	isExpired: z.boolean(),
	url,
	createdAt: dateTime.nullable(),
	updatedAt: dateTime.nullable()
});

const matchOrganisation = z.strictObject({
	slug: z.string(),
	name: z.string(),
	kind: organisationKind,
	verified: z.boolean(),
	country: countryCode,
	countryName: z.string(),
	city: z.string().nullable(),
	url
});
const reason = z.strictObject({
	code: z.string(),
	label: z.string().meta({ description: "The reason in plain words, in the request's language." }),
	weight: z
		.number()
		.min(0)
		.max(1)
		.meta({ description: 'Share of the score (the shares add to 1).' }),
	detail: z.strictObject({
		criterion: z.string(),
		points: z.number(),
		values: z.array(z.string())
	})
});
const score = z.number().min(0).max(100);
export const match = z
	.discriminatedUnion('kind', [
		z.strictObject({
			kind: z.literal('offer'),
			score,
			offer: z.strictObject({
				id: z.string(),
				title: z.string(),
				format: z.enum(offerFormats),
				deadline: day.nullable(),
				visibility: z.enum(listingVisibilities),
				organisation: matchOrganisation,
				url
			}),
			reasons: z.array(reason)
		}),
		z.strictObject({
			kind: z.literal('need'),
			score,
			need: z.strictObject({
				id: z.string(),
				title: z.string(),
				visibility: z.enum(listingVisibilities),
				organisation: matchOrganisation,
				url
			}),
			reasons: z.array(reason)
		}),
		z.strictObject({
			kind: z.literal('organisation'),
			score,
			organisation: matchOrganisation,
			reasons: z.array(reason)
		}),
		z.strictObject({
			kind: z.literal('case_study'),
			score,
			caseStudy: z.strictObject({
				slug: z.string(),
				title: z.string(),
				summary: z.string(),
				status: z.enum(caseStudyStatuses),
				city: z.string().nullable(),
				organisation: matchOrganisation,
				url
			}),
			reasons: z.array(reason)
		})
	])
	.meta({ description: 'A scored, explained pairing; `kind` names the field holding the target.' });

const linked = z.strictObject({ id: z.string(), title: z.string(), url });
const linkedCase = z.strictObject({ slug: z.string(), title: z.string(), url });
const partnershipStatus = z.enum(partnershipStatuses);
const partnershipFields = {
	id: z.string(),
	title: z.string(),
	description: z.string(),
	status: partnershipStatus,
	discontinuedReason: z.string().nullable(),
	parties: z.array(
		z.strictObject({
			organisation: z.string().meta({ description: "The organisation's slug." }),
			name: z.string(),
			role: z.enum(partyRoles),
			country: countryCode,
			url
		})
	),
	themes: z.array(theme),
	sdgTargets: z.array(sdgTarget),
	cooperationTypes: z.array(cooperation),
	statusHistory: z.array(
		z.strictObject({ status: partnershipStatus, from: partnershipStatus.nullable(), at: dateTime })
	),
	milestones: z.array(
		z.strictObject({ title: z.string(), dueOn: day.nullable(), doneOn: day.nullable() })
	),
	results: z.array(caseResult),
	cameFrom: z.strictObject({
		need: linked.nullable(),
		offer: linked.nullable(),
		caseStudies: z.array(linkedCase)
	}),
	resultingCaseStudy: linkedCase.nullable(),
	isStale: z.boolean(),
	url,
	createdAt: dateTime,
	updatedAt: dateTime
};
export const partnership = z.strictObject(partnershipFields);
export const partnershipDetail = z.strictObject({
	...partnershipFields,
	updates: z.array(
		z.strictObject({
			organisation: z.string().meta({ description: "The author organisation's slug." }),
			body: z.string(),
			at: dateTime
		})
	)
});

export const searchAnswer = z.strictObject({
	hits: z.array(
		z.strictObject({
			type: z.enum(searchRecordTypes),
			id: z.string(),
			title: z.string(),
			snippet: z
				.string()
				.meta({ description: 'Plain text with the matched words in `<mark>` (HTML-escaped).' }),
			url,
			path: z.string(),
			country: z.string().nullable(),
			city: z.string().nullable(),
			organisation: z.string().nullable(),
			date: dateTime.nullable()
		})
	),
	facets: z
		.record(z.string(), z.record(z.string(), count))
		.meta({ description: 'Per facet name, each value and how many hits carry it.' }),
	total: count,
	took_ms: z.number().min(0),
	page: z.int().min(1),
	limit: z.int().min(1),
	corrected: z
		.string()
		.nullable()
		.meta({ description: 'The query as spelled after typo correction, when it changed.' })
});

const kindCounts = z.strictObject(
	Object.fromEntries(statsKinds.map((kind) => [kind, count])) as Record<
		(typeof statsKinds)[number],
		typeof count
	>
);
const byPartnershipStatus = Object.fromEntries(
	partnershipStatuses.map((status) => [status, count])
) as Record<(typeof partnershipStatuses)[number], typeof count>;
const share = z.number().min(0).max(1).nullable();
export const statsFilters = z.strictObject({
	region: z.array(m49).optional(),
	income: z.array(incomeGroup).optional(),
	theme: z.array(theme).optional(),
	sdg: z.array(sdgTarget).optional(),
	cooperation: z.array(cooperation).optional(),
	from: z
		.string()
		.regex(/^\d{4}-\d{2}$/)
		.optional(),
	to: z
		.string()
		.regex(/^\d{4}-\d{2}$/)
		.optional()
});
export const insights = z.strictObject({
	filters: statsFilters,
	generatedAt: dateTime,
	headline: z.strictObject({
		caseStudies: count,
		cities: count,
		partners: count,
		openNeeds: count,
		openOffers: count,
		partnerships: z.strictObject({ ...byPartnershipStatus, total: count }),
		countriesReached: count,
		developingShare: share,
		ldcShare: share
	}),
	matrix: z.strictObject({
		cells: z.array(z.strictObject({ theme, sdg: sdgTarget, counts: kindCounts })),
		max: kindCounts
	}),
	gap: z.strictObject({
		rows: z.array(
			z.strictObject({
				dimension: z.enum(gapDimensions),
				value: z.string(),
				openNeeds: count,
				servingOffers: count,
				needsWithoutOffer: count
			})
		)
	}),
	pipeline: z.strictObject({
		byStatus: z.strictObject(byPartnershipStatus),
		introductions: z.strictObject({
			requested: count,
			accepted: count,
			declined: count,
			pending: count
		}),
		medianDaysToAgreement: z.number().nullable(),
		medianDaysToCompletion: z.number().nullable(),
		stale: count
	}),
	countries: z.array(z.strictObject({ country: countryCode, counts: kindCounts })),
	globalOffers: count,
	months: z.array(z.strictObject({ month: z.string().regex(/^\d{4}-\d{2}$/), counts: kindCounts }))
});
export const statsView = z.strictObject({
	view: z.enum(statsViews),
	filters: statsFilters,
	generatedAt: dateTime,
	columns: z.array(z.string()),
	data: z.array(z.record(z.string(), z.union([z.string(), z.number(), z.null()]))),
	total: count
});

const labelled = z.strictObject({ id: z.string(), label: localised });
export const vocabularies = z.strictObject({
	themes: z.array(labelled),
	sdgGoal: z.strictObject({
		id: z.literal('11'),
		title: localised,
		shortTitle: localised,
		languages: z.array(z.string())
	}),
	sdgTargets: z.array(
		z.strictObject({
			id: sdgTarget,
			label: localised,
			text: localised,
			indicators: z.array(z.strictObject({ id: z.string(), text: localised }))
		})
	),
	domains: z.array(labelled),
	technologies: z.array(labelled),
	cooperationTypes: z.array(labelled),
	fundingModels: z.array(labelled),
	beneficiaryGroups: z.array(labelled),
	organisationKinds: z.array(labelled),
	regions: z.array(
		z.strictObject({
			code: z.string(),
			label: localised,
			subregions: z.array(z.strictObject({ code: z.string(), label: localised }))
		})
	),
	incomeGroups: z.array(labelled),
	countryData: z.strictObject({
		incomeClassification: z.string(),
		incomeClassificationDate: day,
		ldcListDate: day,
		developingRule: z.string()
	})
});

export const country = z.strictObject({
	code: countryCode,
	name: z.string(),
	regionCode: z.string().nullable(),
	subregionCode: z.string().nullable(),
	incomeGroup: incomeGroup.nullable(),
	isLdc: z.boolean(),
	isDeveloping: z.boolean()
});
export const city = z.strictObject({
	id: z.int(),
	name: z.string(),
	countryCode,
	countryName: z.string(),
	adminCode: z.string().nullable(),
	population: z.int().nullable(),
	latitude: z.number(),
	longitude: z.number()
});

export const health = z.strictObject({
	status: z.enum(['ok', 'degraded']),
	db: z.enum(['ok', 'error']),
	search: z.strictObject({
		engine: z.enum(['sqlite', 'meilisearch']),
		status: z.enum(['ok', 'error']),
		pending: count.optional(),
		lagSeconds: z.number().min(0).optional()
	})
});

export const bulkDatasets = [
	'case-studies',
	'organisations',
	'needs',
	'offers',
	'partnerships'
] as const;
export const bulkIndex = z.strictObject({
	licence: z.strictObject({ id: z.literal('CC-BY-4.0'), url, attribution: z.string() }),
	datasets: z.array(
		z.strictObject({
			name: z.enum(bulkDatasets),
			records: count,
			updatedAt: dateTime.nullable(),
			jsonl: z.string(),
			csv: z.string()
		})
	)
});
