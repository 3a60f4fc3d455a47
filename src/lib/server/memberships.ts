import { and, asc, count, desc, eq, gt, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import { m } from '$lib/paraglide/messages';
import type { Db } from '$lib/server/db';
import * as table from '$lib/server/db/schema';
import { hashToken, randomId, randomToken } from '$lib/server/ids';
import * as audit from '$lib/server/audit';
import * as email from '$lib/server/email';
import { RuleError, type Executor, type MemberRole } from '$lib/server/organisations';

const DAY = 24 * 60 * 60 * 1000;
export const INVITATION_LIFETIME = 7 * DAY;
export const memberRoles = ['owner', 'editor'] as const satisfies readonly MemberRole[];

export const inviteInput = z.object({
	email: z
		.string({ error: () => m.organisations_invite_email_invalid() })
		.trim()
		.toLowerCase()
		.max(254, { error: () => m.organisations_invite_email_invalid() })
		.pipe(z.email({ error: () => m.organisations_invite_email_invalid() })),
	role: z.enum(memberRoles, { error: () => m.organisations_role_invalid() })
});
export type InviteInput = z.output<typeof inviteInput>;

export const roleInput = z.object({
	userId: z
		.string({ error: () => m.organisations_member_unknown() })
		.min(1)
		.max(64),
	role: z.enum(memberRoles, { error: () => m.organisations_role_invalid() })
});

export function roleLabel(role: MemberRole): string {
	return role === 'owner' ? m.organisations_role_owner() : m.organisations_role_editor();
}

/** Members with their names and emails: only for the members page, never the public profile. */
export function listMembers(db: Db, organisationId: string) {
	return db
		.select({
			userId: table.user.id,
			name: table.user.name,
			email: table.user.email,
			role: table.membership.role,
			since: table.membership.createdAt
		})
		.from(table.membership)
		.innerJoin(table.user, eq(table.membership.userId, table.user.id))
		.where(eq(table.membership.organisationId, organisationId))
		.orderBy(sql`${table.membership.role} = 'editor'`, asc(table.user.name))
		.all();
}

/** Invitations not yet accepted and not expired. */
export function openInvitations(db: Db, organisationId: string, now = new Date()) {
	return db
		.select({
			id: table.invitation.id,
			email: table.invitation.email,
			role: table.invitation.role,
			expiresAt: table.invitation.expiresAt,
			invitedByName: table.user.name
		})
		.from(table.invitation)
		.innerJoin(table.user, eq(table.invitation.invitedBy, table.user.id))
		.where(
			and(
				eq(table.invitation.organisationId, organisationId),
				isNull(table.invitation.acceptedAt),
				gt(table.invitation.expiresAt, now)
			)
		)
		.orderBy(desc(table.invitation.createdAt))
		.all();
}

function ownerCount(db: Executor, organisationId: string): number {
	return (
		db
			.select({ n: count() })
			.from(table.membership)
			.where(
				and(eq(table.membership.organisationId, organisationId), eq(table.membership.role, 'owner'))
			)
			.get()?.n ?? 0
	);
}

function memberRole(db: Executor, organisationId: string, userId: string): MemberRole | null {
	return (
		db
			.select({ role: table.membership.role })
			.from(table.membership)
			.where(
				and(
					eq(table.membership.organisationId, organisationId),
					eq(table.membership.userId, userId)
				)
			)
			.get()?.role ?? null
	);
}

function organisationName(db: Executor, organisationId: string) {
	const row = db
		.select({ name: table.organisation.name, slug: table.organisation.slug })
		.from(table.organisation)
		.where(eq(table.organisation.id, organisationId))
		.get();
	if (!row) throw new RuleError('not_found', m.organisations_not_found(), 404);
	return row;
}

const lastOwner = () =>
	new RuleError('last_owner', m.organisations_last_owner(), 409, {
		form: m.organisations_last_owner()
	});

/**
 * Invites someone by email. Only the token's hash is stored; the link is emailed. A newer
 * invitation to the same address replaces the older one, so only one link works.
 */
export function inviteMember(
	db: Db,
	params: {
		organisationId: string;
		invitedBy: string;
		email: string;
		role: MemberRole;
		origin: string;
		now?: Date;
	}
): { token: string; invitationId: string } {
	const now = params.now ?? new Date();
	const address = params.email.trim().toLowerCase();
	return db.transaction((tx) => {
		const org = organisationName(tx, params.organisationId);
		const existingMember = tx
			.select({ id: table.user.id })
			.from(table.membership)
			.innerJoin(table.user, eq(table.membership.userId, table.user.id))
			.where(
				and(
					eq(table.membership.organisationId, params.organisationId),
					eq(table.user.email, address)
				)
			)
			.get();
		if (existingMember) {
			throw new RuleError('already_member', m.organisations_invite_already_member(), 409, {
				email: m.organisations_invite_already_member()
			});
		}
		tx.delete(table.invitation)
			.where(
				and(
					eq(table.invitation.organisationId, params.organisationId),
					eq(table.invitation.email, address),
					isNull(table.invitation.acceptedAt)
				)
			)
			.run();
		const token = randomToken();
		const invitationId = randomId();
		const expiresAt = new Date(now.getTime() + INVITATION_LIFETIME);
		tx.insert(table.invitation)
			.values({
				id: invitationId,
				tokenHash: hashToken(token),
				organisationId: params.organisationId,
				email: address,
				role: params.role,
				invitedBy: params.invitedBy,
				expiresAt,
				createdAt: now
			})
			.run();
		const inviter = tx
			.select({ name: table.user.name })
			.from(table.user)
			.where(eq(table.user.id, params.invitedBy))
			.get();
		const link = new URL(`/invitations/${token}`, params.origin).toString();
		// better-sqlite3 runs everything on one connection, so this insert is part of the transaction.
		email.queueEmail(db, {
			to: address,
			subject: m.organisations_invite_email_subject({ organisation: org.name }),
			body: m.organisations_invite_email_body({
				inviter: inviter?.name ?? '',
				organisation: org.name,
				role: roleLabel(params.role),
				link,
				expires: expiresAt.toISOString().slice(0, 10)
			})
		});
		audit.record(tx, {
			actorId: params.invitedBy,
			action: 'membership.invited',
			subjectType: 'organisation',
			subjectId: params.organisationId,
			detail: { email: address, role: params.role }
		});
		return { token, invitationId };
	});
}

export function revokeInvitation(db: Db, organisationId: string, invitationId: string): void {
	const result = db
		.delete(table.invitation)
		.where(
			and(
				eq(table.invitation.id, invitationId),
				eq(table.invitation.organisationId, organisationId),
				isNull(table.invitation.acceptedAt)
			)
		)
		.run();
	if (result.changes === 0) {
		throw new RuleError('invitation_not_found', m.organisations_invitation_not_found(), 404);
	}
}

/** What the invitation page shows before the user accepts. */
export function invitationByToken(db: Db, token: string) {
	return (
		db
			.select({
				id: table.invitation.id,
				email: table.invitation.email,
				role: table.invitation.role,
				expiresAt: table.invitation.expiresAt,
				acceptedAt: table.invitation.acceptedAt,
				organisationName: table.organisation.name,
				organisationSlug: table.organisation.slug
			})
			.from(table.invitation)
			.innerJoin(table.organisation, eq(table.invitation.organisationId, table.organisation.id))
			.where(eq(table.invitation.tokenHash, hashToken(token)))
			.get() ?? null
	);
}

/**
 * Accepts an invitation for the signed-in user. The account's email must be the invited address:
 * an invitation can grant ownership, so a forwarded or leaked link must not work for anyone else.
 */
export function acceptInvitation(
	db: Db,
	token: string,
	user: { id: string; email: string },
	now = new Date()
): { slug: string; role: MemberRole } {
	return db.transaction((tx) => {
		const invitation = tx
			.select({
				id: table.invitation.id,
				organisationId: table.invitation.organisationId,
				email: table.invitation.email,
				role: table.invitation.role,
				expiresAt: table.invitation.expiresAt,
				acceptedAt: table.invitation.acceptedAt
			})
			.from(table.invitation)
			.where(eq(table.invitation.tokenHash, hashToken(token)))
			.get();
		if (!invitation) {
			throw new RuleError('invitation_not_found', m.organisations_invitation_not_found(), 404);
		}
		if (invitation.acceptedAt) {
			throw new RuleError('invitation_used', m.organisations_invitation_used(), 410);
		}
		if (invitation.expiresAt.getTime() <= now.getTime()) {
			throw new RuleError('invitation_expired', m.organisations_invitation_expired(), 410);
		}
		if (invitation.email !== user.email.trim().toLowerCase()) {
			throw new RuleError(
				'invitation_other_email',
				m.organisations_invitation_other_email({ email: invitation.email }),
				403
			);
		}
		const current = memberRole(tx, invitation.organisationId, user.id);
		let role: MemberRole = invitation.role;
		if (current === null) {
			tx.insert(table.membership)
				.values({ organisationId: invitation.organisationId, userId: user.id, role })
				.run();
		} else if (current === 'editor' && invitation.role === 'owner') {
			tx.update(table.membership)
				.set({ role: 'owner' })
				.where(
					and(
						eq(table.membership.organisationId, invitation.organisationId),
						eq(table.membership.userId, user.id)
					)
				)
				.run();
		} else {
			role = current;
		}
		tx.update(table.invitation)
			.set({ acceptedAt: now })
			.where(eq(table.invitation.id, invitation.id))
			.run();
		audit.record(tx, {
			actorId: user.id,
			action: 'membership.joined',
			subjectType: 'organisation',
			subjectId: invitation.organisationId,
			detail: { role }
		});
		return { slug: organisationName(tx, invitation.organisationId).slug, role };
	});
}

function setRole(db: Executor, organisationId: string, userId: string, role: MemberRole) {
	db.update(table.membership)
		.set({ role })
		.where(
			and(eq(table.membership.organisationId, organisationId), eq(table.membership.userId, userId))
		)
		.run();
}

function deleteMembership(db: Executor, organisationId: string, userId: string) {
	db.delete(table.membership)
		.where(
			and(eq(table.membership.organisationId, organisationId), eq(table.membership.userId, userId))
		)
		.run();
}

/** The member leaves; the last owner cannot (they must transfer ownership first). */
export function leaveOrganisation(db: Db, organisationId: string, userId: string): void {
	db.transaction((tx) => {
		const role = memberRole(tx, organisationId, userId);
		if (!role) throw new RuleError('not_member', m.organisations_not_member(), 404);
		if (role === 'owner' && ownerCount(tx, organisationId) <= 1) throw lastOwner();
		deleteMembership(tx, organisationId, userId);
		audit.record(tx, {
			actorId: userId,
			action: 'membership.left',
			subjectType: 'organisation',
			subjectId: organisationId,
			detail: { role }
		});
	});
}

/** An owner removes a member; removing the last owner is refused. */
export function removeMember(
	db: Db,
	organisationId: string,
	actorId: string,
	targetUserId: string
): void {
	db.transaction((tx) => {
		const role = memberRole(tx, organisationId, targetUserId);
		if (!role) throw new RuleError('not_member', m.organisations_member_unknown(), 404);
		if (role === 'owner' && ownerCount(tx, organisationId) <= 1) throw lastOwner();
		deleteMembership(tx, organisationId, targetUserId);
		audit.record(tx, {
			actorId,
			action: 'membership.removed',
			subjectType: 'organisation',
			subjectId: organisationId,
			detail: { userId: targetUserId, role }
		});
	});
}

/** An owner changes a member's role; demoting the last owner is refused. */
export function changeRole(
	db: Db,
	organisationId: string,
	actorId: string,
	targetUserId: string,
	role: MemberRole
): void {
	db.transaction((tx) => {
		const current = memberRole(tx, organisationId, targetUserId);
		if (!current) throw new RuleError('not_member', m.organisations_member_unknown(), 404);
		if (current === role) return;
		if (current === 'owner' && ownerCount(tx, organisationId) <= 1) throw lastOwner();
		setRole(tx, organisationId, targetUserId, role);
		audit.record(tx, {
			actorId,
			action: 'membership.role_changed',
			subjectType: 'organisation',
			subjectId: organisationId,
			detail: { userId: targetUserId, from: current, to: role }
		});
	});
}

/** Hands ownership to another member; the previous owner stays on as an editor. */
export function transferOwnership(
	db: Db,
	organisationId: string,
	fromUserId: string,
	toUserId: string
): void {
	db.transaction((tx) => {
		if (memberRole(tx, organisationId, fromUserId) !== 'owner') {
			throw new RuleError('not_owner', m.organisations_not_owner(), 403);
		}
		if (fromUserId === toUserId) {
			throw new RuleError('same_member', m.organisations_transfer_to_self(), 400, {
				userId: m.organisations_transfer_to_self()
			});
		}
		if (!memberRole(tx, organisationId, toUserId)) {
			throw new RuleError('not_member', m.organisations_member_unknown(), 404, {
				userId: m.organisations_member_unknown()
			});
		}
		setRole(tx, organisationId, toUserId, 'owner');
		setRole(tx, organisationId, fromUserId, 'editor');
		audit.record(tx, {
			actorId: fromUserId,
			action: 'membership.ownership_transferred',
			subjectType: 'organisation',
			subjectId: organisationId,
			detail: { from: fromUserId, to: toUserId }
		});
	});
}

/** Organisations the user belongs to, for their account page. */
export function organisationsOf(db: Db, userId: string) {
	return db
		.select({
			slug: table.organisation.slug,
			name: table.organisation.name,
			role: table.membership.role
		})
		.from(table.membership)
		.innerJoin(table.organisation, eq(table.membership.organisationId, table.organisation.id))
		.where(eq(table.membership.userId, userId))
		.orderBy(asc(table.organisation.name))
		.all();
}
