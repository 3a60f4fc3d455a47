import { describe, expect, it } from 'vitest';
import * as listings from '../../src/lib/server/needs-offers';
import { freshDb } from '../support/db';
import { cityWithNeed, partnerWithOffer } from '../support/listing-fixtures';

describe('needs and offers: create and read', () => {
	it('a city member posts a need that anyone can read', () => {
		const db = freshDb();
		const { needId, organisationId } = cityWithNeed(db);
		const need = listings.getNeed(db, null, needId)!;
		expect(need.organisation.id).toBe(organisationId);
		expect(need.themes).toEqual(['S']);
		expect(need.sdgTargets).toEqual(['11.5', '11.b']);
		expect(need.challengeHtml).toContain('<strong>every rainy season</strong>');
		expect(need.isExpired).toBe(false);
		expect(need.canEdit).toBe(false);
	});

	it('a partner member posts an offer that anyone can read', () => {
		const db = freshDb();
		const { offerId, actor } = partnerWithOffer(db);
		const offer = listings.getOffer(db, actor, offerId)!;
		expect(offer.regions).toEqual(['002']);
		expect(offer.format).toBe('training');
		expect(offer.canEdit).toBe(true);
		expect(listings.getOffer(db, null, offerId)?.canEdit).toBe(false);
	});
});
