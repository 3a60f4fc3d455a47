CREATE TABLE `case_study` (
	`id` text PRIMARY KEY NOT NULL,
	`slug` text NOT NULL,
	`organisation_id` text NOT NULL,
	`created_by` text,
	`country_code` text NOT NULL,
	`city_id` integer,
	`title` text NOT NULL,
	`summary` text NOT NULL,
	`context` text DEFAULT '' NOT NULL,
	`objectives` text DEFAULT '' NOT NULL,
	`what_was_done` text DEFAULT '' NOT NULL,
	`enabling_factors` text DEFAULT '' NOT NULL,
	`constraints` text DEFAULT '' NOT NULL,
	`lessons` text DEFAULT '' NOT NULL,
	`transferability` text DEFAULT '' NOT NULL,
	`start_year` integer NOT NULL,
	`end_year` integer,
	`status` text NOT NULL,
	`budget_amount` real,
	`budget_currency` text,
	`standards` text DEFAULT '[]' NOT NULL,
	`sources` text DEFAULT '[]' NOT NULL,
	`language` text DEFAULT 'en' NOT NULL,
	`licence` text DEFAULT 'CC-BY-4.0' NOT NULL,
	`workflow_state` text DEFAULT 'draft' NOT NULL,
	`moderator_feedback` text,
	`revision_count` integer DEFAULT 0 NOT NULL,
	`validation_count` integer DEFAULT 0 NOT NULL,
	`submitted_at` integer,
	`published_at` integer,
	`archived_at` integer,
	`last_reviewed_at` integer NOT NULL,
	`reminder_sent_at` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`organisation_id`) REFERENCES `organisation`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`created_by`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`country_code`) REFERENCES `country`(`code`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`city_id`) REFERENCES `city`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `case_study_slug_unique` ON `case_study` (`slug`);--> statement-breakpoint
CREATE INDEX `case_study_published_idx` ON `case_study` (`workflow_state`,`published_at`);--> statement-breakpoint
CREATE INDEX `case_study_validated_idx` ON `case_study` (`workflow_state`,`validation_count`);--> statement-breakpoint
CREATE INDEX `case_study_organisation_idx` ON `case_study` (`organisation_id`);--> statement-breakpoint
CREATE INDEX `case_study_country_idx` ON `case_study` (`country_code`);--> statement-breakpoint
CREATE INDEX `case_study_review_idx` ON `case_study` (`last_reviewed_at`);--> statement-breakpoint
CREATE TABLE `case_study_report` (
	`id` text PRIMARY KEY NOT NULL,
	`case_study_id` text NOT NULL,
	`reporter_id` text,
	`reporter_email` text,
	`reason` text NOT NULL,
	`message` text NOT NULL,
	`status` text DEFAULT 'open' NOT NULL,
	`resolved_by` text,
	`resolved_at` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`case_study_id`) REFERENCES `case_study`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`reporter_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`resolved_by`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `case_study_report_status_idx` ON `case_study_report` (`status`,`created_at`);--> statement-breakpoint
CREATE INDEX `case_study_report_case_idx` ON `case_study_report` (`case_study_id`);--> statement-breakpoint
CREATE TABLE `case_study_result` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`case_study_id` text NOT NULL,
	`position` integer NOT NULL,
	`indicator` text NOT NULL,
	`sdg_indicator` text,
	`baseline` text DEFAULT '' NOT NULL,
	`result` text NOT NULL,
	`unit` text DEFAULT '' NOT NULL,
	`year` integer,
	`source` text,
	FOREIGN KEY (`case_study_id`) REFERENCES `case_study`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `case_study_result_case_idx` ON `case_study_result` (`case_study_id`,`position`);--> statement-breakpoint
CREATE TABLE `case_study_revision` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`case_study_id` text NOT NULL,
	`number` integer NOT NULL,
	`author_id` text,
	`snapshot` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`case_study_id`) REFERENCES `case_study`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`author_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `case_study_revision_number_idx` ON `case_study_revision` (`case_study_id`,`number`);--> statement-breakpoint
CREATE TABLE `case_study_stakeholder` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`case_study_id` text NOT NULL,
	`position` integer NOT NULL,
	`name` text NOT NULL,
	`role` text DEFAULT '' NOT NULL,
	`organisation_id` text,
	FOREIGN KEY (`case_study_id`) REFERENCES `case_study`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`organisation_id`) REFERENCES `organisation`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `case_study_stakeholder_case_idx` ON `case_study_stakeholder` (`case_study_id`,`position`);--> statement-breakpoint
CREATE INDEX `case_study_stakeholder_org_idx` ON `case_study_stakeholder` (`organisation_id`);--> statement-breakpoint
CREATE TABLE `case_study_tag` (
	`case_study_id` text NOT NULL,
	`vocabulary` text NOT NULL,
	`value` text NOT NULL,
	`position` integer NOT NULL,
	PRIMARY KEY(`case_study_id`, `vocabulary`, `value`),
	FOREIGN KEY (`case_study_id`) REFERENCES `case_study`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `case_study_tag_lookup_idx` ON `case_study_tag` (`vocabulary`,`value`,`case_study_id`);--> statement-breakpoint
CREATE TABLE `case_study_validation` (
	`id` text PRIMARY KEY NOT NULL,
	`case_study_id` text NOT NULL,
	`organisation_id` text NOT NULL,
	`recorded_by` text,
	`kind` text NOT NULL,
	`note` text DEFAULT '' NOT NULL,
	`replication_case_study_id` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`case_study_id`) REFERENCES `case_study`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`organisation_id`) REFERENCES `organisation`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`recorded_by`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`replication_case_study_id`) REFERENCES `case_study`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `case_study_validation_one_per_org_idx` ON `case_study_validation` (`case_study_id`,`organisation_id`);--> statement-breakpoint
CREATE INDEX `case_study_validation_org_idx` ON `case_study_validation` (`organisation_id`);