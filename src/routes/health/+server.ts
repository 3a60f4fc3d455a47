import { json } from '@sveltejs/kit';
import { appDb } from '$lib/server/db/app';
import { databaseHealth, sqliteSearchHealth } from '$lib/server/health';

export const GET = () => {
	const db = databaseHealth(appDb());
	const search = db === 'ok' ? sqliteSearchHealth(appDb()) : 'error';
	const healthy = db === 'ok' && search === 'ok';
	return json(
		{ status: healthy ? 'ok' : 'degraded', db, search: { engine: 'sqlite', status: search } },
		{ status: healthy ? 200 : 503, headers: { 'cache-control': 'no-store' } }
	);
};
