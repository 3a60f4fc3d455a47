import { getLocale } from '$lib/paraglide/runtime';
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
		}))
	};
};
