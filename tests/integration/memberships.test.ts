import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../src/lib/server/db';
import * as table from '../../src/lib/server/db/schema';
import * as organisations from '../../src/lib/server/organisations';
import * as memberships from '../../src/lib/server/memberships';
import * as audit from '../../src/lib/server/audit';
import { freshDb } from '../support/db';
import { ensurePlaces, makeUser, outboxTo, type TestUser } from '../support/org-fixtures';

const origin = 'https://citybridge.test';

function codeOf(run: () => unknown): string {
	try {
		run();
	} catch (error) {
		if (error instanceof organisations.RuleError) return error.code;
		throw error;
	}
	return 'no error';
}

let db: Db;
let owner: TestUser;
let orgId: string;

beforeEach(() => {
	db = freshDb();
	ensurePlaces(db);
	owner = makeUser(db, 'member', 'owner');
	orgId = organisations.createOrganisation(db, owner.id, {
		name: 'Green Streets',
		kind: 'ngo',
		country: 'KE',
		city: null,
		website: null,
		description: '',
		languages: []
	}).id;
});

function invite(email: string, role: 'owner' | 'editor' = 'editor', now?: Date) {
	return memberships.inviteMember(db, {
		organisationId: orgId,
		invitedBy: owner.id,
		email,
		role,
		origin,
		now
	});
}

function join(user: TestUser, role: 'owner' | 'editor' = 'editor') {
	const { token } = invite(user.email, role);
	memberships.acceptInvitation(db, token, user);
}

describe('invitations', () => {
	it('stores only the token hash, expires in 7 days and emails the accept link', () => {
		const now = new Date('2026-01-01T00:00:00Z');
		const invitee = 'Invitee@Example.org';
		const { token } = invite(invitee, 'editor', now);
		const [row] = db.select().from(table.invitation).all();
		expect(row.tokenHash).not.toContain(token);
		expect(row.email).toBe('invitee@example.org');
		expect(row.expiresAt.getTime() - now.getTime()).toBe(7 * 24 * 60 * 60 * 1000);
		const [mail] = outboxTo(db, 'invitee@example.org');
		expect(mail.body).toContain(`${origin}/invitations/${token}`);
		expect(mail.subject).toContain('Green Streets');
	});

	it('lets the invited account join with the invited role, once', () => {
		const editor = makeUser(db);
		const { token } = invite(editor.email);
		expect(memberships.invitationByToken(db, token)?.organisationName).toBe('Green Streets');
		expect(memberships.acceptInvitation(db, token, editor)).toEqual({
			slug: 'green-streets',
			role: 'editor'
		});
		expect(organisations.roleOf(db, orgId, editor.id)).toBe('editor');
		expect(codeOf(() => memberships.acceptInvitation(db, token, editor))).toBe('invitation_used');
		expect(audit.entriesFor(db, 'organisation', orgId).map((e) => e.action)).toContain(
			'membership.joined'
		);
	});

	it('refuses an expired invitation, an unknown token and another account', () => {
		const invitee = makeUser(db);
		const past = new Date(Date.now() - 8 * 24 * 60 * 60 * 1000);
		const expired = invite(invitee.email, 'editor', past);
		expect(codeOf(() => memberships.acceptInvitation(db, expired.token, invitee))).toBe(
			'invitation_expired'
		);
		expect(codeOf(() => memberships.acceptInvitation(db, 'nonsense', invitee))).toBe(
			'invitation_not_found'
		);
		const fresh = invite(invitee.email);
		const stranger = makeUser(db);
		expect(codeOf(() => memberships.acceptInvitation(db, fresh.token, stranger))).toBe(
			'invitation_other_email'
		);
		expect(organisations.roleOf(db, orgId, stranger.id)).toBeNull();
	});

	it('replaces an older invitation to the same address and refuses existing members', () => {
		const invitee = makeUser(db);
		const first = invite(invitee.email);
		const second = invite(invitee.email, 'owner');
		expect(codeOf(() => memberships.acceptInvitation(db, first.token, invitee))).toBe(
			'invitation_not_found'
		);
		memberships.acceptInvitation(db, second.token, invitee);
		expect(organisations.roleOf(db, orgId, invitee.id)).toBe('owner');
		expect(codeOf(() => invite(invitee.email))).toBe('already_member');
		expect(memberships.openInvitations(db, orgId)).toHaveLength(0);
	});

	it('lets an owner revoke an open invitation', () => {
		const { invitationId } = invite('someone@example.org');
		memberships.revokeInvitation(db, orgId, invitationId);
		expect(memberships.openInvitations(db, orgId)).toHaveLength(0);
		expect(codeOf(() => memberships.revokeInvitation(db, orgId, invitationId))).toBe(
			'invitation_not_found'
		);
	});

	it('validates the invite form', () => {
		expect(
			memberships.inviteInput.safeParse({ email: 'not-an-email', role: 'editor' }).success
		).toBe(false);
		expect(memberships.inviteInput.safeParse({ email: 'a@b.org', role: 'admin' }).success).toBe(
			false
		);
	});
});

describe('the last owner', () => {
	it('cannot leave, be removed or be demoted', () => {
		const editor = makeUser(db);
		join(editor);
		expect(codeOf(() => memberships.leaveOrganisation(db, orgId, owner.id))).toBe('last_owner');
		expect(codeOf(() => memberships.removeMember(db, orgId, owner.id, owner.id))).toBe(
			'last_owner'
		);
		expect(codeOf(() => memberships.changeRole(db, orgId, owner.id, owner.id, 'editor'))).toBe(
			'last_owner'
		);
		expect(organisations.roleOf(db, orgId, owner.id)).toBe('owner');
	});

	it('can leave once another owner exists', () => {
		const second = makeUser(db);
		join(second, 'owner');
		memberships.leaveOrganisation(db, orgId, owner.id);
		expect(organisations.roleOf(db, orgId, owner.id)).toBeNull();
		expect(codeOf(() => memberships.leaveOrganisation(db, orgId, second.id))).toBe('last_owner');
	});
});

describe('members', () => {
	it('lets editors leave and owners remove members or change roles', () => {
		const a = makeUser(db);
		const b = makeUser(db);
		join(a);
		join(b);
		expect(memberships.listMembers(db, orgId).map((r) => r.role)).toEqual([
			'owner',
			'editor',
			'editor'
		]);
		memberships.leaveOrganisation(db, orgId, a.id);
		memberships.changeRole(db, orgId, owner.id, b.id, 'owner');
		expect(organisations.roleOf(db, orgId, b.id)).toBe('owner');
		memberships.removeMember(db, orgId, owner.id, b.id);
		expect(organisations.roleOf(db, orgId, b.id)).toBeNull();
		expect(codeOf(() => memberships.removeMember(db, orgId, owner.id, b.id))).toBe('not_member');
		expect(codeOf(() => memberships.leaveOrganisation(db, orgId, a.id))).toBe('not_member');
		const actions = audit.entriesFor(db, 'organisation', orgId).map((e) => e.action);
		expect(actions).toEqual(
			expect.arrayContaining(['membership.left', 'membership.role_changed', 'membership.removed'])
		);
	});

	it('transfers ownership to a member, keeping the previous owner as editor', () => {
		const heir = makeUser(db);
		join(heir);
		memberships.transferOwnership(db, orgId, owner.id, heir.id);
		expect(organisations.roleOf(db, orgId, heir.id)).toBe('owner');
		expect(organisations.roleOf(db, orgId, owner.id)).toBe('editor');
	});

	it('refuses a transfer to a non-member, to oneself or by a non-owner', () => {
		const stranger = makeUser(db);
		const editor = makeUser(db);
		join(editor);
		expect(codeOf(() => memberships.transferOwnership(db, orgId, owner.id, stranger.id))).toBe(
			'not_member'
		);
		expect(codeOf(() => memberships.transferOwnership(db, orgId, owner.id, owner.id))).toBe(
			'same_member'
		);
		expect(codeOf(() => memberships.transferOwnership(db, orgId, editor.id, editor.id))).toBe(
			'not_owner'
		);
		expect(organisations.roleOf(db, orgId, owner.id)).toBe('owner');
	});

	it('lists the organisations of a user', () => {
		expect(memberships.organisationsOf(db, owner.id)).toEqual([
			{ slug: 'green-streets', name: 'Green Streets', role: 'owner' }
		]);
	});
});
