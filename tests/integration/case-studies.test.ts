import { readFileSync } from 'node:fs';
import { eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/lib/server/auth/policy';
import type { Db } from '../../src/lib/server/db';
import * as table from '../../src/lib/server/db/schema';
import * as audit from '../../src/lib/server/audit';
import * as organisations from '../../src/lib/server/organisations';
import * as caseStudies from '../../src/lib/server/case-studies';
import * as revisions from '../../src/lib/server/case-studies/revisions';
import * as validations from '../../src/lib/server/case-studies/validations';
import * as reports from '../../src/lib/server/case-studies/reports';
import * as freshness from '../../src/lib/server/case-studies/freshness';
import { freshDb } from '../support/db';
import {
	ensurePlaces,
	makeUser,
	outboxTo,
	places,
	ruleErrorOf,
	type TestUser
} from '../support/org-fixtures';

const demo = JSON.parse(readFileSync('db/demo/case-studies.json', 'utf8')) as Record<
	string,
	unknown
>[];

const forbidden = expect.objectContaining({ status: 403 });
const signedOut = expect.objectContaining({ status: 401 });

let db: Db;
let owner: TestUser;
let stranger: TestUser;
let moderatorUser: TestUser;
let partnerUser: TestUser;
let cityOrgId: string;
let partnerOrgId: string;

const actor = (user: TestUser): Actor => ({ id: user.id, siteRole: user.siteRole });

function makeOrganisation(
	user: TestUser,
	name: string,
	country = 'KE',
	city: number | null = places.nairobi
) {
	return organisations.createOrganisation(db, user.id, {
		name,
		kind: city === null ? 'ngo' : 'city',
		country,
		city,
		website: null,
		description: '',
		languages: []
	}).id;
}

function verify(organisationId: string) {
	db.update(table.organisation)
		.set({ verificationState: 'verified', verifiedAt: new Date() })
		.where(eq(table.organisation.id, organisationId))
		.run();
}

/** A valid input built from a demo entry, with a few overrides. */
function input(overrides: Record<string, unknown> = {}) {
	return caseStudies.caseStudyInput.parse({
		...demo[0],
		stakeholders: [{ name: 'City transport office', role: 'Lead', organisation: null }],
		...overrides
	});
}

function state(id: string) {
	return db
		.select({ state: table.caseStudy.workflowState, feedback: table.caseStudy.moderatorFeedback })
		.from(table.caseStudy)
		.where(eq(table.caseStudy.id, id))
		.get()!;
}

function draft(organisationId = cityOrgId, user = owner, overrides: Record<string, unknown> = {}) {
	return caseStudies.createDraft(db, actor(user), { organisationId, input: input(overrides) });
}

function published(
	organisationId = cityOrgId,
	user = owner,
	overrides: Record<string, unknown> = {}
) {
	const created = draft(organisationId, user, overrides);
	caseStudies.publish(db, actor(moderatorUser), created.id);
	return created;
}

beforeEach(() => {
	db = freshDb();
	ensurePlaces(db);
	owner = makeUser(db, 'member', 'owner');
	stranger = makeUser(db, 'member', 'stranger');
	moderatorUser = makeUser(db, 'moderator', 'moderator');
	partnerUser = makeUser(db, 'member', 'partner');
	cityOrgId = makeOrganisation(owner, 'Nairobi City County');
	partnerOrgId = makeOrganisation(partnerUser, 'Mombasa County', 'KE', places.mombasa);
});

describe('drafts', () => {
	it('creates a draft with its content, tags, place and revision 1', () => {
		const { id, slug } = draft();
		expect(slug).toBe('irembo-one-online-gateway-to-government-services-in-rwanda');
		const page = caseStudies.getBySlug(db, actor(owner), slug)!;
		expect(page.workflowState).toBe('draft');
		expect(page.themes).toEqual(['O', 'N', 'J']);
		expect(page.sdgTargets).toEqual(['11.3']);
		expect(page.country.code).toBe('KE');
		expect(page.cityName).toBe('Nairobi');
		expect(page.results[0].result).toBe('103 services');
		expect(page.revisionCount).toBe(1);
		expect(revisions.listRevisions(db, id)).toHaveLength(1);
		expect(page.permissions).toMatchObject({ edit: true, submit: true, publish: false });
	});

	it('gives a second case with the same title its own slug, and keeps a wished slug', () => {
		const first = draft();
		const second = draft();
		expect(second.slug).toBe(`${first.slug}-2`);
		const wished = caseStudies.createDraft(db, actor(owner), {
			organisationId: cityOrgId,
			input: input(),
			slug: 'kigali-irembo-e-services'
		});
		expect(wished.slug).toBe('kigali-irembo-e-services');
	});

	it('is written only by members of the organisation', () => {
		expect(() => draft(cityOrgId, stranger)).toThrow(forbidden);
		expect(() => draft(cityOrgId, moderatorUser)).toThrow(forbidden);
		expect(() =>
			caseStudies.createDraft(db, null, { organisationId: cityOrgId, input: input() })
		).toThrow(signedOut);
	});

	it('refuses an unknown stakeholder organisation, country or city with field messages', () => {
		const error = ruleErrorOf(() =>
			draft(cityOrgId, owner, {
				stakeholders: [{ name: 'Someone', role: '', organisation: 'no-such-organisation' }],
				countryCode: 'FR',
				cityId: places.nairobi
			})
		);
		expect(error.status).toBe(400);
		expect(Object.keys(error.errors).sort()).toEqual(['cityId', 'stakeholders.0.organisation']);
		expect(ruleErrorOf(() => draft(cityOrgId, owner, { countryCode: 'ZZ' })).errors).toHaveProperty(
			'countryCode'
		);
		expect(db.select().from(table.caseStudy).all()).toHaveLength(0);
	});

	it('links stakeholders that are organisations on the platform', () => {
		const { slug } = draft(cityOrgId, owner, {
			stakeholders: [
				{
					name: 'Mombasa',
					role: 'Partner',
					organisation: organisations.findBySlug(db, 'mombasa-county')!.slug
				}
			]
		});
		const page = caseStudies.getBySlug(db, actor(owner), slug)!;
		expect(page.stakeholders[0]).toMatchObject({ organisationSlug: 'mombasa-county' });
	});
});

describe('workflow', () => {
	it('sends an unverified organisation’s case to a moderator, who rejects then publishes it', () => {
		const { id, slug } = draft();
		expect(caseStudies.submit(db, actor(owner), id)).toBe('submitted');
		expect(() => caseStudies.publish(db, actor(owner), id)).toThrow(forbidden);
		expect(() => caseStudies.publish(db, actor(stranger), id)).toThrow(forbidden);
		expect(() => caseStudies.reject(db, actor(owner), id, 'Please add sources.')).toThrow(
			forbidden
		);

		caseStudies.reject(db, actor(moderatorUser), id, 'Please add the budget and a source.');
		expect(state(id)).toEqual({ state: 'draft', feedback: 'Please add the budget and a source.' });
		expect(caseStudies.listForOrganisation(db, actor(owner), cityOrgId)[0].moderatorFeedback).toBe(
			'Please add the budget and a source.'
		);

		expect(caseStudies.submit(db, actor(owner), id)).toBe('submitted');
		expect(state(id).feedback).toBeNull();
		expect(caseStudies.submittedCases(db, actor(moderatorUser)).map((row) => row.slug)).toEqual([
			slug
		]);
		expect(() => caseStudies.submittedCases(db, actor(owner))).toThrow(forbidden);
		caseStudies.publish(db, actor(moderatorUser), id);
		expect(state(id).state).toBe('published');
		expect(caseStudies.getBySlug(db, null, slug)?.publishedAt).toBeInstanceOf(Date);
		expect(
			audit
				.entriesFor(db, 'case_study', id)
				.map((entry) => entry.action)
				.sort()
		).toEqual(['case_study.publish', 'case_study.reject']);
	});

	it('lets members of a verified organisation publish directly, or after asking for a review', () => {
		verify(cityOrgId);
		const submitted = draft();
		expect(caseStudies.submit(db, actor(owner), submitted.id)).toBe('submitted');
		caseStudies.publish(db, actor(owner), submitted.id);
		expect(state(submitted.id).state).toBe('published');
		const direct = draft();
		caseStudies.publish(db, actor(owner), direct.id);
		expect(state(direct.id).state).toBe('published');
		expect(() => caseStudies.publish(db, actor(partnerUser), draft().id)).toThrow(forbidden);
	});

	it('refuses transitions from the wrong state', () => {
		const { id } = draft();
		expect(
			ruleErrorOf(() => caseStudies.reject(db, actor(moderatorUser), id, 'x'.repeat(20))).status
		).toBe(409);
		expect(ruleErrorOf(() => caseStudies.archive(db, actor(owner), id)).code).toBe('wrong_state');
		expect(ruleErrorOf(() => caseStudies.withdraw(db, actor(owner), id)).code).toBe('wrong_state');
		caseStudies.submit(db, actor(owner), id);
		expect(ruleErrorOf(() => caseStudies.submit(db, actor(owner), id)).code).toBe('wrong_state');
		caseStudies.withdraw(db, actor(owner), id);
		expect(state(id).state).toBe('draft');
		caseStudies.publish(db, actor(moderatorUser), id);
		expect(ruleErrorOf(() => caseStudies.publish(db, actor(moderatorUser), id)).code).toBe(
			'wrong_state'
		);
	});

	it('archives a published case (member or moderator); archived cases are hidden and frozen', () => {
		const { id, slug } = published();
		expect(() => caseStudies.archive(db, actor(stranger), id)).toThrow(forbidden);
		caseStudies.archive(db, actor(owner), id);
		expect(state(id).state).toBe('archived');
		expect(caseStudies.getBySlug(db, null, slug)).toBeNull();
		expect(caseStudies.listPublished(db, {}).items).toHaveLength(0);
		expect(
			ruleErrorOf(() => caseStudies.updateCaseStudy(db, actor(owner), id, input())).status
		).toBe(409);

		const other = published();
		caseStudies.archive(db, actor(moderatorUser), other.id);
		expect(state(other.id).state).toBe('archived');
	});
});

describe('visibility of unpublished cases', () => {
	it('shows drafts and submitted cases only to members and moderators', () => {
		const { id, slug } = draft();
		for (const viewer of [null, actor(stranger), actor(partnerUser)]) {
			expect(caseStudies.getBySlug(db, viewer, slug)).toBeNull();
		}
		expect(caseStudies.getBySlug(db, actor(owner), slug)).not.toBeNull();
		expect(caseStudies.getBySlug(db, actor(moderatorUser), slug)).not.toBeNull();
		caseStudies.submit(db, actor(owner), id);
		expect(caseStudies.getBySlug(db, actor(stranger), slug)).toBeNull();
		expect(caseStudies.listPublished(db, {}).items).toHaveLength(0);
		expect(caseStudies.listForOrganisation(db, null, cityOrgId)).toHaveLength(0);
		expect(caseStudies.listForOrganisation(db, actor(owner), cityOrgId)).toHaveLength(1);

		caseStudies.publish(db, actor(moderatorUser), id);
		expect(caseStudies.getBySlug(db, null, slug)?.permissions.edit).toBe(false);
		expect(caseStudies.listForOrganisation(db, null, cityOrgId)).toHaveLength(1);
		expect(caseStudies.getBySlug(db, null, 'no-such-case')).toBeNull();
	});
});

describe('revisions', () => {
	it('keeps every saved change with its author and compares two revisions', () => {
		const { id, slug } = draft();
		const editor = makeUser(db, 'member', 'editor');
		db.insert(table.membership)
			.values({ organisationId: cityOrgId, userId: editor.id, role: 'editor' })
			.run();
		caseStudies.updateCaseStudy(
			db,
			actor(editor),
			id,
			input({ title: 'Irembo: one gateway for all services', themes: ['O'] })
		);
		caseStudies.updateCaseStudy(
			db,
			actor(owner),
			id,
			input({
				title: 'Irembo: one gateway for all services',
				themes: ['O'],
				lessons: 'First line\nSecond line'
			})
		);

		const history = revisions.listRevisions(db, id);
		expect(history.map((revision) => revision.number)).toEqual([3, 2, 1]);
		expect(history[1].authorName).toMatch(/^editor/);
		expect(history[0].authorName).toMatch(/^owner/);

		const diff = revisions.compareRevisions(db, id, 1, 3);
		expect(diff.changes.map((change) => change.field)).toEqual(['title', 'lessons', 'themes']);
		expect(diff.changes[2].lines).toEqual([
			{ op: 'same', text: 'O' },
			{ op: 'remove', text: 'N' },
			{ op: 'remove', text: 'J' }
		]);
		expect(revisions.getRevision(db, id, 2).snapshot.title).toBe(
			'Irembo: one gateway for all services'
		);
		expect(ruleErrorOf(() => revisions.getRevision(db, id, 9)).status).toBe(404);

		const page = caseStudies.getBySlug(db, actor(owner), slug)!;
		expect(page.title).toBe('Irembo: one gateway for all services');
		expect(page.themes).toEqual(['O']);
		expect(page.html.lessons).toBe('<p>First line\nSecond line</p>\n');
		expect(caseStudies.editorValues(db, id)).toMatchObject({
			revision: 3,
			values: { themes: ['O'] }
		});
	});

	it('refuses a save over a newer revision, and edits by non-members', () => {
		const { id } = draft();
		caseStudies.updateCaseStudy(db, actor(owner), id, input({ lessons: 'Mine' }), {
			baseRevision: 1
		});
		const error = ruleErrorOf(() =>
			caseStudies.updateCaseStudy(db, actor(owner), id, input({ lessons: 'Theirs' }), {
				baseRevision: 1
			})
		);
		expect(error).toMatchObject({ status: 409, code: 'conflict' });
		expect(() => caseStudies.updateCaseStudy(db, actor(stranger), id, input())).toThrow(forbidden);
		expect(() => caseStudies.updateCaseStudy(db, actor(moderatorUser), id, input())).toThrow(
			forbidden
		);
		expect(revisions.listRevisions(db, id)).toHaveLength(2);
	});
});

describe('validations', () => {
	let caseId: string;
	beforeEach(() => {
		caseId = published().id;
		verify(partnerOrgId);
	});
	const review = (organisationId: string, note = 'We checked the figures against our own data.') =>
		caseStudies.validationInput.parse({ organisationId, kind: 'reviewed', note });

	it('lets a member of another verified organisation review the case, once, editable', () => {
		expect(
			validations.recordValidation(db, actor(partnerUser), caseId, review(partnerOrgId)).created
		).toBe(true);
		const again = validations.recordValidation(
			db,
			actor(partnerUser),
			caseId,
			review(partnerOrgId, 'Updated note after a site visit.')
		);
		expect(again.created).toBe(false);
		expect(validations.listValidations(db, caseId)).toEqual([
			expect.objectContaining({
				organisationName: 'Mombasa County',
				kind: 'reviewed',
				note: 'Updated note after a site visit.'
			})
		]);
		expect(validations.validationCounts(db, caseId)).toEqual({ reviewed: 1, replicated: 0 });
		expect(
			db.select().from(table.caseStudy).where(eq(table.caseStudy.id, caseId)).get()!.validationCount
		).toBe(1);
		validations.removeValidation(db, actor(partnerUser), caseId, partnerOrgId);
		expect(validations.validationCounts(db, caseId)).toEqual({ reviewed: 0, replicated: 0 });
	});

	it('refuses self-validation, unverified organisations, non-members and unpublished cases', () => {
		verify(cityOrgId);
		expect(
			ruleErrorOf(() => validations.recordValidation(db, actor(owner), caseId, review(cityOrgId)))
				.code
		).toBe('own_case');
		const unverifiedUser = makeUser(db, 'member', 'unverified');
		const unverifiedOrg = makeOrganisation(unverifiedUser, 'Kisumu Office', 'KE', null);
		expect(
			ruleErrorOf(() =>
				validations.recordValidation(db, actor(unverifiedUser), caseId, review(unverifiedOrg))
			).code
		).toBe('not_verified');
		expect(
			ruleErrorOf(() =>
				validations.recordValidation(db, actor(stranger), caseId, review(partnerOrgId))
			).code
		).toBe('not_member');
		expect(
			ruleErrorOf(() => validations.recordValidation(db, null, caseId, review(partnerOrgId))).status
		).toBe(403);
		const unpublished = draft();
		expect(
			ruleErrorOf(() =>
				validations.recordValidation(db, actor(partnerUser), unpublished.id, review(partnerOrgId))
			).code
		).toBe('not_published');
		expect(
			ruleErrorOf(() =>
				validations.recordValidation(db, actor(partnerUser), caseId, review(partnerOrgId, 'short'))
			).errors
		).toHaveProperty('note');
		expect(validations.listValidations(db, caseId)).toHaveLength(0);
	});

	it('records a replication only with the validating organisation’s own case', () => {
		const own = draft(partnerOrgId, partnerUser, { title: 'Mombasa e-services portal' });
		const someoneElses = draft(cityOrgId, owner, { title: 'Another Nairobi case' });
		const replicated = (replicationSlug: string | null) =>
			caseStudies.validationInput.parse({
				organisationId: partnerOrgId,
				kind: 'replicated',
				note: 'Same approach.',
				replicationSlug
			});
		expect(
			ruleErrorOf(() =>
				validations.recordValidation(db, actor(partnerUser), caseId, replicated(null))
			).errors
		).toHaveProperty('replicationSlug');
		expect(
			ruleErrorOf(() =>
				validations.recordValidation(db, actor(partnerUser), caseId, replicated(someoneElses.slug))
			).errors
		).toHaveProperty('replicationSlug');
		validations.recordValidation(db, actor(partnerUser), caseId, replicated(own.slug));
		// The replication is linked once it is published.
		expect(validations.listValidations(db, caseId)[0].replicationSlug).toBeNull();
		caseStudies.publish(db, actor(moderatorUser), own.id);
		expect(validations.listValidations(db, caseId)[0]).toMatchObject({
			kind: 'replicated',
			replicationSlug: own.slug
		});
		expect(validations.validationCounts(db, caseId)).toEqual({ reviewed: 0, replicated: 1 });
		expect(
			validations.organisationsThatMayValidate(db, actor(partnerUser), caseId).map((o) => o.id)
		).toEqual([partnerOrgId]);
		expect(validations.organisationsThatMayValidate(db, actor(owner), caseId)).toEqual([]);
	});
});

describe('freshness', () => {
	const now = new Date('2026-11-28T10:00:00Z');
	function reviewedAt(id: string, date: string) {
		db.update(table.caseStudy)
			.set({ lastReviewedAt: new Date(date) })
			.where(eq(table.caseStudy.id, id))
			.run();
	}

	it('marks cases not reviewed for 24 months and reminds their owners once a month', () => {
		const stale = published();
		const fresh = published(cityOrgId, owner, { title: 'A recently reviewed case' });
		reviewedAt(stale.id, '2024-11-27T09:00:00Z');
		reviewedAt(fresh.id, '2025-06-01T09:00:00Z');
		expect(freshness.isOutOfDate(new Date('2024-11-27T09:00:00Z'), now)).toBe(true);
		expect(caseStudies.getBySlug(db, null, stale.slug, now)?.outOfDate).toBe(true);
		expect(caseStudies.getBySlug(db, null, fresh.slug, now)?.outOfDate).toBe(false);
		expect(
			caseStudies.listPublished(db, {}, { now }).items.find((item) => item.id === stale.id)
				?.outOfDate
		).toBe(true);
		expect(freshness.outOfDateCases(db, now).map((row) => row.id)).toEqual([stale.id]);

		expect(freshness.sendReviewReminders(db, { origin: 'https://citybridge.test', now })).toBe(1);
		const [mail] = outboxTo(db, owner.email);
		expect(mail.subject).toContain('Irembo');
		expect(mail.body).toContain(`https://citybridge.test/cases/${stale.slug}`);
		expect(mail.body).toContain('2024-11-27');
		expect(freshness.sendReviewReminders(db, { origin: 'https://citybridge.test', now })).toBe(0);
		const later = new Date('2026-12-29T10:00:00Z');
		expect(
			freshness.sendReviewReminders(db, { origin: 'https://citybridge.test', now: later })
		).toBe(1);

		expect(() => freshness.markReviewed(db, actor(stranger), stale.id, now)).toThrow(forbidden);
		freshness.markReviewed(db, actor(owner), stale.id, now);
		expect(caseStudies.getBySlug(db, null, stale.slug, now)?.outOfDate).toBe(false);
		expect(
			freshness.sendReviewReminders(db, { origin: 'https://citybridge.test', now: later })
		).toBe(0);
	});

	it('counts saving a change as a review', () => {
		const { id, slug } = published();
		reviewedAt(id, '2020-01-01T00:00:00Z');
		caseStudies.updateCaseStudy(db, actor(owner), id, input(), { now });
		expect(caseStudies.getBySlug(db, null, slug, now)?.outOfDate).toBe(false);
	});
});

describe('list of published cases', () => {
	it('filters by theme, SDG target, place, income, domain, technology, status and year', () => {
		const a = published(cityOrgId, owner, {
			title: 'Nairobi mobility data',
			themes: ['S'],
			sdgTargets: ['11.2'],
			domains: ['mobility'],
			technologies: ['gis'],
			status: 'pilot',
			startYear: 2012,
			endYear: 2015
		});
		const b = published(cityOrgId, owner, {
			title: 'Paris open data portal',
			themes: ['O'],
			sdgTargets: ['11.3'],
			domains: ['governance'],
			technologies: ['open_data_platform'],
			status: 'scaled',
			startYear: 2016,
			endYear: null,
			countryCode: 'FR',
			cityId: places.paris
		});
		draft(cityOrgId, owner, {
			title: 'Unpublished mobility case',
			themes: ['S'],
			sdgTargets: ['11.2']
		});
		const slugs = (filters: caseStudies.ListFilters) =>
			caseStudies
				.listPublished(db, filters)
				.items.map((item) => item.slug)
				.sort();

		expect(slugs({})).toEqual([a.slug, b.slug].sort());
		expect(slugs({ theme: 'S' })).toEqual([a.slug]);
		expect(slugs({ sdg: '11.3' })).toEqual([b.slug]);
		expect(slugs({ region: '150' })).toEqual([b.slug]);
		expect(slugs({ country: 'KE' })).toEqual([a.slug]);
		expect(slugs({ income: 'H' })).toEqual([b.slug]);
		expect(slugs({ domain: 'mobility' })).toEqual([a.slug]);
		expect(slugs({ technology: 'open_data_platform' })).toEqual([b.slug]);
		expect(slugs({ status: 'pilot' })).toEqual([a.slug]);
		expect(slugs({ year: 2014 })).toEqual([a.slug]);
		expect(slugs({ year: 2020 })).toEqual([b.slug]);
		expect(slugs({ theme: 'S', country: 'FR' })).toEqual([]);
		expect(slugs({ organisation: 'nairobi-city-county' })).toEqual([a.slug, b.slug].sort());
		// A facet with several values means any of them; facets still combine with AND.
		expect(slugs({ theme: ['S', 'O'] })).toEqual([a.slug, b.slug].sort());
		expect(slugs({ country: ['KE', 'FR'], status: ['scaled'] })).toEqual([b.slug]);
		expect(slugs({ year: [2014, 2020] })).toEqual([a.slug, b.slug].sort());
		expect(slugs({ theme: ['S', 'O'], sdg: ['11.3'] })).toEqual([b.slug]);
		expect(slugs({ technology: [] })).toEqual([a.slug, b.slug].sort());
		expect(caseStudies.countPublished(db, { domain: ['mobility', 'governance'] })).toBe(2);
		expect(caseStudies.countPublished(db, { theme: ['S'], country: ['FR'] })).toBe(0);

		const item = caseStudies.listPublished(db, { theme: 'S' }).items[0];
		expect(item).toMatchObject({
			themes: ['S'],
			sdgTargets: ['11.2'],
			countryCode: 'KE',
			cityName: 'Nairobi',
			organisationVerified: false
		});
	});

	it('reads filters from the URL and refuses unknown vocabulary ids', () => {
		const ok = caseStudies.parseListFilters(
			new URLSearchParams('theme=S&sdg=11.2&year=2014&country=ke&sort=validated&technology=')
		);
		expect(ok.data).toEqual({
			theme: ['S'],
			sdg: ['11.2'],
			year: [2014],
			country: ['KE'],
			sort: 'validated'
		});
		const bad = caseStudies.parseListFilters(new URLSearchParams('theme=Q&sdg=11.9&sort=random'));
		expect(bad.success).toBe(false);
		expect(bad.error?.issues.map((issue) => issue.path[0]).sort()).toEqual([
			'sdg',
			'sort',
			'theme'
		]);
	});

	it('pages through newest and most validated with cursors, without gaps or repeats', () => {
		verify(partnerOrgId);
		const created = Array.from({ length: 5 }, (_, n) =>
			published(cityOrgId, owner, { title: `Case number ${n + 1} of five` })
		);
		validations.recordValidation(
			db,
			actor(partnerUser),
			created[1].id,
			caseStudies.validationInput.parse({
				organisationId: partnerOrgId,
				kind: 'reviewed',
				note: 'Checked on a visit to Nairobi.'
			})
		);

		for (const sort of ['newest', 'validated'] as const) {
			const seen: string[] = [];
			let cursor: string | null = null;
			do {
				const page = caseStudies.listPublished(db, { sort }, { cursor, limit: 2 });
				seen.push(...page.items.map((item) => item.id));
				cursor = page.nextCursor;
			} while (cursor);
			expect(seen).toHaveLength(5);
			expect(new Set(seen).size).toBe(5);
			if (sort === 'validated') expect(seen[0]).toBe(created[1].id);
		}
		expect(
			caseStudies.listPublished(db, {}, { cursor: 'not-a-cursor', limit: 2 }).items
		).toHaveLength(2);
	});
});

describe('reports', () => {
	it('lets anyone report a problem, which moderators see and resolve', () => {
		const { id } = published();
		const reportInput = caseStudies.reportInput.parse({
			reason: 'inaccurate',
			message: 'The launch year is 2015, not 2014.',
			email: ''
		});
		const reportId = reports.reportProblem(db, null, id, reportInput);
		reports.reportProblem(db, stranger.id, id, { ...reportInput, reason: 'outdated' });
		expect(() => reports.openReports(db, actor(owner))).toThrow(forbidden);
		expect(() => reports.openReports(db, null)).toThrow(signedOut);
		const open = reports.openReports(db, actor(moderatorUser));
		expect(open.map((report) => report.reason).sort()).toEqual(['inaccurate', 'outdated']);
		expect(open.find((report) => report.reason === 'outdated')?.reporterName).toMatch(/^stranger/);
		reports.resolveReport(db, actor(moderatorUser), reportId);
		expect(reports.openReports(db, actor(moderatorUser))).toHaveLength(1);
		expect(reports.resolvedReports(db, actor(moderatorUser))[0].id).toBe(reportId);
		expect(ruleErrorOf(() => reports.resolveReport(db, actor(moderatorUser), 'nope')).status).toBe(
			404
		);
		expect(ruleErrorOf(() => reports.reportProblem(db, null, 'nope', reportInput)).status).toBe(
			404
		);
	});
});
