import * as reference from '$lib/server/reference';
import { vocabularyCatalogue } from '$lib/vocab/catalogue';
import type { RequestHandler } from './$types';

/** Built once: the vocabularies only change with a new release. */
let body: string | undefined;

export const GET: RequestHandler = () => {
	body ??= JSON.stringify({
		...vocabularyCatalogue(),
		countryData: {
			incomeClassification: reference.referenceDates.incomeClassification,
			incomeClassificationDate: reference.referenceDates.incomeClassificationDate,
			ldcListDate: reference.referenceDates.ldcListDate,
			developingRule: reference.developingRule
		}
	});
	return new Response(body, {
		headers: {
			'content-type': 'application/json',
			'cache-control': 'public, max-age=3600'
		}
	});
};
