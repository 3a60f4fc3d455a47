import { m } from '$lib/paraglide/messages';

/** The label of each case-study field, for the editor, its error summary and the revision diff. */
const fieldLabels: Record<string, () => string> = {
	title: m.caseeditor_field_title,
	summary: m.caseeditor_field_summary,
	context: m.caseeditor_field_context,
	objectives: m.caseeditor_field_objectives,
	whatWasDone: m.caseeditor_field_whatWasDone,
	enablingFactors: m.caseeditor_field_enablingFactors,
	constraints: m.caseeditor_field_constraints,
	lessons: m.caseeditor_field_lessons,
	transferability: m.caseeditor_field_transferability,
	startYear: m.caseeditor_field_startYear,
	endYear: m.caseeditor_field_endYear,
	status: m.caseeditor_field_status,
	budget: m.caseeditor_field_budget,
	'budget.amount': m.caseeditor_field_budgetAmount,
	'budget.currency': m.caseeditor_field_budgetCurrency,
	fundingModels: m.caseeditor_field_fundingModels,
	countryCode: m.caseeditor_field_country,
	cityId: m.caseeditor_field_city,
	themes: m.caseeditor_field_themes,
	sdgTargets: m.caseeditor_field_sdgTargets,
	domains: m.caseeditor_field_domains,
	technologies: m.caseeditor_field_technologies,
	beneficiaryGroups: m.caseeditor_field_beneficiaryGroups,
	standards: m.caseeditor_field_standards,
	language: m.caseeditor_field_language,
	licence: m.caseeditor_field_licence,
	stakeholders: m.caseeditor_field_stakeholders,
	results: m.caseeditor_field_results,
	sources: m.caseeditor_field_sources,
	organisation: m.caseeditor_field_organisation
};

const rowFieldLabels: Record<string, () => string> = {
	'stakeholders.name': m.caseeditor_stakeholder_name,
	'stakeholders.role': m.caseeditor_stakeholder_role,
	'stakeholders.organisation': m.caseeditor_stakeholder_organisation,
	'results.indicator': m.caseeditor_result_indicator,
	'results.sdgIndicator': m.caseeditor_result_sdgIndicator,
	'results.baseline': m.caseeditor_result_baseline,
	'results.result': m.caseeditor_result_result,
	'results.unit': m.caseeditor_result_unit,
	'results.year': m.caseeditor_result_year,
	'results.source': m.caseeditor_result_source,
	'sources.title': m.caseeditor_source_title,
	'sources.url': m.caseeditor_source_url
};

const rowLegends: Record<string, (inputs: { number: number }) => string> = {
	stakeholders: m.caseeditor_stakeholder_legend,
	results: m.caseeditor_result_legend,
	sources: m.caseeditor_source_legend
};

/** "Title", or for a row field "Result 2: Unit"; an unknown path is shown as it is. */
export function fieldLabel(path: string): string {
	const label = fieldLabels[path];
	if (label) return label();
	const [group, index, field] = path.split('.');
	const rowLabel = rowFieldLabels[`${group}.${field}`];
	const legend = rowLegends[group];
	if (rowLabel && legend && /^\d+$/.test(index)) {
		return m.caseeditor_row_field({
			row: legend({ number: Number(index) + 1 }),
			field: rowLabel()
		});
	}
	return path;
}

/** The label of a row field alone ("Unit"). */
export function rowFieldLabel(group: string, field: string): string {
	return rowFieldLabels[`${group}.${field}`]?.() ?? field;
}

export function rowLegend(group: string, index: number): string {
	return rowLegends[group]?.({ number: index + 1 }) ?? `${group} ${index + 1}`;
}
