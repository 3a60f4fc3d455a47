import { and, eq, inArray, or } from 'drizzle-orm';
import { m } from '$lib/paraglide/messages';
import * as table from '$lib/server/db/schema';
import type { FieldErrors } from '$lib/server/forms';
import { RuleError, type Executor } from '$lib/server/organisations';
import type { CaseStudyInput } from './schema';

/** The input with its place resolved: what a revision snapshot holds. */
export type CaseStudySnapshot = CaseStudyInput & { countryCode: string; cityId: number | null };

/** The columns of a result row that the case page and the API show, in table order. */
export const resultColumns = {
	indicator: table.caseStudyResult.indicator,
	sdgIndicator: table.caseStudyResult.sdgIndicator,
	baseline: table.caseStudyResult.baseline,
	result: table.caseStudyResult.result,
	unit: table.caseStudyResult.unit,
	year: table.caseStudyResult.year,
	source: table.caseStudyResult.source
};
/** A result row as the case page and the API show it. */
export type CaseResult = Pick<
	typeof table.caseStudyResult.$inferSelect,
	keyof typeof resultColumns
>;

/** The order fields are shown in (editor, page, revision diff). */
export const snapshotFields = [
	'title',
	'summary',
	'countryCode',
	'cityId',
	'context',
	'objectives',
	'whatWasDone',
	'stakeholders',
	'startYear',
	'endYear',
	'status',
	'budget',
	'fundingModels',
	'results',
	'enablingFactors',
	'constraints',
	'lessons',
	'transferability',
	'standards',
	'sources',
	'language',
	'licence',
	'themes',
	'sdgTargets',
	'domains',
	'technologies',
	'beneficiaryGroups'
] as const satisfies readonly (keyof CaseStudySnapshot)[];

const tagFields = {
	themes: 'theme',
	sdgTargets: 'sdg_target',
	domains: 'domain',
	technologies: 'technology',
	beneficiaryGroups: 'beneficiary_group',
	fundingModels: 'funding_model'
} as const satisfies Record<string, (typeof table.caseStudyTagVocabularies)[number]>;

/**
 * Checks what the schema cannot (the place exists, stakeholder organisations exist) and returns
 * the snapshot to store. Place defaults to the owner organisation's country and city.
 */
export function resolveSnapshot(
	db: Executor,
	organisationId: string,
	input: CaseStudyInput
): { snapshot: CaseStudySnapshot; stakeholderOrganisationIds: (string | null)[] } {
	const errors: FieldErrors = {};
	let countryCode = input.countryCode;
	let cityId = input.cityId;
	if (countryCode === null) {
		const owner = db
			.select({ countryCode: table.organisation.countryCode, cityId: table.organisation.cityId })
			.from(table.organisation)
			.where(eq(table.organisation.id, organisationId))
			.get();
		countryCode = owner?.countryCode ?? '';
		if (cityId === null) cityId = owner?.cityId ?? null;
	}
	const country = db
		.select({ code: table.country.code })
		.from(table.country)
		.where(eq(table.country.code, countryCode))
		.get();
	if (!country) errors.countryCode = m.cases_country_unknown();
	if (cityId !== null) {
		const city = db
			.select({ countryCode: table.city.countryCode })
			.from(table.city)
			.where(eq(table.city.id, cityId))
			.get();
		if (!city || city.countryCode !== countryCode) errors.cityId = m.cases_city_unknown();
	}

	// A stakeholder organisation is named by its slug (forms, API) or its id (the demo seed).
	const references = input.stakeholders
		.map((stakeholder) => stakeholder.organisation)
		.filter((reference): reference is string => reference !== null);
	const idsByReference = new Map<string, string>();
	if (references.length) {
		for (const row of db
			.select({ slug: table.organisation.slug, id: table.organisation.id })
			.from(table.organisation)
			.where(
				or(inArray(table.organisation.slug, references), inArray(table.organisation.id, references))
			)
			.all()) {
			idsByReference.set(row.slug, row.id);
			idsByReference.set(row.id, row.id);
		}
	}
	const stakeholderOrganisationIds = input.stakeholders.map((stakeholder, index) => {
		if (stakeholder.organisation === null) return null;
		const id = idsByReference.get(stakeholder.organisation);
		if (!id)
			errors[`stakeholders.${index}.organisation`] = m.cases_stakeholder_organisation_unknown();
		return id ?? null;
	});

	if (Object.keys(errors).length) {
		throw new RuleError('invalid_content', m.form_fix_errors(), 400, errors);
	}
	return { snapshot: { ...input, countryCode, cityId }, stakeholderOrganisationIds };
}

/** The case_study columns that hold the content. */
export function contentColumns(snapshot: CaseStudySnapshot) {
	return {
		title: snapshot.title,
		summary: snapshot.summary,
		context: snapshot.context,
		objectives: snapshot.objectives,
		whatWasDone: snapshot.whatWasDone,
		enablingFactors: snapshot.enablingFactors,
		constraints: snapshot.constraints,
		lessons: snapshot.lessons,
		transferability: snapshot.transferability,
		startYear: snapshot.startYear,
		endYear: snapshot.endYear,
		status: snapshot.status,
		budgetAmount: snapshot.budget?.amount ?? null,
		budgetCurrency: snapshot.budget?.currency ?? null,
		standards: snapshot.standards,
		sources: snapshot.sources,
		language: snapshot.language,
		licence: snapshot.licence,
		countryCode: snapshot.countryCode,
		cityId: snapshot.cityId
	};
}

/** Replaces the tag, stakeholder and result rows of a case with those of the snapshot. */
export function replaceChildRows(
	db: Executor,
	caseStudyId: string,
	snapshot: CaseStudySnapshot,
	stakeholderOrganisationIds: (string | null)[]
): void {
	db.delete(table.caseStudyTag).where(eq(table.caseStudyTag.caseStudyId, caseStudyId)).run();
	db.delete(table.caseStudyStakeholder)
		.where(eq(table.caseStudyStakeholder.caseStudyId, caseStudyId))
		.run();
	db.delete(table.caseStudyResult).where(eq(table.caseStudyResult.caseStudyId, caseStudyId)).run();

	const tags = Object.entries(tagFields).flatMap(([field, vocabulary]) =>
		(snapshot[field as keyof typeof tagFields] as string[]).map((value, position) => ({
			caseStudyId,
			vocabulary,
			value,
			position
		}))
	);
	if (tags.length) db.insert(table.caseStudyTag).values(tags).run();
	if (snapshot.stakeholders.length) {
		db.insert(table.caseStudyStakeholder)
			.values(
				snapshot.stakeholders.map((stakeholder, position) => ({
					caseStudyId,
					position,
					name: stakeholder.name,
					role: stakeholder.role,
					organisationId: stakeholderOrganisationIds[position]
				}))
			)
			.run();
	}
	if (snapshot.results.length) {
		db.insert(table.caseStudyResult)
			.values(snapshot.results.map((result, position) => ({ caseStudyId, position, ...result })))
			.run();
	}
}

/** The tags of a case grouped by vocabulary, in the order they were given. */
export function tagsOf(db: Executor, caseStudyId: string) {
	const rows = db
		.select({
			vocabulary: table.caseStudyTag.vocabulary,
			value: table.caseStudyTag.value
		})
		.from(table.caseStudyTag)
		.where(and(eq(table.caseStudyTag.caseStudyId, caseStudyId)))
		.orderBy(table.caseStudyTag.vocabulary, table.caseStudyTag.position)
		.all();
	const grouped = Object.fromEntries(
		Object.keys(tagFields).map((field) => [field, [] as string[]])
	);
	const fieldOf = Object.fromEntries(
		Object.entries(tagFields).map(([field, vocabulary]) => [vocabulary, field])
	);
	for (const row of rows) grouped[fieldOf[row.vocabulary]].push(row.value);
	return grouped as Pick<CaseStudyInput, keyof typeof tagFields>;
}
