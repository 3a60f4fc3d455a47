/**
 * The matches API (GET /api/v1/needs/{id}/matches and /api/v1/offers/{id}/matches): strict
 * parameters, one list shape, JSON or CSV.
 *
 * Answer: `{ data: [item…], next: null, total }`, best first within each kind. An item is
 * `{ kind, score (0–100), <target>, reasons: [{ code, label, weight, detail }] }` where kind and
 * target are `offer` / `offer`, `organisation` / `organisation` (a partner with a track record),
 * `case_study` / `caseStudy` (a proven practice from a similar city) or `need` / `need` (for a
 * need: peer cities with the same need; for an offer: the needs it fits). A reason's `label` is the
 * reason in plain words in the request's language; `weight` its share of the score (0–1, the
 * shares add up to 1); `detail` `{ criterion, points, values }`.
 *
 * For a need, `?kind=` (repeatable: offer, organisation, case_study, need) keeps some kinds;
 * `?limit=` (1–100, default 10) caps each kind. `?format=csv` or `Accept: text/csv`: one row per
 * match.
 */
import { json } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import {
	csvResponse,
	formatErrors,
	toCsv,
	unknownParameterErrors,
	wantsCsv
} from '$lib/server/api/lists';
import { problem, type ProblemFieldError } from '$lib/server/api/problem';
import type { CaseStudyMatch, MatchItem, NeedMatch, OfferMatch, PartnerMatch } from './index';
import { DEFAULT_LIMIT, MAX_LIMIT } from './index';

export const matchKinds = ['offer', 'organisation', 'case_study', 'need'] as const;
export type MatchKind = (typeof matchKinds)[number];

export interface MatchParams {
	limit: number;
	kinds: MatchKind[];
	csv: boolean;
}

/** Reads the parameters; the errors name each bad one (400 problem). */
export function parseMatchParams(
	url: URL,
	request: Request,
	options: { kinds: boolean }
): { params: MatchParams } | { errors: ProblemFieldError[] } {
	const search = url.searchParams;
	const known = new Set(['limit', 'format', ...(options.kinds ? ['kind'] : [])]);
	const errors = [
		...unknownParameterErrors(search, known, m.matching_api_unknown_parameter),
		...formatErrors(search, m.matching_api_format_invalid)
	];
	let limit = DEFAULT_LIMIT;
	const limits = search.getAll('limit');
	if (limits.length > 0) {
		const value = limits[0];
		if (limits.length > 1 || !/^\d{1,3}$/.test(value) || +value < 1 || +value > MAX_LIMIT) {
			errors.push({ field: 'limit', message: m.matching_api_limit_invalid() });
		} else limit = Number(value);
	}
	const kinds = search.getAll('kind');
	const unknownKinds = kinds.filter((kind) => !(matchKinds as readonly string[]).includes(kind));
	if (unknownKinds.length > 0) {
		errors.push({
			field: 'kind',
			message: m.matching_api_kind_invalid({ kinds: matchKinds.join(', ') })
		});
	}
	if (errors.length) return { errors };
	return {
		params: {
			limit,
			kinds: kinds.length ? [...new Set(kinds as MatchKind[])] : [...matchKinds],
			csv: wantsCsv(search.get('format'), request)
		}
	};
}

export const badParams = (errors: ProblemFieldError[]) =>
	problem(400, m.matching_api_problem_detail(), errors);

const absolute = (origin: string, path: string) => `${origin}${path}`;

function organisationToApi(
	organisation: PartnerMatch['organisation'],
	origin: string
): Record<string, unknown> {
	return {
		slug: organisation.slug,
		name: organisation.name,
		kind: organisation.kind,
		verified: organisation.isVerified,
		country: organisation.countryCode,
		countryName: organisation.countryName,
		city: organisation.cityName,
		url: absolute(origin, `/organisations/${organisation.slug}`)
	};
}

function reasonsToApi(item: MatchItem) {
	return item.reasons.map(({ code, label, weight, detail }) => ({ code, label, weight, detail }));
}

/** One match as the API shows it. */
export function matchToApi(item: MatchItem, origin: string): Record<string, unknown> {
	const base = { kind: item.kind, score: item.score };
	switch (item.kind) {
		case 'offer': {
			const { offer } = item as OfferMatch;
			return {
				...base,
				offer: {
					id: offer.id,
					title: offer.title,
					format: offer.format,
					deadline: offer.deadline,
					visibility: offer.isRestricted ? 'verified' : 'public',
					organisation: organisationToApi(offer.organisation, origin),
					url: absolute(origin, `/offers/${offer.id}`)
				},
				reasons: reasonsToApi(item)
			};
		}
		case 'need': {
			const { need } = item as NeedMatch;
			return {
				...base,
				need: {
					id: need.id,
					title: need.title,
					visibility: need.isRestricted ? 'verified' : 'public',
					organisation: organisationToApi(need.organisation, origin),
					url: absolute(origin, `/needs/${need.id}`)
				},
				reasons: reasonsToApi(item)
			};
		}
		case 'organisation':
			return {
				...base,
				organisation: organisationToApi((item as PartnerMatch).organisation, origin),
				reasons: reasonsToApi(item)
			};
		case 'case_study': {
			const { caseStudy } = item as CaseStudyMatch;
			return {
				...base,
				caseStudy: {
					slug: caseStudy.slug,
					title: caseStudy.title,
					summary: caseStudy.summary,
					status: caseStudy.status,
					city: caseStudy.cityName,
					organisation: organisationToApi(caseStudy.organisation, origin),
					url: absolute(origin, `/cases/${caseStudy.slug}`)
				},
				reasons: reasonsToApi(item)
			};
		}
	}
}

const csvColumns = [
	'kind',
	'score',
	'id',
	'title',
	'organisation',
	'country',
	'url',
	'reasons'
] as const;

function csvRow(item: Record<string, unknown>) {
	const target = (item.offer ?? item.need ?? item.caseStudy ?? item.organisation) as Record<
		string,
		unknown
	>;
	const organisation = (target.organisation ?? target) as Record<string, string>;
	const reasons = item.reasons as { label: string; weight: number }[];
	return {
		kind: item.kind as string,
		score: item.score as number,
		id: (target.id ?? target.slug) as string,
		title: (target.title ?? target.name) as string,
		organisation: organisation.name,
		country: organisation.country,
		url: target.url as string,
		reasons: reasons.map((r) => `${r.label} (${Math.round(r.weight * 100)}%)`).join('; ')
	};
}

/** Private: matches depend on who asks (restricted listings), so never in a shared cache. */
const headers = { 'cache-control': 'private, no-cache', vary: 'accept, cookie' };

export function matchesResponse(items: MatchItem[], params: MatchParams, origin: string) {
	const data = items.map((item) => matchToApi(item, origin));
	if (params.csv) return csvResponse(toCsv(csvColumns, data.map(csvRow)), 'matches.csv', headers);
	return json({ data, next: null, total: data.length }, { headers });
}
