import { describe, expect, it } from 'vitest';
import { actions, authorize, can, type Action, type Actor, type PolicyContext } from './policy';

type Role = 'anonymous' | 'member' | 'editor' | 'owner' | 'moderator' | 'admin';

const actorFor: Record<Role, { actor: Actor; context: PolicyContext }> = {
	anonymous: { actor: null, context: {} },
	member: { actor: { id: 'm', siteRole: 'member' }, context: { organisationRole: null } },
	editor: { actor: { id: 'e', siteRole: 'member' }, context: { organisationRole: 'editor' } },
	owner: { actor: { id: 'o', siteRole: 'member' }, context: { organisationRole: 'owner' } },
	moderator: { actor: { id: 'd', siteRole: 'moderator' }, context: { organisationRole: null } },
	admin: { actor: { id: 'a', siteRole: 'admin' }, context: { organisationRole: null } }
};

const Y = true;
const N = false;
//                                                  anon member editor owner moderator admin
const expected: Record<Action, [boolean, boolean, boolean, boolean, boolean, boolean]> = {
	'account:manage': /*                        */ [N, Y, Y, Y, Y, Y],
	'organisation:create': /*                   */ [N, Y, Y, Y, Y, Y],
	'organisation:edit': /*                     */ [N, N, Y, Y, N, N],
	'organisation:leave': /*                    */ [N, N, Y, Y, N, N],
	'organisation:manage_members': /*           */ [N, N, N, Y, N, N],
	'organisation:transfer_ownership': /*       */ [N, N, N, Y, N, N],
	'organisation:request_verification': /*     */ [N, N, N, Y, N, N],
	'organisation:accept_invitation': /*        */ [N, Y, Y, Y, Y, Y],
	'verification:decide': /*                   */ [N, N, N, N, Y, Y],
	'moderation:view': /*                       */ [N, N, N, N, Y, Y],
	'audit:view': /*                            */ [N, N, N, N, Y, Y],
	'outbox:view': /*                           */ [N, N, N, N, N, Y],
	'user:set_site_role': /*                    */ [N, N, N, N, N, Y]
};

const roles: Role[] = ['anonymous', 'member', 'editor', 'owner', 'moderator', 'admin'];

describe('policy table', () => {
	it('has an expected row for every action and no stale rows', () => {
		expect(Object.keys(expected).sort()).toEqual([...actions].sort());
	});

	for (const action of actions) {
		roles.forEach((role, column) => {
			const allowed = expected[action]?.[column];
			it(`${role} ${allowed ? 'may' : 'may not'} ${action}`, () => {
				const { actor, context } = actorFor[role];
				expect(can(actor, action, context)).toBe(allowed);
				if (allowed) {
					expect(() => authorize(actor, action, context)).not.toThrow();
				} else {
					expect(() => authorize(actor, action, context)).toThrow(
						expect.objectContaining({ status: actor === null ? 401 : 403 })
					);
				}
			});
		});
	}
});
