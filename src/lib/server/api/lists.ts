import { json } from '@sveltejs/kit';
import type { ProblemFieldError } from './problem';

/** What every API list shares: strict parameters, JSON or CSV, and one CSV encoding. */

export type CsvCell = string | number | boolean | null | undefined;

/**
 * RFC 4180 quoting. Text starting with = + - @ tab or CR is neutralised so spreadsheets do not run
 * it as a formula; numbers stay numbers, negative ones included.
 */
export function csvCell(value: CsvCell): string {
	if (value === null || value === undefined) return '';
	if (typeof value !== 'string') return String(value);
	let text = value;
	if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
	return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv<K extends string>(
	columns: readonly K[],
	rows: readonly Record<K, CsvCell>[]
): string {
	const lines = [
		columns.join(','),
		...rows.map((row) => columns.map((c) => csvCell(row[c])).join(','))
	];
	return lines.join('\r\n') + '\r\n';
}

export function csvResponse(body: string, filename: string, headers: Record<string, string> = {}) {
	return new Response(body, {
		headers: {
			...headers,
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': `inline; filename="${filename}"`
		}
	});
}

/** Whether a list request asks for CSV (`?format=csv`, or `Accept: text/csv` without a format). */
export function wantsCsv(format: string | null, request: Request): boolean {
	return (
		format === 'csv' ||
		(format === null && (request.headers.get('accept') ?? '').includes('text/csv'))
	);
}

/** One error per parameter the endpoint does not know, so a typo is never silently ignored. */
export function unknownParameterErrors(
	params: URLSearchParams,
	known: ReadonlySet<string>,
	message: () => string
): ProblemFieldError[] {
	return [...new Set(params.keys())]
		.filter((name) => !known.has(name))
		.map((name) => ({ field: name, message: message() }));
}

/** One error per single-valued parameter given more than once: which value was meant is unknown. */
export function repeatedParameterErrors(
	params: URLSearchParams,
	singleValued: readonly string[],
	message: () => string
): ProblemFieldError[] {
	return singleValued
		.filter((name) => params.getAll(name).length > 1)
		.map((name) => ({ field: name, message: message() }));
}

/** `?format=` is json or csv when given. */
export function formatErrors(params: URLSearchParams, message: () => string): ProblemFieldError[] {
	const format = params.get('format');
	return format === null || format === 'json' || format === 'csv'
		? []
		: [{ field: 'format', message: message() }];
}

/** A complete (unpaginated) list in the API's list shape, or as CSV with the given columns. */
export function listResponse<Row extends Record<K, CsvCell>, K extends string>(
	rows: Row[],
	options: { csv: boolean; columns: readonly K[]; filename: string }
): Response {
	const headers = { 'cache-control': 'public, max-age=3600', vary: 'accept' };
	if (!options.csv) return json({ data: rows, next: null, total: rows.length }, { headers });
	return csvResponse(toCsv(options.columns, rows), options.filename, headers);
}
