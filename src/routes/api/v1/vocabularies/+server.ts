import { m } from '$lib/paraglide/messages';
import {
	csvResponse,
	formatErrors,
	toCsv,
	unknownParameterErrors,
	wantsCsv
} from '$lib/server/api/lists';
import { problem } from '$lib/server/api/problem';
import * as reference from '$lib/server/reference';
import { vocabularyCatalogue } from '$lib/vocab/catalogue';
import type { RequestHandler } from './$types';

const headers = { 'cache-control': 'public, max-age=3600', vary: 'accept' };
const csvColumns = ['vocabulary', 'id', 'parent', 'label_en', 'label_fr'] as const;
type CsvRow = Record<(typeof csvColumns)[number], string | null>;

/** Built once: the vocabularies only change with a new release. */
let json: string | undefined;
let csv: string | undefined;

function catalogueRows(): CsvRow[] {
	const catalogue = vocabularyCatalogue();
	const row = (
		vocabulary: string,
		id: string,
		label: Record<string, string>,
		parent: string | null = null
	): CsvRow => ({ vocabulary, id, parent, label_en: label.en, label_fr: label.fr });
	const flat = (
		[
			['themes', catalogue.themes],
			['sdgTargets', catalogue.sdgTargets],
			['domains', catalogue.domains],
			['technologies', catalogue.technologies],
			['cooperationTypes', catalogue.cooperationTypes],
			['fundingModels', catalogue.fundingModels],
			['beneficiaryGroups', catalogue.beneficiaryGroups],
			['organisationKinds', catalogue.organisationKinds],
			['incomeGroups', catalogue.incomeGroups]
		] as const
	).flatMap(([vocabulary, items]) =>
		items.map((item: { id: string; label: Record<string, string> }) =>
			row(vocabulary, item.id, item.label)
		)
	);
	const indicators = catalogue.sdgTargets.flatMap((target) =>
		target.indicators.map((indicator) =>
			row('sdgIndicators', indicator.id, indicator.text, target.id)
		)
	);
	const regions = catalogue.regions.flatMap((region) => [
		row('regions', region.code, region.label),
		...region.subregions.map((subregion) =>
			row('subregions', subregion.code, subregion.label, region.code)
		)
	]);
	return [...flat, ...indicators, ...regions];
}

/**
 * Every vocabulary with its labels in every site language. `format=csv` (or Accept: text/csv):
 * one row per entry, `parent` naming a sub-region's region or an indicator's target.
 */
export const GET: RequestHandler = ({ url, request }) => {
	const params = url.searchParams;
	const errors = [
		...unknownParameterErrors(
			params,
			new Set(['format']),
			m.apidocs_vocabularies_unknown_parameter
		),
		...formatErrors(params, m.apidocs_vocabularies_format)
	];
	if (errors.length) return problem(400, m.apidocs_vocabularies_invalid(), errors);
	if (wantsCsv(params.get('format'), request)) {
		csv ??= toCsv(csvColumns, catalogueRows());
		return csvResponse(csv, 'vocabularies.csv', headers);
	}
	json ??= JSON.stringify({
		...vocabularyCatalogue(),
		countryData: {
			incomeClassification: reference.referenceDates.incomeClassification,
			incomeClassificationDate: reference.referenceDates.incomeClassificationDate,
			ldcListDate: reference.referenceDates.ldcListDate,
			developingRule: reference.developingRule
		}
	});
	return new Response(json, { headers: { ...headers, 'content-type': 'application/json' } });
};
