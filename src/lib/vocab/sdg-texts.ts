import sdg11 from './sdg11.json';
import {
	sdgIndicatorsByTarget,
	sdgLanguages,
	sdgTargetIds,
	type SdgIndicatorId,
	type SdgLanguage,
	type SdgTargetId
} from './sdg';

/**
 * The official UN texts of SDG 11 (open-sdg/sdg-translations, MIT: see LICENSE.open-sdg beside
 * this file), normalised to NFC because some source texts use combining accents. Kept apart
 * from sdg.ts so code that needs only the ids does not load every language.
 */
export type SdgTexts = Record<SdgLanguage, string>;

type Section = Record<string, string>;
const languages = sdg11.languages as Record<
	SdgLanguage,
	{ global_goals: Section; global_targets: Section; global_indicators: Section }
>;

/** '11.a' → '11-a', the open-sdg key form. */
const key = (id: string) => id.replaceAll('.', '-');

function textsFor(section: 'global_goals' | 'global_targets' | 'global_indicators', name: string) {
	return Object.fromEntries(
		sdgLanguages.map((language) => [language, languages[language][section][name].normalize('NFC')])
	) as SdgTexts;
}

export const sdgGoalTitle: SdgTexts = textsFor('global_goals', '11-title');
export const sdgGoalShortTitle: SdgTexts = textsFor('global_goals', '11-short');

export function sdgTargetTexts(id: SdgTargetId): SdgTexts {
	return textsFor('global_targets', `${key(id)}-title`);
}

export function sdgIndicatorTexts(id: SdgIndicatorId): SdgTexts {
	return textsFor('global_indicators', `${key(id)}-title`);
}

/** The official text in one language, falling back to English. */
export function sdgTargetText(id: SdgTargetId, language: string): string {
	const texts = sdgTargetTexts(id);
	return texts[language as SdgLanguage] ?? texts.en;
}

export type SdgTargetWithTexts = {
	id: SdgTargetId;
	text: SdgTexts;
	indicators: { id: SdgIndicatorId; text: SdgTexts }[];
};

/** Every target with its official texts and its indicators' texts. */
export function sdgTargetsWithTexts(): SdgTargetWithTexts[] {
	return sdgTargetIds.map((id) => ({
		id,
		text: sdgTargetTexts(id),
		indicators: sdgIndicatorsByTarget[id].map((indicator: SdgIndicatorId) => ({
			id: indicator,
			text: sdgIndicatorTexts(indicator)
		}))
	}));
}
