import { partnershipStatusLabel } from '$lib/components/partnerships/labels';
import { formatNumber, getLocale } from '$lib/i18n';
import { m } from '$lib/paraglide/messages';
import {
	cooperationTypeLabel,
	incomeGroupLabel,
	regionLabel,
	sdgTargetLabel,
	subregionLabel,
	themeLabel
} from '$lib/vocab/labels';
import { isRegionCode } from '$lib/vocab/regions';
import type { SdgTargetId } from '$lib/vocab/sdg';
import type { ThemeId } from '$lib/vocab/themes';
import type { CooperationType } from '$lib/vocab/vocabularies';

/** Labels for the insights page, in the reader's language; unknown codes show as they are. */

const kindLabels: Record<string, () => string> = {
	case_study: m.insights_kind_case_study,
	need: m.insights_kind_need,
	offer: m.insights_kind_offer,
	partnership: m.insights_kind_partnership
};

export const statsKindLabel = (kind: string): string => kindLabels[kind]?.() ?? kind;

/** "Mar 2025" for `2025-03`. */
export function monthLabel(month: string): string {
	const [year, number] = month.split('-').map(Number);
	if (!year || !number) return month;
	return new Intl.DateTimeFormat(getLocale(), {
		month: 'short',
		year: 'numeric',
		timeZone: 'UTC'
	}).format(Date.UTC(year, number - 1, 1));
}

export const regionOrSubregionLabel = (code: string): string =>
	isRegionCode(code) ? regionLabel(code) : subregionLabel(code);

/** A code of one of the filters' vocabularies, labelled. */
export function filterValueLabel(name: string, value: string): string {
	switch (name) {
		case 'region':
			return regionOrSubregionLabel(value);
		case 'income':
			return incomeGroupLabel(value);
		case 'theme':
			return `${value} · ${themeLabel(value as ThemeId)}`;
		case 'sdg':
			return `${value} · ${sdgTargetLabel(value as SdgTargetId)}`;
		case 'cooperation':
			return cooperationTypeLabel(value as CooperationType);
		case 'from':
		case 'to':
			return monthLabel(value);
		default:
			return value;
	}
}

/** A share 0–1 as a whole percentage, e.g. "42 %" (French spacing from Intl). */
export function formatShare(share: number | null): string {
	if (share === null) return m.insights_headline_share_none();
	return new Intl.NumberFormat(getLocale(), { style: 'percent', maximumFractionDigits: 0 }).format(
		share
	);
}

export const formatCount = (value: number | null | undefined): string =>
	value === null || value === undefined ? '–' : formatNumber(value);

export { partnershipStatusLabel };
