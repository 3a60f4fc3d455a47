import { m } from '$lib/paraglide/messages';
import { atomXml, tagUri } from '$lib/server/atom';
import { problem } from '$lib/server/api/problem';
import * as caseStudies from '$lib/server/case-studies';
import * as caseApi from '$lib/server/case-studies/api';
import { config } from '$lib/server/config';
import { appDb } from '$lib/server/db/app';
import { sdgTargetLabel, themeLabel } from '$lib/vocab/labels';
import type { SdgTargetId } from '$lib/vocab/sdg';
import type { ThemeId } from '$lib/vocab/themes';
import type { RequestHandler } from './$types';

const FEED_SIZE = 50;
/** The year the feed's tag: URIs were minted; it never changes. */
const TAG_YEAR = 2026;

/** The newest published case studies as Atom 1.0; the /cases filters narrow it. */
export const GET: RequestHandler = ({ url }) => {
	const { filters, errors } = caseApi.parseApiFilters(url.searchParams, []);
	if (errors.length || !filters) return problem(400, 'Some parameters are not valid.', errors);

	const { items } = caseStudies.listPublished(appDb(), filters, { limit: FEED_SIZE });
	const origin = config.origin;
	const absolute = (path: string) => new URL(path, origin).toString();
	const query = url.search;
	const xml = atomXml({
		id: absolute(`/feeds/case-studies.atom${query}`),
		title: m.casemod_feed_title(),
		subtitle: m.casemod_feed_subtitle(),
		// The newest change among the entries; an empty feed changes when it is read.
		updated: items.length
			? new Date(Math.max(...items.map((item) => item.updatedAt.getTime())))
			: new Date(),
		language: 'en',
		generator: m.site_name(),
		links: [
			{
				rel: 'self',
				type: 'application/atom+xml',
				href: absolute(`/feeds/case-studies.atom${query}`)
			},
			{ rel: 'alternate', type: 'text/html', href: absolute(`/cases${query}`) }
		],
		entries: items.map((item) => ({
			id: tagUri(origin, TAG_YEAR, `case-study:${item.id}`),
			title: item.title,
			updated: item.updatedAt,
			published: item.publishedAt,
			authors: [item.organisationName],
			summary: item.summary,
			link: absolute(`/cases/${item.slug}`),
			categories: [
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
			]
		}))
	});
	return new Response(xml, {
		headers: {
			'content-type': 'application/atom+xml; charset=utf-8',
			'cache-control': 'public, max-age=300'
		}
	});
};
