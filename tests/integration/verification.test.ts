import { eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../src/lib/server/db';
import * as table from '../../src/lib/server/db/schema';
import * as organisations from '../../src/lib/server/organisations';
import * as verification from '../../src/lib/server/verification';
import * as audit from '../../src/lib/server/audit';
import { freshDb } from '../support/db';
import { ensurePlaces, makeUser, outboxTo, type TestUser } from '../support/org-fixtures';

const origin = 'https://citybridge.test';

function errorOf(run: () => unknown): organisations.RuleError {
	try {
		run();
	} catch (error) {
		if (error instanceof organisations.RuleError) return error;
		throw error;
	}
	throw new Error('expected a RuleError');
}

let db: Db;
let owner: TestUser;
let moderator: TestUser;
let orgId: string;

beforeEach(() => {
	db = freshDb();
	ensurePlaces(db);
	owner = makeUser(db, 'member', 'owner');
	moderator = makeUser(db, 'moderator', 'moderator');
	orgId = organisations.createOrganisation(db, owner.id, {
		name: 'Nairobi City County',
		kind: 'city',
		country: 'KE',
		city: 184745,
		website: 'https://www.nairobi.go.ke',
		description: '',
		languages: []
	}).id;
});

function request(values: Partial<verification.RequestInput> = {}) {
	return verification.requestVerification(db, {
		organisationId: orgId,
		requestedBy: owner.id,
		officialEmail: 'ict@nairobi.go.ke',
		evidenceUrl: 'https://nairobi.go.ke/contacts',
		note: 'Our ICT office.',
		...values
	});
}

const state = () =>
	db
		.select({ state: table.organisation.verificationState })
		.from(table.organisation)
		.where(eq(table.organisation.id, orgId))
		.get()!.state;

describe('request input', () => {
	it('needs an email or a link, refuses free mail and non-web links', () => {
		const parse = (values: Record<string, string>) => verification.requestInput.safeParse(values);
		expect(parse({ officialEmail: '', evidenceUrl: '', note: '' }).error?.issues[0].path).toEqual([
			'officialEmail'
		]);
		expect(parse({ officialEmail: 'mayor@gmail.com' }).success).toBe(false);
		expect(parse({ evidenceUrl: 'javascript:alert(1)' }).success).toBe(false);
		expect(parse({ evidenceUrl: 'https://example.org/x', note: 'n'.repeat(1001) }).success).toBe(
			false
		);
		expect(parse({ evidenceUrl: 'https://example.org/x' }).success).toBe(true);
	});

	it('matches the official email against the website domain', () => {
		expect(verification.emailMatchesWebsite('a@nairobi.go.ke', 'https://www.nairobi.go.ke')).toBe(
			true
		);
		expect(verification.emailMatchesWebsite('a@ict.nairobi.go.ke', 'https://nairobi.go.ke')).toBe(
			true
		);
		expect(verification.emailMatchesWebsite('a@evil.example', 'https://nairobi.go.ke')).toBe(false);
		expect(verification.emailMatchesWebsite('a@evil.example', null)).toBeNull();
	});
});

describe('requestVerification', () => {
	it('records a pending request, sets the state and audits it', () => {
		request();
		expect(state()).toBe('pending');
		const [pending] = verification.pendingRequests(db);
		expect(pending).toMatchObject({
			organisationSlug: 'nairobi-city-county',
			officialEmail: 'ict@nairobi.go.ke',
			emailMatchesWebsite: true
		});
		expect(audit.entriesFor(db, 'organisation', orgId).map((e) => e.action)).toContain(
			'verification.requested'
		);
	});

	it('allows one pending request at a time', () => {
		request();
		expect(errorOf(() => request()).code).toBe('already_pending');
		expect(() =>
			db
				.insert(table.verificationRequest)
				.values({ id: 'x', organisationId: orgId, requestedBy: owner.id })
				.run()
		).toThrow(/UNIQUE/);
	});

	it('refuses an official email on another domain', () => {
		const error = errorOf(() => request({ officialEmail: 'someone@other.example' }));
		expect(error.errors.officialEmail).toContain('nairobi.go.ke');
		expect(state()).toBe('unverified');
	});
});

describe('decide', () => {
	it('approves: the organisation is verified, owners are emailed, the audit log says who', () => {
		const { id } = request();
		verification.decide(
			db,
			moderator,
			{ requestId: id, decision: 'approve', reason: '' },
			{ origin }
		);
		expect(state()).toBe('verified');
		const [mail] = outboxTo(db, owner.email);
		expect(mail.subject).toMatch(/verified/);
		expect(mail.body).toContain(`${origin}/organisations/nairobi-city-county`);
		const entry = audit.entriesFor(db, 'organisation', orgId).at(-1)!;
		expect(entry).toMatchObject({ action: 'verification.approved', actorId: moderator.id });
		expect(verification.pendingRequests(db)).toHaveLength(0);
		expect(errorOf(() => request()).code).toBe('already_verified');
	});

	it('rejects only with a reason, which the owners receive', () => {
		const { id } = request();
		const missing = errorOf(() =>
			verification.decide(
				db,
				moderator,
				{ requestId: id, decision: 'reject', reason: '' },
				{ origin }
			)
		);
		expect(missing.errors.reason).toBeTruthy();
		expect(state()).toBe('pending');
		verification.decide(
			db,
			moderator,
			{ requestId: id, decision: 'reject', reason: 'The page does not name the city.' },
			{ origin }
		);
		expect(state()).toBe('rejected');
		expect(outboxTo(db, owner.email)[0].body).toContain('The page does not name the city.');
		expect(verification.latestRequest(db, orgId)).toMatchObject({
			status: 'rejected',
			reason: 'The page does not name the city.'
		});
		request();
		expect(state()).toBe('pending');
	});

	it('refuses a non-moderator, an unknown request and a second decision', () => {
		const { id } = request();
		const member = makeUser(db);
		expect(
			errorOf(() =>
				verification.decide(
					db,
					member,
					{ requestId: id, decision: 'approve', reason: '' },
					{ origin }
				)
			).status
		).toBe(403);
		expect(
			errorOf(() =>
				verification.decide(
					db,
					null,
					{ requestId: id, decision: 'approve', reason: '' },
					{ origin }
				)
			).status
		).toBe(403);
		expect(
			errorOf(() =>
				verification.decide(
					db,
					moderator,
					{ requestId: 'nope', decision: 'approve', reason: '' },
					{ origin }
				)
			).code
		).toBe('not_found');
		verification.decide(
			db,
			moderator,
			{ requestId: id, decision: 'approve', reason: '' },
			{ origin }
		);
		expect(
			errorOf(() =>
				verification.decide(
					db,
					moderator,
					{ requestId: id, decision: 'reject', reason: 'x' },
					{ origin }
				)
			).code
		).toBe('already_decided');
		expect(state()).toBe('verified');
	});

	it('lets an admin decide too, and shows up in the recent audit log', () => {
		const admin = makeUser(db, 'admin');
		const { id } = request();
		verification.decide(
			db,
			admin,
			{ requestId: id, decision: 'approve', reason: 'Checked' },
			{ origin }
		);
		const [latest] = audit.recentEntries(db, 5);
		expect(latest).toMatchObject({
			action: 'verification.approved',
			subjectId: orgId,
			organisationName: 'Nairobi City County'
		});
		expect(latest.actorName).toContain('person');
	});
});
