/** Atom feeds of the newest public needs and offers, narrowed by the lists' filters. */
import { m } from '$lib/paraglide/messages';
import { unknownParameterErrors } from '$lib/server/api/lists';
import { problem } from '$lib/server/api/problem';
import { atomXml, tagUri, type AtomCategory } from '$lib/server/atom';
import type { Db } from '$lib/server/db';
import * as listings from '$lib/server/needs-offers';
import { sdgTargetLabel, themeLabel } from '$lib/vocab/labels';
import type { SdgTargetId } from '$lib/vocab/sdg';
import type { ThemeId } from '$lib/vocab/themes';

export const FEED_SIZE = 50;
/** The year the feeds' tag: URIs were minted; it never changes. */
const TAG_YEAR = 2026;
/** Enough of a challenge or description to decide whether to open the page. */
const SUMMARY_MAX = 600;

const summaryOf = (text: string) =>
	text.length > SUMMARY_MAX ? `${text.slice(0, SUMMARY_MAX - 1).trimEnd()}…` : text;

function categories(
	item: { themes: string[]; sdgTargets: string[] },
	absolute: (path: string) => string
): AtomCategory[] {
	return [
		...item.themes.map((id) => ({
			term: id,
			scheme: absolute('/themes'),
			label: themeLabel(id as ThemeId)
		})),
		...item.sdgTargets.map((id) => ({
			term: id,
			scheme: absolute('/sdg'),
			label: `SDG ${id} ${sdgTargetLabel(id as SdgTargetId)}`
		}))
	];
}

/**
 * GET /feeds/needs.atom and /feeds/offers.atom. Read as an anonymous visitor whoever asks: the
 * answer is public and cached, so restricted listings are never in it. The filters are the
 * lists' (open and unexpired unless `status` says otherwise), read strictly: a bad value or an
 * unknown parameter answers 400 rather than a feed that silently ignores it.
 */
export function listingFeedResponse(
	db: Db,
	kind: listings.ListingKind,
	url: URL,
	origin: string
): Response {
	const params = url.searchParams;
	const errors = unknownParameterErrors(
		params,
		new Set<string>(listings.filterNames(kind)),
		m.needsoffers_api_unknown_parameter
	);
	const { filters, problems } = listings.parseListingFilters(params, 'strict', kind);
	errors.push(...problems.map(({ field, message }) => ({ field, message })));
	if (errors.length || !filters) return problem(400, 'Some parameters are not valid.', errors);

	const absolute = (path: string) => new URL(path, origin).toString();
	const plural = kind === 'need' ? 'needs' : 'offers';
	const query = url.search;
	const entries =
		kind === 'need'
			? listings.needsAfter(db, null, filters, { limit: FEED_SIZE }).items.map((need) => ({
					id: tagUri(origin, TAG_YEAR, `need:${need.id}`),
					title: need.title,
					updated: need.updatedAt,
					published: need.createdAt,
					authors: [need.organisation.name],
					summary: summaryOf(need.challenge),
					link: absolute(`/needs/${need.id}`),
					categories: categories(need, absolute)
				}))
			: listings.offersAfter(db, null, filters, { limit: FEED_SIZE }).items.map((offer) => ({
					id: tagUri(origin, TAG_YEAR, `offer:${offer.id}`),
					title: offer.title,
					updated: offer.updatedAt,
					published: offer.createdAt,
					authors: [offer.organisation.name],
					summary: summaryOf(offer.description),
					link: absolute(`/offers/${offer.id}`),
					categories: categories(offer, absolute)
				}));
	const xml = atomXml({
		id: absolute(`/feeds/${plural}.atom${query}`),
		title: kind === 'need' ? m.opendata_feed_needs_title() : m.opendata_feed_offers_title(),
		subtitle:
			kind === 'need' ? m.opendata_feed_needs_subtitle() : m.opendata_feed_offers_subtitle(),
		// The newest change among the entries; an empty feed changes when it is read.
		updated: entries.length
			? new Date(Math.max(...entries.map((entry) => entry.updated.getTime())))
			: new Date(),
		language: 'en',
		generator: m.site_name(),
		links: [
			{
				rel: 'self',
				type: 'application/atom+xml',
				href: absolute(`/feeds/${plural}.atom${query}`)
			},
			{ rel: 'alternate', type: 'text/html', href: absolute(`/${plural}${query}`) }
		],
		entries
	});
	return new Response(xml, {
		headers: {
			'content-type': 'application/atom+xml; charset=utf-8',
			'cache-control': 'public, max-age=300'
		}
	});
}
