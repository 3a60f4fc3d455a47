import {
	formatCount,
	formatShare,
	monthLabel,
	partnershipStatusLabel,
	regionOrSubregionLabel,
	statsKindLabel
} from '$lib/components/insights/labels';
import { m } from '$lib/paraglide/messages';
import { sdgTargetLabel, themeLabel } from '$lib/vocab/labels';
import type { SdgTargetId } from '$lib/vocab/sdg';
import type { ThemeId } from '$lib/vocab/themes';

/**
 * Headers and cells of the views' tables. The rows are the export's rows (`stats.viewRows`):
 * machine names and codes, labelled here in the reader's language.
 */

type Row = Record<string, string | number | null>;

const columnLabels: Record<string, () => string> = {
	figure: m.insights_column_figure,
	value: m.insights_column_value,
	theme: m.insights_filter_theme,
	sdg: m.insights_filter_sdg,
	dimension: m.insights_column_dimension,
	openNeeds: m.insights_headline_open_needs,
	servingOffers: m.insights_column_serving_offers,
	needsWithoutOffer: m.insights_column_needs_without_offer,
	country: m.insights_column_country,
	month: m.insights_column_month
};

export const columnLabel = (column: string): string =>
	columnLabels[column]?.() ?? statsKindLabel(column);

const dimensionLabels: Record<string, () => string> = {
	theme: m.insights_filter_theme,
	sdg: m.insights_filter_sdg,
	region: m.insights_filter_region
};

const introductionLabels: Record<string, () => string> = {
	requested: m.insights_introductions_requested,
	accepted: m.insights_introductions_accepted,
	declined: m.insights_introductions_declined,
	pending: m.insights_introductions_pending
};

/** What a figure's path in the Insights JSON (`partnerships.agreed`) stands for. */
function figureLabel(figure: string): string {
	const [group, part] = figure.split('.');
	if (part && (group === 'partnerships' || group === 'byStatus')) {
		return part === 'total'
			? m.insights_headline_partnerships()
			: m.insights_figure_status({ status: partnershipStatusLabel(part) });
	}
	if (part && group === 'introductions') {
		return m.insights_figure_introductions({ status: introductionLabels[part]?.() ?? part });
	}
	const labels: Record<string, () => string> = {
		caseStudies: m.insights_headline_case_studies,
		cities: m.insights_headline_cities,
		partners: m.insights_headline_partners,
		openNeeds: m.insights_headline_open_needs,
		openOffers: m.insights_headline_open_offers,
		countriesReached: m.insights_headline_countries,
		developingShare: m.insights_headline_developing,
		ldcShare: m.insights_headline_ldc,
		medianDaysToAgreement: m.insights_pipeline_median_agreement,
		medianDaysToCompletion: m.insights_pipeline_median_completion,
		stale: m.insights_pipeline_stale
	};
	return labels[figure]?.() ?? figure;
}

function codeLabel(kind: string, code: string): string {
	switch (kind) {
		case 'theme':
			return `${code} · ${themeLabel(code as ThemeId)}`;
		case 'sdg':
			return `${code} · ${sdgTargetLabel(code as SdgTargetId)}`;
		case 'region':
			return regionOrSubregionLabel(code);
		default:
			return code;
	}
}

export function cellText(column: string, row: Row, countryNames: Record<string, string>): string {
	const value = row[column];
	switch (column) {
		case 'figure':
			return figureLabel(String(value));
		case 'dimension':
			return dimensionLabels[String(value)]?.() ?? String(value);
		case 'theme':
		case 'sdg':
			return codeLabel(column, String(value));
		case 'country':
			return countryNames[String(value)] ?? String(value);
		case 'month':
			return monthLabel(String(value));
		case 'value':
			if (typeof row.figure === 'string') {
				if (row.figure.endsWith('Share')) return formatShare(value as number | null);
				if (row.figure.startsWith('medianDays')) {
					return value === null
						? m.insights_pipeline_no_median()
						: m.insights_pipeline_days({ days: formatCount(value as number) });
				}
				return formatCount(value as number | null);
			}
			return codeLabel(String(row.dimension), String(value));
	}
	return typeof value === 'number' ? formatCount(value) : (value ?? '–');
}
