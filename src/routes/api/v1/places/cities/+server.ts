import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import { problem, type ProblemFieldError } from '$lib/server/api/problem';
import { appDb } from '$lib/server/db/app';
import * as places from '$lib/server/places';
import {
	formatErrors,
	listResponse,
	unknownParameterErrors,
	wantsCsv
} from '$lib/server/api/lists';
import type { RequestHandler } from './$types';

const knownParameters = new Set(['q', 'country', 'limit', 'lang', 'format']);
const csvColumns = [
	'id',
	'name',
	'countryCode',
	'countryName',
	'adminCode',
	'population',
	'latitude',
	'longitude'
] as const;

/** Search-as-you-type over the gazetteer: cities whose name starts with `q`, most populous first. */
export const GET: RequestHandler = ({ url, request }) => {
	const params = url.searchParams;
	const errors: ProblemFieldError[] = [
		...unknownParameterErrors(params, knownParameters, m.vocab_places_unknown_parameter),
		...formatErrors(params, m.vocab_places_format)
	];
	const format = params.get('format');
	const parsed = places.citySearchSchema.safeParse({
		q: params.get('q') ?? undefined,
		country: params.get('country') || undefined,
		limit: params.get('limit') || undefined,
		lang: params.get('lang') || undefined
	});
	if (!parsed.success) {
		for (const issue of parsed.error.issues) {
			errors.push({ field: issue.path.map(String).join('.'), message: issue.message });
		}
	}
	if (errors.length || !parsed.success) {
		return problem(400, m.vocab_places_invalid(), errors);
	}

	const db = appDb();
	const { q, country, limit, lang } = parsed.data;
	if (country && !places.getCountry(db, country)) {
		const message = m.vocab_places_country_unknown({ code: country });
		return problem(400, message, [{ field: 'country', message }]);
	}
	const locale = lang ?? (getLocale() === 'fr' ? 'fr' : 'en');
	const data = places.searchCities(db, q, { countryCode: country, limit, locale });
	return listResponse(data, {
		csv: wantsCsv(format, request),
		columns: csvColumns,
		filename: 'cities.csv'
	});
};
