import { m } from '$lib/paraglide/messages';

export type ListingKind = 'need' | 'offer';

/** What each form field is called, in the form, its error summary and the detail page. */
export function fieldLabels(kind: ListingKind): Record<string, string> {
	return {
		organisationId: m.needspages_field_organisation(),
		title: m.needspages_field_title(),
		challenge: m.needspages_field_challenge(),
		triedSoFar: m.needspages_field_tried_so_far(),
		description: m.needspages_field_description(),
		format: m.needspages_field_format(),
		themes: m.needspages_field_themes(),
		sdgTargets: m.needspages_field_sdg_targets(),
		cooperationTypes:
			kind === 'need' ? m.needspages_field_cooperation_sought() : m.needspages_field_cooperation(),
		languages: m.needspages_field_languages(),
		timeframe: m.needspages_field_timeframe(),
		budgetAmount: m.needspages_field_budget_amount(),
		budgetCurrency: m.needspages_field_budget_currency(),
		visibility: m.needspages_field_visibility(),
		expiresOn: m.needspages_field_expires_on(),
		isGlobal: m.needspages_field_is_global(),
		regions: m.needspages_field_regions(),
		countries: m.needspages_field_countries(),
		capacity: m.needspages_field_capacity(),
		eligibleIncomeGroups: m.needspages_field_income_groups(),
		onlyLeastDeveloped: m.needspages_field_only_ldc(),
		deadline: m.needspages_field_deadline(),
		status: m.needspages_field_status()
	};
}
