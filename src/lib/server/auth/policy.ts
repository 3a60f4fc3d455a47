import { error } from '@sveltejs/kit';

/**
 * The one place that decides who may do what. Loads, actions and endpoints call `can` or
 * `authorize`; domain rules that depend on data (an organisation's last owner) stay in the
 * domain modules.
 */
export type SiteRole = 'member' | 'moderator' | 'admin';
export type OrganisationRole = 'owner' | 'editor';

/** Who is asking: null when signed out. */
export type Actor = { id: string; siteRole: SiteRole } | null;

/**
 * What the request concerns: the actor's role in the organisation at hand, if any, and whether
 * that organisation is verified (verified organisations publish and validate case studies).
 */
export type PolicyContext = {
	organisationRole?: OrganisationRole | null;
	organisationVerified?: boolean;
};

type Rule = (actor: NonNullable<Actor>, context: PolicyContext) => boolean;

const signedIn: Rule = () => true;
const isMember: Rule = (_, c) => c.organisationRole === 'owner' || c.organisationRole === 'editor';
const isOwner: Rule = (_, c) => c.organisationRole === 'owner';
const isModerator: Rule = (a) => a.siteRole === 'moderator' || a.siteRole === 'admin';
const isAdmin: Rule = (a) => a.siteRole === 'admin';
const isVerifiedMember: Rule = (a, c) => isMember(a, c) && c.organisationVerified === true;
const either =
	(...alternatives: Rule[]): Rule =>
	(a, c) =>
		alternatives.some((rule) => rule(a, c));

const rules = {
	'account:manage': signedIn,
	'organisation:create': signedIn,
	'organisation:edit': isMember,
	'organisation:leave': isMember,
	'organisation:manage_members': isOwner,
	'organisation:transfer_ownership': isOwner,
	'organisation:request_verification': isOwner,
	'organisation:accept_invitation': signedIn,
	'verification:decide': isModerator,
	'moderation:view': isModerator,
	'audit:view': isModerator,
	'outbox:view': isAdmin,
	'user:set_site_role': isAdmin,
	'case_study:create': isMember,
	'case_study:edit': isMember,
	'case_study:submit': isMember,
	'case_study:publish': either(isModerator, isVerifiedMember),
	'case_study:archive': either(isModerator, isMember),
	'case_study:view_unpublished': either(isModerator, isMember),
	'case_study:validate': isVerifiedMember,
	'case_study:moderate': isModerator,
	/** Needs and offers restricted to verified organisations, in search as on their pages. */
	'search:view_restricted': either(isModerator, isVerifiedMember),
	/** Needs are posted by city organisations only; the need module checks the kind. */
	'need:create': isMember,
	'need:edit': isMember,
	'offer:create': isMember,
	'offer:edit': isMember,
	/** Context: the actor's role in the organisation asking for (or answering) the introduction. */
	'introduction:request': isMember,
	'introduction:respond': isMember,
	/** Context: the actor's role in a party organisation of the partnership. */
	'partnership:edit': isMember,
	'partnership:view_private': either(isModerator, isMember),
	/** An organisation's portfolio (its partnerships, needs and offers with their matches). */
	'portfolio:view': either(isModerator, isMember),
	/** Issue and revoke the organisation's API tokens. */
	'api_token:manage': isOwner
} satisfies Record<string, Rule>;

export type Action = keyof typeof rules;
export const actions = Object.keys(rules) as Action[];

export function can(actor: Actor, action: Action, context: PolicyContext = {}): boolean {
	return actor !== null && rules[action](actor, context);
}

/** Throws 401 for a signed-out visitor and 403 for a signed-in one who may not act. */
export function authorize(
	actor: Actor,
	action: Action,
	context: PolicyContext = {}
): asserts actor is NonNullable<Actor> {
	if (actor === null) error(401, 'Please sign in to continue.');
	if (!can(actor, action, context)) error(403, 'You do not have permission to do this.');
}
