import { m } from '$lib/paraglide/messages';
import type { IntroductionStatus, PartnershipStatus, PartyRole } from '$lib/vocab/matchmaking';

/** Labels for the partnership vocabularies, in the reader's language; unknown codes show as is. */

const partnershipStatusLabels: Record<PartnershipStatus, () => string> = {
	proposed: m.partnerships_status_proposed,
	agreed: m.partnerships_status_agreed,
	active: m.partnerships_status_active,
	completed: m.partnerships_status_completed,
	discontinued: m.partnerships_status_discontinued
};

const introductionStatusLabels: Record<IntroductionStatus, () => string> = {
	pending: m.partnerships_introduction_status_pending,
	accepted: m.partnerships_introduction_status_accepted,
	declined: m.partnerships_introduction_status_declined,
	withdrawn: m.partnerships_introduction_status_withdrawn
};

const partyRoleLabels: Record<PartyRole, () => string> = {
	beneficiary: m.partnerships_role_beneficiary,
	lead: m.partnerships_role_lead,
	implementing: m.partnerships_role_implementing,
	funding: m.partnerships_role_funding,
	advisory: m.partnerships_role_advisory
};

export function partnershipStatusLabel(status: string): string {
	return partnershipStatusLabels[status as PartnershipStatus]?.() ?? status;
}

export function introductionStatusLabel(status: string): string {
	return introductionStatusLabels[status as IntroductionStatus]?.() ?? status;
}

export function partyRoleLabel(role: string): string {
	return partyRoleLabels[role as PartyRole]?.() ?? role;
}
