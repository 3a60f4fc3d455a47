/**
 * The case-study editor's form: FormData → the nested object `caseStudyInput` validates, plus the
 * values to show again (nothing typed is lost). Pure: no database.
 */
import type { FieldErrors } from '$lib/server/forms';
import {
	defaultBlankRows,
	emptyValues,
	longTextFields,
	rowFields,
	rowGroups,
	tagGroups,
	type BlankRows,
	type CaseEditorValues,
	type RowGroup
} from '$lib/components/case-editor/values';
import type { CaseStudySnapshot } from './content';
import { ROWS_MAX } from './schema';

/** More rows than this in one group are not read at all (the schema allows ROWS_MAX). */
const ROWS_READ_MAX = 100;

export type CaseStudyForm = {
	/** The object to validate with `caseStudyInput` (empty rows dropped, standards split). */
	input: Record<string, unknown>;
	/** What the user typed, rows compacted so error paths ("results.0.unit") match them. */
	values: CaseEditorValues;
	/** How many empty rows each row group offered (at least the default). */
	blankRows: BlankRows;
};

const isBlank = (row: Record<string, string>) =>
	Object.values(row).every((value) => value.trim() === '');

/** The rows `{group}.{index}.{field}` of a form, in index order, split into filled and blank. */
export function readRows(
	formData: FormData,
	group: string,
	fields: readonly string[] = rowFields[group as RowGroup]
) {
	const byIndex = new Map<number, Record<string, string>>();
	for (const [key, value] of formData) {
		const match = /^([a-zA-Z]+)\.(\d{1,6})\.([a-zA-Z]+)$/.exec(key);
		if (!match || match[1] !== group || !fields.includes(match[3])) continue;
		const index = Number(match[2]);
		let row = byIndex.get(index);
		if (!row) {
			if (byIndex.size >= ROWS_READ_MAX) continue;
			row = Object.fromEntries(fields.map((field) => [field, '']));
			byIndex.set(index, row);
		}
		row[match[3]] = typeof value === 'string' ? value : '';
	}
	const ordered = [...byIndex.entries()].sort(([a], [b]) => a - b).map(([, row]) => row);
	return { filled: ordered.filter((row) => !isBlank(row)), blank: ordered.filter(isBlank).length };
}

/**
 * Reads the editor's form. `addRowsTo` names the row group whose "Add rows" button was pressed:
 * it gets three more empty rows.
 */
export function caseStudyFromForm(formData: FormData, addRowsTo?: string | null): CaseStudyForm {
	const text = (name: string) => {
		const value = formData.get(name);
		return typeof value === 'string' ? value : '';
	};
	const list = (name: string) =>
		formData.getAll(name).filter((value): value is string => typeof value === 'string');

	const values = emptyValues();
	values.title = text('title');
	values.summary = text('summary');
	for (const field of longTextFields) values[field] = text(field);
	values.startYear = text('startYear');
	values.endYear = text('endYear');
	values.status = text('status');
	values.budget = { amount: text('budget.amount'), currency: text('budget.currency') };
	for (const group of tagGroups) values[group] = list(group);
	values.standards = text('standards');
	values.language = text('language');
	values.licence = text('licence');
	values.countryCode = text('countryCode');
	values.cityId = text('cityId');
	values.cityQuery = text('cityQuery');

	const blankRows = { ...defaultBlankRows };
	for (const group of rowGroups) {
		const { filled, blank } = readRows(formData, group);
		if (group === 'stakeholders') values.stakeholders = filled as CaseEditorValues['stakeholders'];
		if (group === 'results') values.results = filled as CaseEditorValues['results'];
		if (group === 'sources') values.sources = filled as CaseEditorValues['sources'];
		const wanted = Math.max(defaultBlankRows[group], blank) + (addRowsTo === group ? 3 : 0);
		blankRows[group] = Math.max(0, Math.min(wanted, ROWS_MAX - filled.length));
	}

	const optionalChoice = (value: string) => (value.trim() === '' ? undefined : value);
	const budgetGiven = values.budget.amount.trim() !== '' || values.budget.currency.trim() !== '';
	const input: Record<string, unknown> = {
		title: values.title,
		summary: values.summary,
		...Object.fromEntries(longTextFields.map((field) => [field, values[field]])),
		startYear: values.startYear,
		endYear: values.endYear,
		status: values.status,
		budget: budgetGiven ? { ...values.budget } : null,
		...Object.fromEntries(tagGroups.map((group) => [group, [...values[group]]])),
		stakeholders: values.stakeholders.map((row) => ({ ...row })),
		results: values.results.map((row) => ({ ...row })),
		sources: values.sources.map((row) => ({ ...row })),
		standards: standardLines(values.standards),
		language: optionalChoice(values.language),
		licence: optionalChoice(values.licence),
		countryCode: values.countryCode,
		cityId: values.cityId
	};
	return { input, values, blankRows };
}

/** The standards textarea: one per line, blank lines ignored. */
export function standardLines(text: string): string[] {
	return text
		.split(/\r\n?|\n/)
		.map((line) => line.trim())
		.filter((line) => line !== '');
}

/**
 * Messages about one item of a checkbox group or of the standards list ("themes.1") belong to the
 * group: that is where the user can fix them.
 */
export function editorErrors(errors: FieldErrors): FieldErrors {
	const grouped: FieldErrors = {};
	for (const [path, message] of Object.entries(errors)) {
		const [head] = path.split('.');
		const key =
			(tagGroups as readonly string[]).includes(head) || head === 'standards' ? head : path;
		grouped[key] ??= message;
	}
	return grouped;
}

/** A saved revision as the editor shows it. */
export function valuesFromSnapshot(snapshot: CaseStudySnapshot): CaseEditorValues {
	const values = emptyValues();
	values.title = snapshot.title;
	values.summary = snapshot.summary;
	for (const field of longTextFields) values[field] = snapshot[field] ?? '';
	values.startYear = String(snapshot.startYear);
	values.endYear = snapshot.endYear === null ? '' : String(snapshot.endYear);
	values.status = snapshot.status;
	values.budget = snapshot.budget
		? { amount: String(snapshot.budget.amount), currency: snapshot.budget.currency }
		: { amount: '', currency: '' };
	for (const group of tagGroups) values[group] = [...(snapshot[group] ?? [])];
	values.stakeholders = snapshot.stakeholders.map((row) => ({
		name: row.name,
		role: row.role ?? '',
		organisation: row.organisation ?? ''
	}));
	values.results = snapshot.results.map((row) => ({
		indicator: row.indicator,
		sdgIndicator: row.sdgIndicator ?? '',
		baseline: row.baseline ?? '',
		result: row.result,
		unit: row.unit ?? '',
		year: row.year === null ? '' : String(row.year),
		source: row.source ?? ''
	}));
	values.sources = snapshot.sources.map((row) => ({ title: row.title, url: row.url }));
	values.standards = snapshot.standards.join('\n');
	values.language = snapshot.language;
	values.licence = snapshot.licence;
	values.countryCode = snapshot.countryCode;
	values.cityId = snapshot.cityId === null ? '' : String(snapshot.cityId);
	return values;
}
