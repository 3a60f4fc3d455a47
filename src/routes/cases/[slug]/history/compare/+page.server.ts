import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { actorOf } from '$lib/server/auth/guards';
import { appDb } from '$lib/server/db/app';
import * as editor from '$lib/server/case-studies/editor';
import * as revisions from '$lib/server/case-studies/revisions';
import type { PageServerLoad } from './$types';

const revisionNumber = (value: string | null) =>
	value !== null && /^\s*\d{1,9}\s*$/.test(value) ? Number(value) : null;

/**
 * Two revisions side by side, field by field. Without parameters it compares the newest
 * revision with the one before; anything else that is not two different existing revisions
 * is a 400 with a message.
 */
export const load: PageServerLoad = (event) => {
	const actor = actorOf(event.locals);
	const db = appDb();
	const found = editor.visibleCase(db, actor, event.params.slug);
	if (!found) error(404, m.cases_not_found());
	const count = found.revisionCount;
	const params = event.url.searchParams;
	const given = params.has('from') || params.has('to');
	const from = given ? revisionNumber(params.get('from')) : count - 1;
	const to = given ? revisionNumber(params.get('to')) : count;
	const first = found.firstVisibleRevision;
	const inRange = (n: number | null): n is number => n !== null && n >= first && n <= count;
	if (count - first < 1) error(400, m.caseeditor_history_only_one());
	if (!inRange(from) || !inRange(to) || from === to) {
		error(400, m.caseeditor_compare_invalid({ min: first, max: count }));
	}
	const showAuthors = found.permissions.history;
	const meta = (number: number) => {
		const revision = revisions.getRevision(db, found.id, number);
		return {
			number,
			createdAt: revision.createdAt,
			authorName: showAuthors ? revision.authorName : null
		};
	};
	return {
		caseStudy: { slug: found.slug, title: found.title, organisation: found.organisation },
		from: meta(from),
		to: meta(to),
		changes: revisions.compareRevisions(db, found.id, from, to).changes
	};
};
