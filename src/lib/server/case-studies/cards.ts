import type { CaseStudyCard } from '$lib/components/CaseStudyList.svelte';
import { getLocale } from '$lib/paraglide/runtime';
import type { SdgTargetId } from '$lib/vocab/sdg';
import type { ThemeId } from '$lib/vocab/themes';
import type { Db } from '$lib/server/db';
import { countPublished, listPublished, type CaseStudyListItem, type ListFilters } from './index';

/** What a list page sends the browser for one published case: only what the card shows. */
export function cardOf(item: CaseStudyListItem): CaseStudyCard {
	return {
		title: item.title,
		slug: item.slug,
		summary: item.summary,
		city: item.cityName,
		country: getLocale() === 'fr' ? item.countryNameFr : item.countryNameEn,
		organisation: {
			slug: item.organisationSlug,
			name: item.organisationName,
			isVerified: item.organisationVerified
		},
		// Tags are checked against the vocabularies when saved.
		themes: item.themes as ThemeId[],
		sdgTargets: item.sdgTargets as SdgTargetId[],
		status: item.status,
		startYear: item.startYear,
		endYear: item.endYear,
		validationCount: item.validationCount,
		outOfDate: item.outOfDate
	};
}

/** How many of the latest published cases a browse page shows; the rest are one link away. */
const latestCount = 10;

/** The latest published cases matching the filters, as cards, and how many match in all. */
export function latestCards(db: Db, filters: ListFilters) {
	return {
		cases: listPublished(db, filters, { limit: latestCount }).items.map(cardOf),
		caseCount: countPublished(db, filters)
	};
}
