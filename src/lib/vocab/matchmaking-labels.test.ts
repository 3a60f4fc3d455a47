import { describe, expect, it } from 'vitest';
import en from '../../../messages/needsoffers/en.json';
import fr from '../../../messages/needsoffers/fr.json';
import {
	listingVisibilities,
	needStatuses,
	needTimeframes,
	offerFormats,
	offerStatuses
} from './matchmaking';
import {
	expiredLabel,
	needStatusLabel,
	offerFormatLabel,
	offerStatusLabel,
	timeframeLabel,
	visibilityLabel
} from './matchmaking-labels';

describe('needs and offers labels', () => {
	it('label every id in English and French', () => {
		const vocabularies: [readonly string[], (id: string, locale?: 'en' | 'fr') => string][] = [
			[needTimeframes, timeframeLabel],
			[offerFormats, offerFormatLabel],
			[needStatuses, needStatusLabel],
			[offerStatuses, offerStatusLabel],
			[listingVisibilities, visibilityLabel]
		];
		for (const [ids, label] of vocabularies) {
			for (const id of ids) {
				expect(label(id, 'en'), id).not.toBe(id);
				expect(label(id, 'fr'), id).not.toBe(id);
			}
		}
		expect(offerFormatLabel('study_visit', 'fr')).toBe('Voyage d’étude');
		expect(expiredLabel('fr')).toBe('Expiré');
	});

	it('show an unknown code as itself', () => {
		expect(needStatusLabel('archived')).toBe('archived');
	});

	it('have every English message in French too', () => {
		expect(Object.keys(fr).sort()).toEqual(Object.keys(en).sort());
	});
});
