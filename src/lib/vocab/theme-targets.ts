import { sdgTargetIds, type SdgTargetId } from './sdg';
import { themeIds, type ThemeId } from './themes';

/**
 * Which SDG 11 targets each SEJONG theme mostly serves: an editorial reading of the six forum
 * sessions against the target texts, used to cross-link the browse pages (not to tag cases).
 */
export const targetsByTheme: Record<ThemeId, readonly SdgTargetId[]> = {
	S: ['11.1', '11.2', '11.5', '11.b'],
	E: ['11.6', '11.7', '11.b', '11.c'],
	J: ['11.3', '11.a', '11.b'],
	O: ['11.2', '11.3', '11.6'],
	N: ['11.1', '11.2', '11.5', '11.7'],
	G: ['11.4', '11.a', '11.c']
};

/** The themes that list a target as related, in theme order. */
export function themesForTarget(target: SdgTargetId): ThemeId[] {
	return themeIds.filter((theme) => targetsByTheme[theme].includes(target));
}

export function isThemeId(id: string): id is ThemeId {
	return (themeIds as readonly string[]).includes(id);
}

/** The targets before and after one target in the official order, if any. */
export function neighbouringTargets(target: SdgTargetId): {
	previous: SdgTargetId | null;
	next: SdgTargetId | null;
} {
	const index = sdgTargetIds.indexOf(target);
	return {
		previous: index > 0 ? sdgTargetIds[index - 1] : null,
		next: index < sdgTargetIds.length - 1 ? sdgTargetIds[index + 1] : null
	};
}
