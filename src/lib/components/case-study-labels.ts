import { getLocale } from '$lib/i18n';
import { m } from '$lib/paraglide/messages';

/** Labels shared by the case-study lists (safe for the browser: no server imports). */

export const caseStudyStatuses = ['planned', 'pilot', 'implemented', 'scaled'] as const;
export type CaseStudyStatus = (typeof caseStudyStatuses)[number];
export type WorkflowState = 'draft' | 'submitted' | 'published' | 'archived';

const statusLabels: Record<CaseStudyStatus, () => string> = {
	planned: m.cases_status_planned,
	pilot: m.cases_status_pilot,
	implemented: m.cases_status_implemented,
	scaled: m.cases_status_scaled
};

const workflowStateLabels: Record<WorkflowState, () => string> = {
	draft: m.caselist_state_draft,
	submitted: m.caselist_state_submitted,
	published: m.caselist_state_published,
	archived: m.caselist_state_archived
};

/** "Implemented"; an unknown value is shown as it is. */
export function statusLabel(status: string): string {
	return Object.hasOwn(statusLabels, status) ? statusLabels[status as CaseStudyStatus]() : status;
}

/** "Draft", "Waiting for review", … for a member's view of their organisation's cases. */
export function workflowStateLabel(state: WorkflowState): string {
	return workflowStateLabels[state]();
}

/** "2019 – 2022", or "2019 – ongoing" when there is no end year. */
export function periodLabel(startYear: number, endYear: number | null | undefined): string {
	return endYear === null || endYear === undefined
		? m.caselist_period_ongoing({ start: String(startYear) })
		: m.caselist_period({ start: String(startYear), end: String(endYear) });
}

/** Picks the singular or plural message by the language's plural rules (French: 0 and 1 are singular). */
export function plural(count: number, one: () => string, other: () => string): string {
	return new Intl.PluralRules(getLocale()).select(count) === 'one' ? one() : other();
}
