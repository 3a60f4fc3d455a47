/**
 * SDG 11 targets and their indicators (ids only; official texts are in sdg-texts.ts, short labels
 * in messages/vocab). Indicator 11.c.1 was deleted from the global indicator framework in the 2020
 * comprehensive review, so target 11.c has none here, although sdg11.json keeps its old text.
 */
export const sdgTargetIds = [
	'11.1',
	'11.2',
	'11.3',
	'11.4',
	'11.5',
	'11.6',
	'11.7',
	'11.a',
	'11.b',
	'11.c'
] as const;
export type SdgTargetId = (typeof sdgTargetIds)[number];

export const sdgIndicatorsByTarget = {
	'11.1': ['11.1.1'],
	'11.2': ['11.2.1'],
	'11.3': ['11.3.1', '11.3.2'],
	'11.4': ['11.4.1'],
	'11.5': ['11.5.1', '11.5.2'],
	'11.6': ['11.6.1', '11.6.2'],
	'11.7': ['11.7.1', '11.7.2'],
	'11.a': ['11.a.1'],
	'11.b': ['11.b.1', '11.b.2'],
	'11.c': []
} as const satisfies Record<SdgTargetId, readonly string[]>;

export type SdgIndicatorId = (typeof sdgIndicatorsByTarget)[SdgTargetId][number];

export const sdgIndicatorIds = Object.values(sdgIndicatorsByTarget).flat() as SdgIndicatorId[];

/** The languages the official UN texts are available in (the six UN languages and Swahili). */
export const sdgLanguages = ['en', 'fr', 'es', 'ar', 'ru', 'zh-Hans', 'sw'] as const;
export type SdgLanguage = (typeof sdgLanguages)[number];

export function isSdgTargetId(id: string): id is SdgTargetId {
	return (sdgTargetIds as readonly string[]).includes(id);
}
