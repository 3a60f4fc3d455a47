import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import { problem, type ProblemFieldError } from '$lib/server/api/problem';
import { appDb } from '$lib/server/db/app';
import * as places from '$lib/server/places';
import * as reference from '$lib/server/reference';
import { incomeGroupSchema, regionCodeSchema } from '$lib/vocab/schemas';
import {
	formatErrors,
	listResponse,
	unknownParameterErrors,
	wantsCsv
} from '$lib/server/api/lists';
import type { RequestHandler } from './$types';

const knownParameters = new Set(['region', 'income', 'lang', 'format']);
const csvColumns = [
	'code',
	'name',
	'regionCode',
	'subregionCode',
	'incomeGroup',
	'isLdc',
	'isDeveloping'
] as const;

/**
 * Every country with its M49 region, income group and LDC status, sorted by name in the request's
 * language. `region` and `income` narrow the list; repeat one for either of several values.
 */
export const GET: RequestHandler = ({ url, request }) => {
	const params = url.searchParams;
	const errors: ProblemFieldError[] = [
		...unknownParameterErrors(params, knownParameters, m.vocab_places_unknown_parameter),
		...formatErrors(params, m.vocab_places_format)
	];
	const regions = params.getAll('region');
	const incomes = params.getAll('income');
	for (const [field, values, schema] of [
		['region', regions, regionCodeSchema],
		['income', incomes, incomeGroupSchema]
	] as const) {
		for (const value of values) {
			const result = schema.safeParse(value);
			if (!result.success) errors.push({ field, message: result.error.issues[0].message });
		}
	}
	const format = params.get('format');
	const lang = params.get('lang');
	if (lang !== null && lang !== 'en' && lang !== 'fr') {
		errors.push({ field: 'lang', message: m.vocab_places_lang() });
	}
	if (errors.length) return problem(400, m.vocab_places_invalid(), errors);

	const locale = lang === 'en' || lang === 'fr' ? lang : getLocale() === 'fr' ? 'fr' : 'en';
	const data = places
		.listCountries(appDb(), locale)
		.filter((country) => !regions.length || regions.includes(country.regionCode))
		.filter((country) => !incomes.length || incomes.includes(country.incomeGroup ?? ''))
		.map((country) => ({ ...country, isDeveloping: reference.isDevelopingCountry(country) }));
	return listResponse(data, {
		csv: wantsCsv(format, request),
		columns: csvColumns,
		filename: 'countries.csv'
	});
};
