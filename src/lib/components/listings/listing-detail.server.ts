/**
 * What the page of a need or an offer shows, read through the domain (which hides restricted
 * records from those who may not see them) and labelled in the reader's language.
 */
import { error, type RequestEvent } from '@sveltejs/kit';
import { formatDate, getLocale } from '$lib/i18n';
import { m } from '$lib/paraglide/messages';
import { actorOf } from '$lib/server/auth/guards';
import type { Actor } from '$lib/server/auth/policy';
import type { Db } from '$lib/server/db';
import { appDb } from '$lib/server/db/app';
import * as matching from '$lib/server/matching';
import * as listings from '$lib/server/needs-offers';
import * as places from '$lib/server/places';
import {
	cooperationTypeLabel,
	incomeGroupLabel,
	ldcLabel,
	regionLabel,
	subregionLabel
} from '$lib/vocab/labels';
import { offerFormatLabel, timeframeLabel } from '$lib/vocab/matchmaking-labels';
import { isRegionCode } from '$lib/vocab/regions';
import type { CooperationType } from '$lib/vocab/vocabularies';
import type { ListingKind } from './labels';
import { cardOrganisation } from './listing-list.server';

/** What `?done=` after a redirect may say was just done. */
const doneStates = ['created', 'saved', 'status'] as const;

export type ListingFact = { label: string; value: string };

/** An amount in its currency, e.g. "US$20,000.00"; a code Intl does not know is written as is. */
function moneyText(amount: number, currency: string): string {
	try {
		return new Intl.NumberFormat(getLocale(), {
			style: 'currency',
			currency,
			maximumFractionDigits: 0
		}).format(amount);
	} catch {
		return `${new Intl.NumberFormat(getLocale()).format(amount)} ${currency}`;
	}
}

function countryName(db: Db, code: string): string {
	const country = places.getCountry(db, code);
	if (!country) return code;
	return getLocale() === 'fr' ? country.nameFr : country.nameEn;
}

const languageNames = () => new Intl.DisplayNames([getLocale()], { type: 'language' });

function needView(need: listings.NeedDetail) {
	const facts: ListingFact[] = [
		{ label: m.needspages_field_timeframe(), value: timeframeLabel(need.timeframe) },
		{
			label: m.needspages_budget(),
			value:
				need.budgetAmount !== null && need.budgetCurrency
					? moneyText(need.budgetAmount, need.budgetCurrency)
					: m.needspages_budget_none()
		},
		{ label: m.needspages_expires(), value: formatDate(need.expiresAt) }
	];
	return {
		sections: [
			{ label: m.needspages_field_challenge(), html: need.challengeHtml },
			...(need.triedSoFar.trim()
				? [{ label: m.needspages_field_tried_so_far(), html: need.triedSoFarHtml }]
				: [])
		],
		facts
	};
}

function offerView(db: Db, offer: listings.OfferDetail) {
	const served = offer.isGlobal
		? m.needspages_served_everywhere()
		: [
				...offer.regions.map((code) =>
					isRegionCode(code) ? regionLabel(code) : subregionLabel(code)
				),
				...offer.countries.map((code) => countryName(db, code))
			].join(', ');
	const eligibility = [
		offer.eligibleIncomeGroups.length
			? offer.eligibleIncomeGroups.map((id) => incomeGroupLabel(id)).join(', ')
			: m.needspages_income_all(),
		offer.onlyLeastDeveloped ? m.needspages_only_ldc({ ldc: ldcLabel() }) : ''
	]
		.filter(Boolean)
		.join(' · ');
	const facts: ListingFact[] = [
		{ label: m.needspages_field_format(), value: offerFormatLabel(offer.format) },
		{ label: m.needspages_served(), value: served },
		{
			label: m.needspages_field_capacity(),
			value:
				offer.capacity === null
					? m.needspages_capacity_open()
					: m.needspages_capacity_cities({ count: String(offer.capacity) })
		},
		{ label: m.needspages_eligibility(), value: eligibility },
		{
			label: m.needspages_field_deadline(),
			value: offer.deadline ? formatDate(offer.deadline) : m.needspages_deadline_none()
		}
	];
	return {
		sections: [{ label: m.needspages_field_description(), html: offer.descriptionHtml }],
		facts
	};
}

/**
 * The matches the page lists, in groups: for a need the offers, partners with a track record,
 * proven case studies and peer cities; for an offer the needs it fits.
 */
function matchGroups(db: Db, actor: Actor, kind: ListingKind, id: string) {
	if (kind === 'offer') {
		const found = matching.matchesForOffer(db, actor, id);
		return [{ key: 'needs', heading: m.needspages_matches_needs(), items: found?.needs ?? [] }];
	}
	const found = matching.matchesForNeed(db, actor, id);
	return [
		{ key: 'offers', heading: m.needspages_matches_offers(), items: found?.offers ?? [] },
		{ key: 'partners', heading: m.needspages_matches_partners(), items: found?.partners ?? [] },
		{
			key: 'caseStudies',
			heading: m.needspages_matches_case_studies(),
			items: found?.caseStudies ?? []
		},
		{ key: 'peerNeeds', heading: m.needspages_matches_peer_needs(), items: found?.peerNeeds ?? [] }
	];
}

/** `/needs/{id}` and `/offers/{id}`: 404 for a record that is missing or not visible. */
export function loadListingDetail(kind: ListingKind, event: RequestEvent) {
	const db = appDb();
	const actor = actorOf(event.locals);
	const id = event.params.id ?? '';
	const found =
		kind === 'need' ? listings.getNeed(db, actor, id) : listings.getOffer(db, actor, id);
	if (!found) {
		error(404, kind === 'need' ? m.needsoffers_need_not_found() : m.needsoffers_offer_not_found());
	}
	const names = languageNames();
	const body =
		'challenge' in found ? needView(found) : offerView(db, found as listings.OfferDetail);
	const doneParam = event.url.searchParams.get('done');
	return {
		listing: {
			id: found.id,
			title: found.title,
			status: found.status,
			isExpired: found.isExpired,
			isRestricted: found.visibility === 'verified',
			canEdit: found.canEdit,
			organisation: cardOrganisation(found.organisation),
			themes: found.themes,
			sdgTargets: found.sdgTargets,
			cooperationTypes: found.cooperationTypes.map((id) =>
				cooperationTypeLabel(id as CooperationType)
			),
			languages: found.languages.map((code) => names.of(code) ?? code),
			updatedAt: formatDate(found.updatedAt),
			...body
		},
		matches: matchGroups(db, actor, kind, found.id),
		done: doneStates.find((state) => state === doneParam) ?? null
	};
}
