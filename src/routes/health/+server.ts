import { json } from '@sveltejs/kit';
import { appDb } from '$lib/server/db/app';
import { healthReport } from '$lib/server/health';
import { searchEngine } from '$lib/server/search';

export const GET = async () => {
	const db = appDb();
	const { httpStatus, report } = await healthReport(db, searchEngine(db));
	return json(report, { status: httpStatus, headers: { 'cache-control': 'no-store' } });
};
