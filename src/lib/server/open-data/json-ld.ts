/** The schema.org JSON-LD of organisation and partnership pages, from what anyone may see. */
import { organisationJsonLd, partnershipJsonLd } from '$lib/components/json-ld';
import { partnershipStatusLabel, partyRoleLabel } from '$lib/components/partnerships/labels';
import { m } from '$lib/paraglide/messages';
import type { Db } from '$lib/server/db';
import type * as organisations from '$lib/server/organisations';
import * as partnerships from '$lib/server/partnerships';
import { cooperationTypeLabel, sdgTargetLabel, themeLabel } from '$lib/vocab/labels';
import type { SdgTargetId } from '$lib/vocab/sdg';
import type { ThemeId } from '$lib/vocab/themes';
import type { CooperationType } from '$lib/vocab/vocabularies';

type Profile = NonNullable<ReturnType<typeof organisations.profile>>;

/** Everything on an organisation's profile is public. */
export function organisationPageJsonLd(profile: Profile, origin: string) {
	return organisationJsonLd({
		origin,
		slug: profile.slug,
		name: profile.name,
		kind: profile.kind,
		description: profile.description,
		website: profile.website,
		languages: profile.languages,
		countryCode: profile.country.code,
		city: profile.city
	});
}

type ResultRow = partnerships.PublicPartnership['results'][number];

const resultText = (row: ResultRow) =>
	`${row.indicator}: ${row.baseline ? `${row.baseline} → ` : ''}${row.result}${row.unit ? ` ${row.unit}` : ''}${row.year ? ` (${row.year})` : ''}`;

/**
 * A partnership's JSON-LD, or null when it is not public: built from its public record only,
 * so a member viewing it sees no more in the JSON-LD than anyone else would.
 */
export function partnershipPageJsonLd(db: Db, id: string, origin: string) {
	const record = partnerships.publicPartnership(db, id);
	if (!record) return null;
	const changedTo = (...statuses: string[]) =>
		record.statusHistory.find((change) => change.to !== null && statuses.includes(change.to))?.at ??
		null;
	return partnershipJsonLd({
		origin,
		id: record.id,
		title: record.title,
		description: record.description,
		statusText: m.opendata_jsonld_status({ status: partnershipStatusLabel(record.status) }),
		resultsText: record.results.length
			? m.opendata_jsonld_results({ results: record.results.map(resultText).join('; ') })
			: '',
		startDate: changedTo('agreed', 'active'),
		endDate: changedTo('completed', 'discontinued'),
		parties: record.parties.map((party) => ({
			slug: party.organisation,
			name: party.name,
			role: party.role,
			roleLabel: partyRoleLabel(party.role)
		})),
		themes: record.themes.map((id) => ({ id, label: themeLabel(id as ThemeId) })),
		sdgTargets: record.sdgTargets.map((id) => ({
			id,
			label: sdgTargetLabel(id as SdgTargetId)
		})),
		cooperationTypes: record.cooperationTypes.map((id) =>
			cooperationTypeLabel(id as CooperationType)
		)
	});
}
