import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { actorOf } from '$lib/server/auth/guards';
import { appDb } from '$lib/server/db/app';
import * as editor from '$lib/server/case-studies/editor';
import * as revisions from '$lib/server/case-studies/revisions';
import type { PageServerLoad } from './$types';

/**
 * Who may see a case may see its history (published: everyone, from the revision it was
 * published with; otherwise its members and moderators). Authors' names are shown to members and
 * moderators only.
 */
export const load: PageServerLoad = (event) => {
	const actor = actorOf(event.locals);
	const db = appDb();
	const found = editor.visibleCase(db, actor, event.params.slug);
	if (!found) error(404, m.cases_not_found());
	const showAuthors = found.permissions.history;
	return {
		caseStudy: { slug: found.slug, title: found.title, organisation: found.organisation },
		revisions: revisions
			.listRevisions(db, found.id, found.firstVisibleRevision)
			.map((revision) => ({
				number: revision.number,
				createdAt: revision.createdAt,
				authorName: showAuthors ? revision.authorName : null
			})),
		showAuthors
	};
};
