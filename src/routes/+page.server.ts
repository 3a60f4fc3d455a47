import { getLocale } from '$lib/paraglide/runtime';
import * as caseStudies from '$lib/server/case-studies';
import { cardOf } from '$lib/server/case-studies/cards';
import { appDb } from '$lib/server/db/app';
import * as organisations from '$lib/server/organisations';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = () => {
	const db = appDb();
	const french = getLocale() === 'fr';
	return {
		figures: organisations.headlineFigures(db),
		recent: organisations.recentlyJoined(db, 6).map((row) => ({
			slug: row.slug,
			name: row.name,
			kind: row.kind,
			isVerified: row.verificationState === 'verified',
			countryName: french ? row.countryNameFr : row.countryNameEn,
			cityName: row.cityName
		})),
		latestCases: caseStudies.listPublished(db, {}, { limit: 6 }).items.map(cardOf)
	};
};
