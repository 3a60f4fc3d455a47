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
		rateLimitScale: positiveNumber(env.RATE_LIMIT_SCALE, 1)
	};
}

export type Config = ReturnType<typeof readConfig>;

export const config = readConfig();
