import { json } from '@sveltejs/kit';

type Cell = string | number | boolean | null;

function csvCell(value: Cell): string {
	if (value === null) return '';
	if (typeof value !== 'string') return String(value);
	// Text starting with =, +, - or @ would run as a formula in a spreadsheet.
	const safe = /^[=+\-@]/.test(value) ? `'${value}` : value;
	return /[",\n\r]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** Whether a list request asks for CSV (`?format=csv`, or `Accept: text/csv` without a format). */
export function wantsCsv(format: string | null, request: Request): boolean {
	return (
		format === 'csv' ||
		(format === null && (request.headers.get('accept') ?? '').includes('text/csv'))
	);
}

/** A complete (unpaginated) list as the API's list shape, or as CSV with the given columns. */
export function listResponse<Row extends Record<K, Cell>, K extends string>(
	rows: Row[],
	options: { csv: boolean; columns: readonly K[]; filename: string }
): Response {
	const headers = { 'cache-control': 'public, max-age=3600', vary: 'accept' };
	if (!options.csv) return json({ data: rows, next: null, total: rows.length }, { headers });
	const lines = [
		options.columns.join(','),
		...rows.map((row) => options.columns.map((column) => csvCell(row[column])).join(','))
	];
	return new Response(lines.join('\r\n') + '\r\n', {
		headers: {
			...headers,
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': `inline; filename="${options.filename}"`
		}
	});
}
