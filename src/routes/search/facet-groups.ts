import { m } from '$lib/paraglide/messages';
import type { FacetName, RecordType } from '$lib/server/search/types';
import {
	cooperationTypeLabel,
	domainLabel,
	incomeGroupLabel,
	kindLabel,
	regionLabel,
	sdgTargetLabel,
	technologyLabel,
	themeLabel
} from '$lib/vocab/labels';
import { regionCodes } from '$lib/vocab/regions';
import { sdgTargetIds, type SdgTargetId } from '$lib/vocab/sdg';
import { themeIds, type ThemeId } from '$lib/vocab/themes';
import {
	cooperationTypes,
	incomeGroups,
	serviceDomains,
	technologies,
	type CooperationType,
	type OrganisationKind,
	type ServiceDomain,
	type Technology
} from '$lib/vocab/vocabularies';

/**
 * What the search page shows of the engine's facet counts: labelled options in a sensible order,
 * empty values left out but chosen ones always kept (so they can be unticked). Runs on the server,
 * so the browser gets labels, not the label tables.
 */

export type FacetOption = { value: string; label: string; count: number; selected: boolean };
export type SidebarFacet = Exclude<FacetName, 'type'>;
export type FacetGroup = { name: SidebarFacet; options: FacetOption[] };
export type ActiveFilter = { name: FacetName; value: string; label: string };

export const recordTypes = [
	'case_study',
	'organisation',
	'need',
	'offer'
] as const satisfies readonly RecordType[];

const typeLabels: Record<RecordType, () => string> = {
	case_study: m.search_badge_case_study,
	organisation: m.search_badge_organisation,
	need: m.search_badge_need,
	offer: m.search_badge_offer
};

/** Facets whose values come from a vocabulary are listed in the vocabulary's order. */
const vocabularyOrder: Partial<Record<FacetName, readonly string[]>> = {
	type: recordTypes,
	theme: themeIds,
	sdg: sdgTargetIds,
	region: regionCodes,
	income: incomeGroups,
	domain: serviceDomains,
	technology: technologies,
	cooperation: cooperationTypes
};

export function typeLabel(type: string): string {
	return Object.hasOwn(typeLabels, type) ? typeLabels[type as RecordType]() : type;
}

/** One facet value as a person reads it; `countryName` turns ISO codes into names. */
export function valueLabel(
	name: FacetName,
	value: string,
	countryName: (code: string) => string
): string {
	switch (name) {
		case 'type':
			return typeLabel(value);
		case 'theme':
			return `${value} · ${themeLabel(value as ThemeId)}`;
		case 'sdg':
			return `${value} · ${sdgTargetLabel(value as SdgTargetId)}`;
		case 'region':
			return regionLabel(value);
		case 'country':
			return countryName(value);
		case 'income':
			return incomeGroupLabel(value);
		case 'domain':
			return domainLabel(value as ServiceDomain);
		case 'technology':
			return technologyLabel(value as Technology);
		case 'cooperation':
			return cooperationTypeLabel(value as CooperationType);
		default:
			return value;
	}
}

function ordered(name: FacetName, options: FacetOption[], collator: Intl.Collator): FacetOption[] {
	const order = vocabularyOrder[name];
	if (order) {
		const rank = (value: string) => {
			const index = order.indexOf(value);
			return index === -1 ? order.length : index;
		};
		return options.sort((a, b) => rank(a.value) - rank(b.value) || a.value.localeCompare(b.value));
	}
	if (name === 'year') return options.sort((a, b) => Number(b.value) - Number(a.value));
	// Countries: the most common first, so the few that matter are above the fold.
	return options.sort((a, b) => b.count - a.count || collator.compare(a.label, b.label));
}

/** The options of one facet: counted or chosen values, labelled and ordered. */
export function facetOptions(
	name: FacetName,
	counts: Record<string, number>,
	selected: readonly string[],
	countryName: (code: string) => string,
	collator: Intl.Collator
): FacetOption[] {
	const values = new Set([
		...Object.keys(counts).filter((value) => (counts[value] ?? 0) > 0),
		...selected
	]);
	const options = [...values].map((value) => ({
		value,
		label: valueLabel(name, value, countryName),
		count: Object.hasOwn(counts, value) ? counts[value] : 0,
		selected: selected.includes(value)
	}));
	return ordered(name, options, collator);
}

/** The sidebar: every facet but the type (the tabs above the results), empty ones left out. */
export function facetGroups(
	facetNames: readonly FacetName[],
	facets: Partial<Record<FacetName, Record<string, number>>>,
	filters: Partial<Record<FacetName, string[]>>,
	countryName: (code: string) => string,
	collator: Intl.Collator
): FacetGroup[] {
	const groups: FacetGroup[] = [];
	for (const name of facetNames) {
		if (name === 'type') continue;
		const options = facetOptions(
			name,
			facets[name] ?? {},
			filters[name] ?? [],
			countryName,
			collator
		);
		if (options.length) groups.push({ name, options });
	}
	return groups;
}

/** Every chosen value on its own, so each can be removed alone. */
export function activeFilters(
	facetNames: readonly FacetName[],
	filters: Partial<Record<FacetName, string[]>>,
	countryName: (code: string) => string
): ActiveFilter[] {
	return facetNames.flatMap((name) =>
		(filters[name] ?? []).map((value) => ({
			name,
			value,
			label: valueLabel(name, value, countryName)
		}))
	);
}

/** A hit's second line: organisation kind, place and organisation, as far as they are known. */
export function hitDetails(
	meta: Record<string, string | null>,
	countryName: (code: string) => string
): string[] {
	const place = [meta.city, meta.country ? countryName(meta.country) : null]
		.filter(Boolean)
		.join(', ');
	return [
		meta.kind ? kindLabel(meta.kind as OrganisationKind) : null,
		place || null,
		meta.organisation ?? null
	].filter((part): part is string => Boolean(part));
}
