import { describe, expect, it } from 'vitest';
import sdg11 from './sdg11.json';
import {
	isSdgTargetId,
	sdgIndicatorIds,
	sdgIndicatorsByTarget,
	sdgLanguages,
	sdgTargetIds
} from './sdg';
import { sdgGoalTitle, sdgTargetsWithTexts, sdgTargetText } from './sdg-texts';

describe('SDG 11', () => {
	it('has the ten targets 11.1 to 11.c and the fourteen current indicators', () => {
		expect(sdgTargetIds).toHaveLength(10);
		expect(sdgIndicatorIds).toHaveLength(14);
		expect(sdgIndicatorIds[0]).toBe('11.1.1');
		expect(sdgIndicatorIds.at(-1)).toBe('11.b.2');
		for (const target of sdgTargetIds) {
			for (const indicator of sdgIndicatorsByTarget[target]) {
				expect(indicator.startsWith(`${target}.`)).toBe(true);
			}
		}
	});

	it('has an official text in all seven languages for every target and indicator', () => {
		const targets = sdgTargetsWithTexts();
		for (const target of targets) {
			for (const language of sdgLanguages) {
				expect(target.text[language], `${target.id} ${language}`).toMatch(/\S{3}/);
				for (const indicator of target.indicators) {
					expect(indicator.text[language], `${indicator.id} ${language}`).toMatch(/\S{3}/);
				}
			}
		}
		expect(Object.keys(sdg11.languages).sort()).toEqual([...sdgLanguages].sort());
	});

	it('gives texts in NFC and falls back to English for other languages', () => {
		expect(sdgTargetText('11.1', 'fr')).toBe(sdgTargetText('11.1', 'fr').normalize('NFC'));
		expect(sdgTargetText('11.1', 'fr')).toMatch(/^D’ici à 2030/);
		expect(sdgTargetText('11.5', 'de')).toBe(sdgTargetText('11.5', 'en'));
		expect(sdgGoalTitle.en).toBe(
			'Make cities and human settlements inclusive, safe, resilient and sustainable'
		);
	});

	it('recognises target ids', () => {
		expect(isSdgTargetId('11.a')).toBe(true);
		expect(isSdgTargetId('11.A')).toBe(false);
		expect(isSdgTargetId('11.8')).toBe(false);
	});
});
