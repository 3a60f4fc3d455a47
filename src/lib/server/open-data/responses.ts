import { json } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { unknownParameterErrors } from '$lib/server/api/lists';
import { problem } from '$lib/server/api/problem';
import type { Db } from '$lib/server/db';
import {
	bulkFormats,
	csvHeader,
	datasetNames,
	fileChunks,
	isDatasetName,
	summaries,
	type BulkFormat
} from './datasets';
import { attributionText, LICENCE, licenceLinkHeader } from './licence';
import { textStream } from './stream';

const cacheHeaders = {
	'cache-control': 'public, max-age=300',
	link: licenceLinkHeader
};

const noParameters = (url: URL) =>
	unknownParameterErrors(url.searchParams, new Set(), m.opendata_api_unknown_parameter);

const fileUrl = (name: string, format: BulkFormat, origin: string) =>
	new URL(`/api/v1/bulk/${name}.${format}`, origin).toString();

/** GET /api/v1/bulk: the licence and each dataset with its size, last change and files. */
export function indexResponse(db: Db, url: URL, origin: string): Response {
	const errors = noParameters(url);
	if (errors.length) return problem(400, 'Some parameters are not valid.', errors);
	return json(
		{
			licence: { id: LICENCE.id, url: LICENCE.url, attribution: attributionText(origin) },
			datasets: summaries(db).map((dataset) => ({
				name: dataset.name,
				records: dataset.records,
				updatedAt: dataset.updatedAt?.toISOString() ?? null,
				jsonl: fileUrl(dataset.name, 'jsonl', origin),
				csv: fileUrl(dataset.name, 'csv', origin)
			}))
		},
		{ headers: cacheHeaders }
	);
}

const contentTypes: Record<BulkFormat, string> = {
	jsonl: 'application/jsonl; charset=utf-8',
	csv: 'text/csv; charset=utf-8'
};

/**
 * GET /api/v1/bulk/{dataset}.{jsonl|csv}: the whole dataset, streamed. A weak ETag lets a
 * client that already has the current file skip the download (304).
 */
export function fileResponse(
	db: Db,
	file: string,
	url: URL,
	request: Request,
	origin: string
): Response {
	const match = /^([a-z-]+)\.([a-z]+)$/.exec(file);
	const [name, format] = match ? [match[1], match[2]] : ['', ''];
	if (!isDatasetName(name) || !(bulkFormats as readonly string[]).includes(format)) {
		return problem(
			404,
			`There is no bulk file named "${file.slice(0, 100)}". Files: ${datasetNames.map((n) => `${n}.jsonl, ${n}.csv`).join(', ')}.`
		);
	}
	const errors = noParameters(url);
	if (errors.length) return problem(400, 'Some parameters are not valid.', errors);
	const bulkFormat = format as BulkFormat;
	const now = new Date();
	const summary = summaries(db, now).find((dataset) => dataset.name === name)!;
	const etag = `W/"${summary.version}-${bulkFormat}"`;
	const headers: Record<string, string> = {
		...cacheHeaders,
		etag,
		vary: 'accept-encoding',
		'x-total-count': String(summary.records),
		'content-type': contentTypes[bulkFormat],
		'content-disposition': `attachment; filename="citybridge-${name}.${bulkFormat}"`
	};
	if (summary.updatedAt) headers['last-modified'] = summary.updatedAt.toUTCString();
	const asked = request.headers.get('if-none-match');
	if (asked && asked.split(',').some((tag) => tag.trim() === etag || tag.trim() === '*')) {
		return new Response(null, { status: 304, headers });
	}
	const head = bulkFormat === 'csv' ? csvHeader(name) : '';
	return new Response(
		textStream(`${name}.${bulkFormat}`, fileChunks(db, name, bulkFormat, origin, now), head),
		{ headers }
	);
}
