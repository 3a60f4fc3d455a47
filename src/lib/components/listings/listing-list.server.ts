/** The `/needs` and `/offers` lists: lenient filters from the address, one page of cards. */
import type { RequestEvent } from '@sveltejs/kit';
import { formatDate, getLocale } from '$lib/i18n';
import { m } from '$lib/paraglide/messages';
import { actorOf } from '$lib/server/auth/guards';
import { can, type Actor, type OrganisationRole } from '$lib/server/auth/policy';
import type { Db } from '$lib/server/db';
import { appDb } from '$lib/server/db/app';
import * as listings from '$lib/server/needs-offers';
import * as organisations from '$lib/server/organisations';
import { offerFormatLabel, timeframeLabel } from '$lib/vocab/matchmaking-labels';
import type { ListingKind } from './labels';
import { listingOptions } from './listing-pages.server';
import type { ListingCard } from './ListingList.svelte';

/** The longest piece of an ignored value the notice repeats back. */
const shownValueLength = 60;

type CardOrganisation = ListingCard['organisation'];

export const cardOrganisation = (organisation: listings.ListingOrganisation): CardOrganisation => ({
	slug: organisation.slug,
	name: organisation.name,
	isVerified: organisation.isVerified,
	place: [organisation.cityName, organisation.countryName].filter(Boolean).join(', ')
});

type CardFields = {
	id: string;
	title: string;
	status: string;
	isExpired: boolean;
	visibility: string;
	themes: string[];
	sdgTargets: string[];
};

const cardOf = (item: CardFields, organisation: CardOrganisation) => ({
	id: item.id,
	title: item.title,
	status: item.status,
	isExpired: item.isExpired,
	isRestricted: item.visibility === 'verified',
	organisation,
	themes: item.themes,
	sdgTargets: item.sdgTargets
});

export const needCard = (
	item: CardFields & { timeframe: string; expiresAt: Date },
	organisation: CardOrganisation
): ListingCard => ({
	...cardOf(item, organisation),
	kindFact: timeframeLabel(item.timeframe),
	dateFact: m.needspages_expires_on({ date: formatDate(item.expiresAt) })
});

export const offerCard = (
	item: CardFields & { format: string; deadline: Date | null },
	organisation: CardOrganisation
): ListingCard => ({
	...cardOf(item, organisation),
	kindFact: offerFormatLabel(item.format),
	dateFact: item.deadline ? m.needspages_deadline_on({ date: formatDate(item.deadline) }) : ''
});

export function loadListingList(kind: ListingKind, event: RequestEvent) {
	const db = appDb();
	const actor = actorOf(event.locals);
	const { filters, problems } = listings.parseListingFilters(
		event.url.searchParams,
		'lenient',
		kind
	);
	const pageParam = event.url.searchParams.get('page');
	const page = pageParam && /^\d{1,6}$/.test(pageParam) ? Number(pageParam) : 1;
	const result =
		kind === 'need'
			? listings.listNeeds(db, actor, filters, page)
			: listings.listOffers(db, actor, filters, page);
	const options = listingOptions(db);
	return {
		filters,
		ignored: problems.map(({ field, value }) => ({
			name: field,
			value: value.slice(0, shownValueLength)
		})),
		items:
			kind === 'need'
				? (result.items as listings.NeedListItem[]).map((item) =>
						needCard(item, cardOrganisation(item.organisation))
					)
				: (result.items as listings.OfferListItem[]).map((item) =>
						offerCard(item, cardOrganisation(item.organisation))
					),
		total: result.total,
		page: result.page,
		pageCount: result.pageCount,
		options: {
			themes: options.themes,
			sdgTargets: options.sdgTargets.map(({ id, label }) => ({ id, label })),
			regions: options.regions,
			countries: options.countries,
			incomeGroups: options.incomeGroups,
			cooperationTypes: options.cooperationTypes,
			languages: options.languages,
			formats: options.formats
		},
		canPost: actor !== null
	};
}

/**
 * The Needs and Offers sections of an organisation's profile: every status the actor may see
 * (restricted ones only for those allowed), open ones first, and whether they may post.
 */
export function profileListings(
	db: Db,
	actor: Actor,
	profile: NonNullable<ReturnType<typeof organisations.profile>>,
	role: OrganisationRole | null
) {
	const card: CardOrganisation = {
		slug: profile.slug,
		name: profile.name,
		isVerified: profile.verificationState === 'verified',
		place: [
			profile.city?.name,
			getLocale() === 'fr' ? profile.country.nameFr : profile.country.nameEn
		]
			.filter(Boolean)
			.join(', ')
	};
	const context = { organisationRole: role };
	return {
		isCity: profile.kind === 'city',
		needs: listings.needsOfOrganisation(db, actor, profile.id).map((item) => needCard(item, card)),
		offers: listings
			.offersOfOrganisation(db, actor, profile.id)
			.map((item) => offerCard(item, card)),
		canPostNeed: profile.kind === 'city' && can(actor, 'need:create', context),
		canPostOffer: can(actor, 'offer:create', context)
	};
}
