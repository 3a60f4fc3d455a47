/** Pure line and field differences between two revisions of a case study (no database). */

export type DiffLine = { op: 'same' | 'add' | 'remove'; text: string };
export type FieldDiff = { field: string; lines: DiffLine[] };

/** Above this many table cells (a × b lines) the middle of a diff is shown as replaced. */
const LCS_CELLS_MAX = 1_000_000;

/**
 * Line diff by longest common subsequence. Equal first and last lines are matched first, and a
 * middle too large to compare line by line (thousands of one-character lines, which anyone could
 * ask the public compare page for) is shown as removed then added, so memory stays bounded.
 */
export function diffLines(before: string, after: string): DiffLine[] {
	const a = before === '' ? [] : before.split('\n');
	const b = after === '' ? [] : after.split('\n');
	let start = 0;
	while (start < a.length && start < b.length && a[start] === b[start]) start += 1;
	let end = 0;
	while (
		end < a.length - start &&
		end < b.length - start &&
		a[a.length - 1 - end] === b[b.length - 1 - end]
	) {
		end += 1;
	}
	const same = (lines: string[]) => lines.map((text): DiffLine => ({ op: 'same', text }));
	const middleA = a.slice(start, a.length - end);
	const middleB = b.slice(start, b.length - end);
	const middle =
		(middleA.length + 1) * (middleB.length + 1) > LCS_CELLS_MAX
			? [
					...middleA.map((text): DiffLine => ({ op: 'remove', text })),
					...middleB.map((text): DiffLine => ({ op: 'add', text }))
				]
			: lcsDiff(middleA, middleB);
	return [...same(a.slice(0, start)), ...middle, ...same(a.slice(a.length - end))];
}

function lcsDiff(a: string[], b: string[]): DiffLine[] {
	const common: number[][] = Array.from({ length: a.length + 1 }, () =>
		new Array<number>(b.length + 1).fill(0)
	);
	for (let i = a.length - 1; i >= 0; i -= 1) {
		for (let j = b.length - 1; j >= 0; j -= 1) {
			common[i][j] =
				a[i] === b[j] ? common[i + 1][j + 1] + 1 : Math.max(common[i + 1][j], common[i][j + 1]);
		}
	}
	const lines: DiffLine[] = [];
	let i = 0;
	let j = 0;
	while (i < a.length && j < b.length) {
		if (a[i] === b[j]) {
			lines.push({ op: 'same', text: a[i] });
			i += 1;
			j += 1;
		} else if (common[i + 1][j] >= common[i][j + 1]) {
			lines.push({ op: 'remove', text: a[i] });
			i += 1;
		} else {
			lines.push({ op: 'add', text: b[j] });
			j += 1;
		}
	}
	for (; i < a.length; i += 1) lines.push({ op: 'remove', text: a[i] });
	for (; j < b.length; j += 1) lines.push({ op: 'add', text: b[j] });
	return lines;
}

/** A field's value as lines of text: lists one item per line, rows as "value · value". */
export function fieldText(value: unknown): string {
	if (value === null || value === undefined) return '';
	if (Array.isArray(value)) return value.map(itemText).join('\n');
	return itemText(value);
}

function itemText(value: unknown): string {
	if (value === null || value === undefined) return '';
	if (typeof value === 'object') {
		return Object.values(value as Record<string, unknown>)
			.filter((part) => part !== null && part !== undefined && part !== '')
			.map(String)
			.join(' · ');
	}
	return String(value);
}

/** The fields that differ between two snapshots, in the order of `fields` (else of the keys). */
export function diffSnapshots(
	before: Record<string, unknown>,
	after: Record<string, unknown>,
	fields: readonly string[] = [...new Set([...Object.keys(before), ...Object.keys(after)])]
): FieldDiff[] {
	const changes: FieldDiff[] = [];
	for (const field of fields) {
		const old = fieldText(before[field]);
		const now = fieldText(after[field]);
		if (old !== now) changes.push({ field, lines: diffLines(old, now) });
	}
	return changes;
}
