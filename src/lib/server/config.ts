/**
 * Every setting the server reads from the environment, with its default, in one place.
 * The README's configuration table mirrors this file.
 */
function flag(value: string | undefined, fallback: boolean): boolean {
	if (value === undefined || value === '') return fallback;
	return ['1', 'true', 'yes', 'on'].includes(value.toLowerCase());
}

function positiveNumber(value: string | undefined, fallback: number): number {
	const parsed = Number(value);
	return value && Number.isFinite(parsed) && parsed > 0 ? parsed : fallback;
}

/** Bytes from adapter-node's BODY_SIZE_LIMIT syntax ("512K", "6M", "Infinity"), read the same way. */
export function parseBytes(value: string): number {
	const multipliers: Record<string, number> = { K: 1024, M: 1024 ** 2, G: 1024 ** 3 };
	const multiplier = multipliers[value.at(-1)?.toUpperCase() ?? ''] ?? 1;
	return Number(multiplier === 1 ? value : value.slice(0, -1)) * multiplier;
}

export function readConfig(env: Record<string, string | undefined> = process.env) {
	const origin = env.ORIGIN ?? 'http://localhost:3000';
	return {
		databasePath: env.DATABASE_PATH || 'data/citybridge.db',
		origin,
		/** Secure cookies with the __Host- prefix whenever the site is served over HTTPS. */
		secureCookies: origin.startsWith('https://'),
		demoContent: flag(env.DEMO_CONTENT, false),
		adminEmail: env.ADMIN_EMAIL || null,
		adminPassword: env.ADMIN_PASSWORD || null,
		smtpUrl: env.SMTP_URL || null,
		mailFrom: env.MAIL_FROM || 'CityBridge <no-reply@localhost>',
		/** Multiplies every rate limit; raise it for load tests, never set it below 1 in production. */
		rateLimitScale: positiveNumber(env.RATE_LIMIT_SCALE, 1),
		/** adapter-node refuses larger request bodies; image uploads are limited to fit in it. */
		bodySizeLimit: parseBytes(env.BODY_SIZE_LIMIT || '512K'),
		/** Set to search with Meilisearch instead of the embedded SQLite FTS5 engine. */
		meilisearchHost: env.MEILISEARCH_HOST || null,
		meilisearchApiKey: env.MEILISEARCH_API_KEY || null,
		/** The Meilisearch index name; tests use their own. */
		meilisearchIndex: env.MEILISEARCH_INDEX || 'citybridge',
		/**
		 * The platform's IATI organisation identifier, the reporting-org of the IATI export and the
		 * prefix of its activity identifiers; set it to the identifier the operator registers with IATI.
		 */
		iatiReportingOrgRef: env.IATI_REPORTING_ORG_REF || 'XI-CITYBRIDGE'
	};
}

export type Config = ReturnType<typeof readConfig>;

export const config = readConfig();
