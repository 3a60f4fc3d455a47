import {
	cooperationTypeLabel,
	incomeGroupLabel,
	regionLabel,
	sdgTargetLabel,
	subregionLabel,
	themeLabel
} from '$lib/vocab/labels';
import { inhabitedRegionCodes, subregionsByRegion } from '$lib/vocab/regions';
import { sdgTargetIds } from '$lib/vocab/sdg';
import { themeIds } from '$lib/vocab/themes';
import { cooperationTypes, incomeGroups } from '$lib/vocab/vocabularies';
import type { FilterChoice, FilterOption } from './FilterSelect.svelte';

/** The options of the filters the lists share, in the reader's language (call at render). */

export const themeChoices = (): FilterOption[] =>
	themeIds.map((id) => ({ value: id, label: `${id} · ${themeLabel(id)}` }));

export const sdgTargetChoices = (): FilterOption[] =>
	sdgTargetIds.map((id) => ({ value: id, label: `${id} · ${sdgTargetLabel(id)}` }));

export const incomeGroupChoices = (): FilterOption[] =>
	incomeGroups.map((id) => ({ value: id, label: incomeGroupLabel(id) }));

export const cooperationTypeChoices = (): FilterOption[] =>
	cooperationTypes.map((type) => ({ value: type, label: cooperationTypeLabel(type) }));

/** Each region as a group: the whole region (`allLabel` names it), then its sub-regions. */
export const regionGroupChoices = (allLabel: (region: string) => string): FilterChoice[] =>
	inhabitedRegionCodes.map((code) => ({
		group: regionLabel(code),
		options: [
			{ value: code, label: allLabel(regionLabel(code)) },
			...subregionsByRegion[code].map((sub) => ({ value: sub, label: subregionLabel(sub) }))
		]
	}));
