import { describe, expect, it } from 'vitest';
import { sdgTargetIds } from './sdg';
import { isThemeId, neighbouringTargets, targetsByTheme, themesForTarget } from './theme-targets';
import { themeIds } from './themes';

describe('theme ↔ SDG 11 target cross-links', () => {
	it('relates every theme to at least one target and every target to at least one theme', () => {
		for (const theme of themeIds) expect(targetsByTheme[theme].length).toBeGreaterThan(0);
		for (const target of sdgTargetIds) expect(themesForTarget(target).length).toBeGreaterThan(0);
	});

	it('keeps the related targets of a theme in the official order, without repeats', () => {
		for (const theme of themeIds) {
			const targets = targetsByTheme[theme];
			const ordered = sdgTargetIds.filter((id) => targets.includes(id));
			expect(targets).toEqual(ordered);
		}
	});

	it('reads the inverse relation in theme order', () => {
		expect(themesForTarget('11.c')).toEqual(['E', 'G']);
	});

	it('recognises theme ids exactly', () => {
		expect(isThemeId('S')).toBe(true);
		expect(isThemeId('s')).toBe(false);
		expect(isThemeId('X')).toBe(false);
		expect(isThemeId('toString')).toBe(false);
	});

	it('names the neighbours of a target, none before the first or after the last', () => {
		expect(neighbouringTargets('11.1')).toEqual({ previous: null, next: '11.2' });
		expect(neighbouringTargets('11.7')).toEqual({ previous: '11.6', next: '11.a' });
		expect(neighbouringTargets('11.c')).toEqual({ previous: '11.b', next: null });
	});
});
