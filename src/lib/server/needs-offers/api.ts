/** The needs and offers API: strict parameters, the public shapes and their CSV rows. */
import { json } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import {
	csvResponse,
	repeatedParameterErrors,
	toCsv,
	unknownParameterErrors,
	wantsCsv
} from '$lib/server/api/lists';
import { problem, type ProblemFieldError } from '$lib/server/api/problem';
import type { Actor } from '$lib/server/auth/policy';
import type { Db } from '$lib/server/db';
import type { NeedDetail, OfferDetail } from './detail';
import {
	decodeCursor,
	filterNames,
	parseListingFilters,
	type ListingFilters,
	type ListingKind
} from './filters';
import {
	API_LIMIT_MAX,
	PAGE_SIZE,
	needsAfter,
	offersAfter,
	type NeedListItem,
	type OfferListItem
} from './lists';

const singleParameters = ['cursor', 'limit', 'format'] as const;
const outputFormats = ['json', 'csv'];

/**
 * Reads a list request strictly: an unknown parameter, a repeated single one, a bad filter value,
 * limit or cursor are all errors, so a typo never silently widens (or narrows) the answer.
 */
export function parseApiListRequest(
	params: URLSearchParams,
	kind: ListingKind
): {
	filters: ListingFilters | null;
	limit: number;
	cursor: string | null;
	csv: boolean | null;
	errors: ProblemFieldError[];
} {
	const errors = unknownParameterErrors(
		params,
		new Set<string>([...filterNames(kind), ...singleParameters]),
		m.needsoffers_api_unknown_parameter
	);
	errors.push(
		...repeatedParameterErrors(params, singleParameters, m.casemod_api_repeated_parameter)
	);
	const format = params.get('format');
	if (format !== null && !outputFormats.includes(format)) {
		errors.push({ field: 'format', message: m.casemod_api_format_invalid() });
	}
	const limitText = params.get('limit') ?? String(PAGE_SIZE);
	const limit = /^\d{1,3}$/.test(limitText) ? Number(limitText) : NaN;
	if (!(limit >= 1 && limit <= API_LIMIT_MAX)) {
		errors.push({ field: 'limit', message: m.casemod_api_limit_invalid() });
	}
	const cursor = params.get('cursor');
	if (cursor !== null && !decodeCursor(cursor)) {
		errors.push({ field: 'cursor', message: m.casemod_api_cursor_invalid() });
	}
	const parsed = parseListingFilters(params, 'strict', kind);
	errors.push(...parsed.problems.map(({ field, message }) => ({ field, message })));
	return {
		filters: errors.length ? null : parsed.filters,
		limit,
		cursor,
		csv: format === null ? null : format === 'csv',
		errors
	};
}

const iso = (date: Date | null) => date?.toISOString() ?? null;
const listingUrl = (kind: ListingKind, id: string, origin: string) =>
	new URL(`/${kind === 'need' ? 'needs' : 'offers'}/${id}`, origin).toString();

type NeedLike = Pick<
	NeedListItem,
	| 'id'
	| 'title'
	| 'challenge'
	| 'themes'
	| 'sdgTargets'
	| 'cooperationTypes'
	| 'languages'
	| 'timeframe'
	| 'budgetAmount'
	| 'budgetCurrency'
	| 'visibility'
	| 'status'
	| 'isExpired'
	| 'expiresAt'
	| 'createdAt'
	| 'updatedAt'
	| 'organisation'
>;

/** A need as the API shows it: codes rather than labels, the organisation's public fields. */
export function needToApi(need: NeedLike | NeedDetail, origin: string) {
	return {
		id: need.id,
		title: need.title,
		challenge: need.challenge,
		organisation: {
			slug: need.organisation.slug,
			name: need.organisation.name,
			kind: need.organisation.kind,
			country: need.organisation.countryCode
		},
		country: need.organisation.countryCode,
		region: need.organisation.regionCode,
		incomeGroup: need.organisation.incomeGroup,
		themes: need.themes,
		sdgTargets: need.sdgTargets,
		cooperationTypes: need.cooperationTypes,
		languages: need.languages,
		timeframe: need.timeframe,
		budget:
			need.budgetAmount !== null
				? { amount: need.budgetAmount, currency: need.budgetCurrency ?? '' }
				: null,
		visibility: need.visibility,
		status: need.status,
		isExpired: need.isExpired,
		expiresAt: iso(need.expiresAt),
		url: listingUrl('need', need.id, origin),
		createdAt: iso(need.createdAt),
		updatedAt: iso(need.updatedAt)
	};
}
export type ApiNeed = ReturnType<typeof needToApi>;

type OfferLike = Pick<
	OfferListItem,
	| 'id'
	| 'title'
	| 'description'
	| 'format'
	| 'themes'
	| 'sdgTargets'
	| 'cooperationTypes'
	| 'regions'
	| 'countries'
	| 'isGlobal'
	| 'languages'
	| 'capacity'
	| 'eligibleIncomeGroups'
	| 'onlyLeastDeveloped'
	| 'deadline'
	| 'visibility'
	| 'status'
	| 'isExpired'
	| 'createdAt'
	| 'updatedAt'
	| 'organisation'
>;

export function offerToApi(offer: OfferLike | OfferDetail, origin: string) {
	return {
		id: offer.id,
		title: offer.title,
		description: offer.description,
		format: offer.format,
		organisation: {
			slug: offer.organisation.slug,
			name: offer.organisation.name,
			kind: offer.organisation.kind,
			country: offer.organisation.countryCode
		},
		themes: offer.themes,
		sdgTargets: offer.sdgTargets,
		cooperationTypes: offer.cooperationTypes,
		regionsServed: offer.regions,
		countriesServed: offer.countries,
		isGlobal: offer.isGlobal,
		languages: offer.languages,
		capacity: offer.capacity,
		eligibility: {
			incomeGroups: offer.eligibleIncomeGroups,
			onlyLeastDeveloped: offer.onlyLeastDeveloped
		},
		deadline: offer.deadline ? offer.deadline.toISOString().slice(0, 10) : null,
		visibility: offer.visibility,
		status: offer.status,
		isExpired: offer.isExpired,
		url: listingUrl('offer', offer.id, origin),
		createdAt: iso(offer.createdAt),
		updatedAt: iso(offer.updatedAt)
	};
}
export type ApiOffer = ReturnType<typeof offerToApi>;

const joined = (values: readonly string[]) => values.join(';');

export const needCsvColumns = [
	'id',
	'title',
	'organisation',
	'organisationSlug',
	'organisationKind',
	'country',
	'region',
	'incomeGroup',
	'themes',
	'sdgTargets',
	'cooperationTypes',
	'languages',
	'timeframe',
	'budgetAmount',
	'budgetCurrency',
	'visibility',
	'status',
	'expiresAt',
	'url',
	'createdAt',
	'updatedAt',
	'challenge'
] as const;

/** One CSV row per need; lists joined with `;`. */
export function needCsvRow(need: ApiNeed) {
	return {
		id: need.id,
		title: need.title,
		organisation: need.organisation.name,
		organisationSlug: need.organisation.slug,
		organisationKind: need.organisation.kind,
		country: need.country,
		region: need.region,
		incomeGroup: need.incomeGroup,
		themes: joined(need.themes),
		sdgTargets: joined(need.sdgTargets),
		cooperationTypes: joined(need.cooperationTypes),
		languages: joined(need.languages),
		timeframe: need.timeframe,
		budgetAmount: need.budget?.amount ?? null,
		budgetCurrency: need.budget?.currency ?? null,
		visibility: need.visibility,
		status: need.status,
		expiresAt: need.expiresAt,
		url: need.url,
		createdAt: need.createdAt,
		updatedAt: need.updatedAt,
		challenge: need.challenge
	};
}

export const offerCsvColumns = [
	'id',
	'title',
	'format',
	'organisation',
	'organisationSlug',
	'organisationKind',
	'organisationCountry',
	'themes',
	'sdgTargets',
	'cooperationTypes',
	'isGlobal',
	'regionsServed',
	'countriesServed',
	'languages',
	'capacity',
	'eligibleIncomeGroups',
	'onlyLeastDeveloped',
	'deadline',
	'visibility',
	'status',
	'url',
	'createdAt',
	'updatedAt',
	'description'
] as const;

export function offerCsvRow(offer: ApiOffer) {
	return {
		id: offer.id,
		title: offer.title,
		format: offer.format,
		organisation: offer.organisation.name,
		organisationSlug: offer.organisation.slug,
		organisationKind: offer.organisation.kind,
		organisationCountry: offer.organisation.country,
		themes: joined(offer.themes),
		sdgTargets: joined(offer.sdgTargets),
		cooperationTypes: joined(offer.cooperationTypes),
		isGlobal: offer.isGlobal,
		regionsServed: joined(offer.regionsServed),
		countriesServed: joined(offer.countriesServed),
		languages: joined(offer.languages),
		capacity: offer.capacity,
		eligibleIncomeGroups: joined(offer.eligibility.incomeGroups),
		onlyLeastDeveloped: offer.eligibility.onlyLeastDeveloped,
		deadline: offer.deadline,
		visibility: offer.visibility,
		status: offer.status,
		url: offer.url,
		createdAt: offer.createdAt,
		updatedAt: offer.updatedAt,
		description: offer.description
	};
}

/**
 * What the asker may see depends on their session, so no shared cache may keep an answer
 * (a member's list holds restricted listings that an anonymous visitor must never get).
 */
export const privateHeaders = { 'cache-control': 'private, no-cache', vary: 'accept, cookie' };

/** GET /api/v1/needs and /api/v1/offers: a cursor page as JSON, or as CSV. */
export function listResponse(
	db: Db,
	actor: Actor,
	kind: ListingKind,
	url: URL,
	request: Request,
	origin: string
): Response {
	const params = url.searchParams;
	const { filters, limit, cursor, csv: csvAsked, errors } = parseApiListRequest(params, kind);
	if (!filters) return problem(400, 'Some parameters are not valid.', errors);
	const headers: Record<string, string> = { ...privateHeaders };
	let page: { data: (ApiNeed | ApiOffer)[]; next: string | null; total: number };
	let csv: () => string;
	if (kind === 'need') {
		const slice = needsAfter(db, actor, filters, { cursor, limit });
		const data = slice.items.map((item) => needToApi(item, origin));
		page = { data, next: slice.nextCursor, total: slice.total };
		csv = () => toCsv(needCsvColumns, data.map(needCsvRow));
	} else {
		const slice = offersAfter(db, actor, filters, { cursor, limit });
		const data = slice.items.map((item) => offerToApi(item, origin));
		page = { data, next: slice.nextCursor, total: slice.total };
		csv = () => toCsv(offerCsvColumns, data.map(offerCsvRow));
	}
	headers['x-total-count'] = String(page.total);
	if (page.next) {
		const next = new URL(url);
		next.searchParams.set('cursor', page.next);
		headers.link = `<${next.pathname}${next.search}>; rel="next"`;
	}
	if (csvAsked ?? wantsCsv(null, request)) {
		return csvResponse(csv(), kind === 'need' ? 'needs.csv' : 'offers.csv', headers);
	}
	return json(page, { headers });
}
