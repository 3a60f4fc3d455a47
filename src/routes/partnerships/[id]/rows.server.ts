import { readRows } from '$lib/server/case-studies/form';
import { ROWS_MAX } from '$lib/server/case-studies/schema';
import { milestoneFields, resultFields, type RowGroup } from './rows';

const fieldsOf: Record<RowGroup, readonly string[]> = {
	milestones: milestoneFields,
	results: resultFields
};

/** Empty rows offered below the filled ones; "Add rows" (without JavaScript) asks for more. */
export const defaultBlankRows = 2;

/**
 * Reads one row group of a partnership form: the filled rows (what is saved and shown again)
 * and how many blank rows to offer next time.
 */
export function rowsFromForm(formData: FormData, group: RowGroup, addRows = false) {
	const { filled, blank } = readRows(formData, group, fieldsOf[group]);
	const wanted = Math.max(defaultBlankRows, blank) + (addRows ? 3 : 0);
	return {
		rows: filled.slice(0, ROWS_MAX + 1),
		blankRows: Math.max(0, Math.min(wanted, ROWS_MAX - filled.length))
	};
}
