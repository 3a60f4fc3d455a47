import { readFileSync } from 'node:fs';
import { eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/lib/server/auth/policy';
import type { Db } from '../../src/lib/server/db';
import * as table from '../../src/lib/server/db/schema';
import * as organisations from '../../src/lib/server/organisations';
import * as caseStudies from '../../src/lib/server/case-studies';
import * as caseApi from '../../src/lib/server/case-studies/api';
import * as moderation from '../../src/lib/server/case-studies/moderation';
import * as reports from '../../src/lib/server/case-studies/reports';
import * as validations from '../../src/lib/server/case-studies/validations';
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

let db: Db;
let owner: TestUser;
let editor: TestUser;
let moderatorUser: TestUser;
let organisationId: string;

const actor = (user: TestUser): Actor => ({ id: user.id, siteRole: user.siteRole });

function makeOrganisation(user: TestUser, name: string, city = places.nairobi) {
	return organisations.createOrganisation(db, user.id, {
		name,
		kind: 'city',
		country: 'KE',
		city,
		website: null,
		description: '',
		languages: []
	}).id;
}

/** A case written by `author` (a member) and submitted for review. */
function submitted(author: TestUser, overrides: Record<string, unknown> = {}) {
	const created = caseStudies.createDraft(db, actor(author), {
		organisationId,
		input: caseStudies.caseStudyInput.parse({
			...demo[0],
			stakeholders: [],
			...overrides
		})
	});
	caseStudies.submit(db, actor(author), created.id);
	return created;
}

beforeEach(() => {
	db = freshDb();
	ensurePlaces(db);
	owner = makeUser(db, 'member', 'owner');
	editor = makeUser(db, 'member', 'editor');
	moderatorUser = makeUser(db, 'moderator', 'moderator');
	organisationId = makeOrganisation(owner, 'Nairobi City County');
	db.insert(table.membership).values({ organisationId, userId: editor.id, role: 'editor' }).run();
});

describe('sending a case back', () => {
	it('emails the feedback once to each owner and to the editor who wrote it', () => {
		const item = submitted(editor);
		moderation.rejectSubmitted(
			db,
			actor(moderatorUser),
			moderation.rejectCaseInput.parse({
				caseStudyId: item.id,
				feedback: 'Add the sources of the results, please.'
			}),
			{ origin: 'https://citybridge.example.org' }
		);
		for (const user of [owner, editor]) {
			const mails = outboxTo(db, user.email);
			expect(mails).toHaveLength(1);
			expect(mails[0].subject).toContain(String(demo[0].title));
			expect(mails[0].body).toContain('Add the sources of the results, please.');
			expect(mails[0].body).toContain(`https://citybridge.example.org/cases/${item.slug}`);
		}
		expect(outboxTo(db, moderatorUser.email)).toHaveLength(0);
	});

	it('writes the email in French for a case written in French', () => {
		const item = submitted(owner, { language: 'fr' });
		caseStudies.reject(db, actor(moderatorUser), item.id, 'Ajoutez les sources, merci.', {
			origin: 'https://citybridge.example.org'
		});
		const [mail] = outboxTo(db, owner.email);
		expect(mail.subject).toContain('doit être modifiée');
	});

	it('refuses short feedback, and members who are not moderators', () => {
		const item = submitted(owner);
		const parsed = moderation.rejectCaseInput.safeParse({ caseStudyId: item.id, feedback: 'no' });
		expect(parsed.success).toBe(false);
		expect(() =>
			moderation.rejectSubmitted(
				db,
				actor(owner),
				{ caseStudyId: item.id, feedback: 'Looks fine to me, honestly.' },
				{ origin: 'https://citybridge.example.org' }
			)
		).toThrow(expect.objectContaining({ status: 403 }));
		expect(outboxTo(db, owner.email)).toHaveLength(0);
	});
});

describe('publishing from the queue', () => {
	it('publishes a submitted case, and refuses one withdrawn to draft meanwhile', () => {
		const item = submitted(owner);
		expect(moderation.publishSubmitted(db, actor(moderatorUser), item.id)).toEqual({
			slug: item.slug
		});
		const withdrawn = submitted(owner, { title: 'A case its owners took back' });
		caseStudies.withdraw(db, actor(owner), withdrawn.id);
		const error = ruleErrorOf(() =>
			moderation.publishSubmitted(db, actor(moderatorUser), withdrawn.id)
		);
		expect(error.status).toBe(409);
		expect(
			ruleErrorOf(() => moderation.publishSubmitted(db, actor(moderatorUser), 'nope')).status
		).toBe(404);
	});
});

describe('resolving reports', () => {
	it('resolves an open report once; an unknown one is not found', () => {
		const item = submitted(owner);
		const reportId = reports.reportProblem(db, null, item.id, {
			reason: 'spam',
			message: 'This looks like an advertisement.',
			email: null
		});
		moderation.resolveOpenReport(db, actor(moderatorUser), reportId);
		expect(
			ruleErrorOf(() => moderation.resolveOpenReport(db, actor(moderatorUser), reportId)).status
		).toBe(409);
		expect(
			ruleErrorOf(() => moderation.resolveOpenReport(db, actor(moderatorUser), 'nope')).status
		).toBe(404);
		expect(() => moderation.resolveOpenReport(db, actor(owner), reportId)).toThrow(
			expect.objectContaining({ status: 403 })
		);
	});
});

describe('API extras', () => {
	it('gives each case of a page its results and validation counts', () => {
		const first = submitted(owner);
		const second = submitted(owner, { title: 'A second case without results', results: [] });
		for (const item of [first, second]) {
			moderation.publishSubmitted(db, actor(moderatorUser), item.id);
		}
		const partner = makeUser(db, 'member', 'partner');
		const partnerOrganisationId = makeOrganisation(partner, 'Mombasa County', places.mombasa);
		db.update(table.organisation)
			.set({ verificationState: 'verified' })
			.where(eq(table.organisation.id, partnerOrganisationId))
			.run();
		validations.recordValidation(
			db,
			actor(partner),
			first.id,
			caseStudies.validationInput.parse({
				organisationId: partnerOrganisationId,
				kind: 'reviewed',
				note: 'We checked the figures with the city.'
			})
		);
		const extras = caseApi.apiExtras(db, [first.id, second.id, 'unknown']);
		expect(extras.get(first.id)!.validations).toEqual({ reviewed: 1, replicated: 0, total: 1 });
		expect(extras.get(first.id)!.results.length).toBe(
			(demo[0].results as unknown[] | undefined)?.length ?? 0
		);
		expect(extras.get(second.id)).toMatchObject({
			results: [],
			validations: { reviewed: 0, replicated: 0, total: 0 }
		});
		expect(extras.get(first.id)!.cityId).toBe(places.nairobi);
		expect(extras.has('unknown')).toBe(false);
		expect(caseApi.apiExtras(db, []).size).toBe(0);
	});
});
