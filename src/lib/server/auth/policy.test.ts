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
	'user:set_site_role': /*                    */ [N, N, N, N, N, Y],
	'case_study:create': /*                     */ [N, N, Y, Y, N, N],
	'case_study:edit': /*                       */ [N, N, Y, Y, N, N],
	'case_study:submit': /*                     */ [N, N, Y, Y, N, N],
	'case_study:publish': /*                    */ [N, N, N, N, Y, Y],
	'case_study:archive': /*                    */ [N, N, Y, Y, Y, Y],
	'case_study:view_unpublished': /*           */ [N, N, Y, Y, Y, Y],
	'case_study:validate': /*                   */ [N, N, N, N, N, N],
	'case_study:moderate': /*                   */ [N, N, N, N, Y, Y],
	'search:view_restricted': /*                */ [N, N, N, N, Y, Y],
	'need:create': /*                           */ [N, N, Y, Y, N, N],
	'need:edit': /*                             */ [N, N, Y, Y, N, N],
	'offer:create': /*                          */ [N, N, Y, Y, N, N],
	'offer:edit': /*                            */ [N, N, Y, Y, N, N],
	'introduction:request': /*                  */ [N, N, Y, Y, N, N],
	'introduction:respond': /*                  */ [N, N, Y, Y, N, N],
	'partnership:edit': /*                      */ [N, N, Y, Y, N, N],
	'partnership:view_private': /*              */ [N, N, Y, Y, Y, Y],
	'portfolio:view': /*                        */ [N, N, Y, Y, Y, Y],
	'api_token:manage': /*                      */ [N, N, N, Y, N, N]
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

describe('policy for members of a verified organisation', () => {
	const verified = (role: 'owner' | 'editor' | null): PolicyContext => ({
		organisationRole: role,
		organisationVerified: true
	});
	const member: Actor = { id: 'e', siteRole: 'member' };

	it('lets its members publish and validate case studies', () => {
		for (const role of ['owner', 'editor'] as const) {
			expect(can(member, 'case_study:publish', verified(role))).toBe(true);
			expect(can(member, 'case_study:validate', verified(role))).toBe(true);
			expect(can(member, 'search:view_restricted', verified(role))).toBe(true);
		}
	});

	it('gives nothing to people outside it, nor to anonymous visitors', () => {
		expect(can(member, 'case_study:publish', verified(null))).toBe(false);
		expect(can(member, 'case_study:validate', verified(null))).toBe(false);
		expect(can(null, 'case_study:publish', verified('owner'))).toBe(false);
		expect(can(member, 'case_study:moderate', verified('owner'))).toBe(false);
	});
});
