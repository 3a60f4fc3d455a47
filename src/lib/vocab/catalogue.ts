import type { Locale } from '$lib/paraglide/runtime';
import {
	beneficiaryGroupLabel,
	cooperationTypeLabel,
	domainLabel,
	fundingModelLabel,
	incomeGroupLabel,
	kindLabel,
	labelsInEveryLocale,
	regionLabel,
	sdgTargetLabel,
	subregionLabel,
	technologyLabel,
	themeLabel
} from './labels';
import { regionCodes, subregionsByRegion } from './regions';
import { sdgLanguages } from './sdg';
import { sdgGoalShortTitle, sdgGoalTitle, sdgTargetsWithTexts } from './sdg-texts';
import { themeIds } from './themes';
import {
	beneficiaryGroups,
	cooperationTypes,
	fundingModels,
	incomeGroups,
	organisationKinds,
	serviceDomains,
	technologies
} from './vocabularies';

type Labelled<Id extends string> = { id: Id; label: Record<Locale, string> };

function labelled<Id extends string>(
	ids: readonly Id[],
	label: (id: Id, locale?: Locale) => string
): Labelled<Id>[] {
	return ids.map((id) => ({ id, label: labelsInEveryLocale(label, id) }));
}

/** Every vocabulary with its labels in every site language: the body of GET /api/v1/vocabularies. */
export function vocabularyCatalogue() {
	return {
		themes: labelled(themeIds, themeLabel),
		sdgGoal: {
			id: '11',
			title: sdgGoalTitle,
			shortTitle: sdgGoalShortTitle,
			languages: sdgLanguages
		},
		sdgTargets: sdgTargetsWithTexts().map((target) => ({
			id: target.id,
			label: labelsInEveryLocale(sdgTargetLabel, target.id),
			text: target.text,
			indicators: target.indicators
		})),
		domains: labelled(serviceDomains, domainLabel),
		technologies: labelled(technologies, technologyLabel),
		cooperationTypes: labelled(cooperationTypes, cooperationTypeLabel),
		fundingModels: labelled(fundingModels, fundingModelLabel),
		beneficiaryGroups: labelled(beneficiaryGroups, beneficiaryGroupLabel),
		organisationKinds: labelled(organisationKinds, kindLabel),
		regions: regionCodes.map((code) => ({
			code,
			label: labelsInEveryLocale(regionLabel, code),
			subregions: subregionsByRegion[code].map((subregion: string) => ({
				code: subregion,
				label: labelsInEveryLocale(subregionLabel, subregion)
			}))
		})),
		incomeGroups: labelled(incomeGroups, incomeGroupLabel)
	};
}
