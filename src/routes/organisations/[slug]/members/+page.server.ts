import { redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { m } from '$lib/paraglide/messages';
import { localizeHref } from '$lib/paraglide/runtime';
import { can } from '$lib/server/auth/policy';
import { config } from '$lib/server/config';
import { formFailure, parseForm } from '$lib/server/forms';
import * as memberships from '$lib/server/memberships';
import * as organisations from '$lib/server/organisations';
import { organisationFor } from '../access';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

const confirmed = z.literal('yes', { error: () => m.organisations_confirm_required() });
const memberId = z
	.string({ error: () => m.organisations_member_unknown() })
	.min(1)
	.max(64);
const removeInput = z.object({ userId: memberId, confirm: confirmed });
const transferInput = z.object({ userId: memberId, confirm: confirmed });
const leaveInput = z.object({ confirm: confirmed });
const revokeInput = z.object({ invitationId: z.string().min(1).max(64) });

export const load: PageServerLoad = (event) => {
	const { db, user, actor, organisation, role } = organisationFor(event, 'organisation:leave');
	const context = { organisationRole: role };
	const canManage = can(actor, 'organisation:manage_members', context);
	return {
		organisation: { slug: organisation.slug, name: organisation.name },
		userId: user.id,
		role,
		canManage,
		canTransfer: can(actor, 'organisation:transfer_ownership', context),
		members: memberships.listMembers(db, organisation.id),
		invitations: canManage ? memberships.openInvitations(db, organisation.id) : [],
		done: event.url.searchParams.get('done')
	};
};

/** Runs one owner/member action: parse, call the domain, answer with the one failure shape. */
async function act<S extends z.ZodType>(
	event: RequestEvent,
	action: Parameters<typeof organisationFor>[1],
	schema: S,
	run: (context: ReturnType<typeof organisationFor>, data: z.output<S>) => string
) {
	const context = organisationFor(event, action);
	const parsed = parseForm(schema, await event.request.formData());
	if (!parsed.success) return formFailure(400, parsed.echo, parsed.errors);
	let target: string;
	try {
		target = run(context, parsed.data);
	} catch (failure) {
		return organisations.ruleFailure(failure, parsed.echo);
	}
	redirect(303, target);
}

const membersPage = (slug: string, what: string) =>
	localizeHref(`/organisations/${slug}/members?done=${what}`);

export const actions: Actions = {
	invite: (event) =>
		act(event, 'organisation:manage_members', memberships.inviteInput, (c, data) => {
			memberships.inviteMember(c.db, {
				organisationId: c.organisation.id,
				invitedBy: c.user.id,
				email: data.email,
				role: data.role,
				origin: config.origin
			});
			return membersPage(c.organisation.slug, 'invited');
		}),
	revoke: (event) =>
		act(event, 'organisation:manage_members', revokeInput, (c, data) => {
			memberships.revokeInvitation(c.db, c.organisation.id, data.invitationId);
			return membersPage(c.organisation.slug, 'revoked');
		}),
	role: (event) =>
		act(event, 'organisation:manage_members', memberships.roleInput, (c, data) => {
			memberships.changeRole(c.db, c.organisation.id, c.user.id, data.userId, data.role);
			return membersPage(c.organisation.slug, 'role');
		}),
	remove: (event) =>
		act(event, 'organisation:manage_members', removeInput, (c, data) => {
			memberships.removeMember(c.db, c.organisation.id, c.user.id, data.userId);
			return membersPage(c.organisation.slug, 'removed');
		}),
	transfer: (event) =>
		act(event, 'organisation:transfer_ownership', transferInput, (c, data) => {
			memberships.transferOwnership(c.db, c.organisation.id, c.user.id, data.userId);
			return membersPage(c.organisation.slug, 'transferred');
		}),
	leave: (event) =>
		act(event, 'organisation:leave', leaveInput, (c) => {
			memberships.leaveOrganisation(c.db, c.organisation.id, c.user.id);
			return localizeHref(`/organisations/${c.organisation.slug}`);
		})
};
