CREATE TABLE `introduction` (
	`id` text PRIMARY KEY NOT NULL,
	`need_id` text,
	`offer_id` text,
	`from_organisation_id` text NOT NULL,
	`to_organisation_id` text NOT NULL,
	`requested_by` text,
	`message` text NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`response_note` text,
	`responded_by` text,
	`responded_at` integer,
	`partnership_id` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`need_id`) REFERENCES `need`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`offer_id`) REFERENCES `offer`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`from_organisation_id`) REFERENCES `organisation`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`to_organisation_id`) REFERENCES `organisation`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`requested_by`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`responded_by`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`partnership_id`) REFERENCES `partnership`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `introduction_to_idx` ON `introduction` (`to_organisation_id`,`status`,`created_at`);--> statement-breakpoint
CREATE INDEX `introduction_from_idx` ON `introduction` (`from_organisation_id`,`status`,`created_at`);--> statement-breakpoint
CREATE INDEX `introduction_need_idx` ON `introduction` (`need_id`);--> statement-breakpoint
CREATE INDEX `introduction_offer_idx` ON `introduction` (`offer_id`);--> statement-breakpoint
CREATE TABLE `need` (
	`id` text PRIMARY KEY NOT NULL,
	`organisation_id` text NOT NULL,
	`created_by` text,
	`title` text NOT NULL,
	`challenge` text NOT NULL,
	`tried_so_far` text DEFAULT '' NOT NULL,
	`languages` text DEFAULT '[]' NOT NULL,
	`timeframe` text NOT NULL,
	`budget_amount` real,
	`budget_currency` text,
	`visibility` text DEFAULT 'public' NOT NULL,
	`status` text DEFAULT 'open' NOT NULL,
	`expires_at` integer NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`organisation_id`) REFERENCES `organisation`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`created_by`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `need_status_idx` ON `need` (`status`,`expires_at`);--> statement-breakpoint
CREATE INDEX `need_organisation_idx` ON `need` (`organisation_id`);--> statement-breakpoint
CREATE INDEX `need_created_idx` ON `need` (`created_at`);--> statement-breakpoint
CREATE TABLE `need_tag` (
	`need_id` text NOT NULL,
	`vocabulary` text NOT NULL,
	`value` text NOT NULL,
	`position` integer NOT NULL,
	PRIMARY KEY(`need_id`, `vocabulary`, `value`),
	FOREIGN KEY (`need_id`) REFERENCES `need`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `need_tag_lookup_idx` ON `need_tag` (`vocabulary`,`value`,`need_id`);--> statement-breakpoint
CREATE TABLE `notification` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`user_id` text NOT NULL,
	`kind` text NOT NULL,
	`params` text NOT NULL,
	`path` text NOT NULL,
	`read_at` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `notification_user_idx` ON `notification` (`user_id`,`read_at`,`created_at`);--> statement-breakpoint
CREATE TABLE `offer` (
	`id` text PRIMARY KEY NOT NULL,
	`organisation_id` text NOT NULL,
	`created_by` text,
	`title` text NOT NULL,
	`description` text NOT NULL,
	`format` text NOT NULL,
	`languages` text DEFAULT '[]' NOT NULL,
	`is_global` integer DEFAULT false NOT NULL,
	`capacity` integer,
	`eligible_income_groups` text DEFAULT '[]' NOT NULL,
	`only_least_developed` integer DEFAULT false NOT NULL,
	`deadline` integer,
	`visibility` text DEFAULT 'public' NOT NULL,
	`status` text DEFAULT 'open' NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`organisation_id`) REFERENCES `organisation`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`created_by`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `offer_status_idx` ON `offer` (`status`,`deadline`);--> statement-breakpoint
CREATE INDEX `offer_organisation_idx` ON `offer` (`organisation_id`);--> statement-breakpoint
CREATE INDEX `offer_created_idx` ON `offer` (`created_at`);--> statement-breakpoint
CREATE TABLE `offer_tag` (
	`offer_id` text NOT NULL,
	`vocabulary` text NOT NULL,
	`value` text NOT NULL,
	`position` integer NOT NULL,
	PRIMARY KEY(`offer_id`, `vocabulary`, `value`),
	FOREIGN KEY (`offer_id`) REFERENCES `offer`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `offer_tag_lookup_idx` ON `offer_tag` (`vocabulary`,`value`,`offer_id`);--> statement-breakpoint
CREATE TABLE `partnership` (
	`id` text PRIMARY KEY NOT NULL,
	`title` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`status` text DEFAULT 'proposed' NOT NULL,
	`discontinued_reason` text,
	`need_id` text,
	`offer_id` text,
	`resulting_case_study_id` text,
	`agreed_at` integer,
	`started_at` integer,
	`completed_at` integer,
	`discontinued_at` integer,
	`last_activity_at` integer NOT NULL,
	`stale_reminder_sent_at` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`need_id`) REFERENCES `need`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`offer_id`) REFERENCES `offer`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`resulting_case_study_id`) REFERENCES `case_study`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `partnership_status_idx` ON `partnership` (`status`,`last_activity_at`);--> statement-breakpoint
CREATE INDEX `partnership_need_idx` ON `partnership` (`need_id`);--> statement-breakpoint
CREATE INDEX `partnership_offer_idx` ON `partnership` (`offer_id`);--> statement-breakpoint
CREATE TABLE `partnership_case_study` (
	`partnership_id` text NOT NULL,
	`case_study_id` text NOT NULL,
	PRIMARY KEY(`partnership_id`, `case_study_id`),
	FOREIGN KEY (`partnership_id`) REFERENCES `partnership`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`case_study_id`) REFERENCES `case_study`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `partnership_case_study_case_idx` ON `partnership_case_study` (`case_study_id`);--> statement-breakpoint
CREATE TABLE `partnership_milestone` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`partnership_id` text NOT NULL,
	`position` integer NOT NULL,
	`title` text NOT NULL,
	`due_on` text,
	`done_on` text,
	FOREIGN KEY (`partnership_id`) REFERENCES `partnership`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `partnership_milestone_partnership_idx` ON `partnership_milestone` (`partnership_id`,`position`);--> statement-breakpoint
CREATE TABLE `partnership_party` (
	`partnership_id` text NOT NULL,
	`organisation_id` text NOT NULL,
	`role` text NOT NULL,
	`consents_to_publish` integer DEFAULT false NOT NULL,
	`position` integer NOT NULL,
	PRIMARY KEY(`partnership_id`, `organisation_id`),
	FOREIGN KEY (`partnership_id`) REFERENCES `partnership`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`organisation_id`) REFERENCES `organisation`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `partnership_party_organisation_idx` ON `partnership_party` (`organisation_id`);--> statement-breakpoint
CREATE TABLE `partnership_result` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`partnership_id` text NOT NULL,
	`position` integer NOT NULL,
	`indicator` text NOT NULL,
	`sdg_indicator` text,
	`baseline` text DEFAULT '' NOT NULL,
	`result` text NOT NULL,
	`unit` text DEFAULT '' NOT NULL,
	`year` integer,
	`source` text,
	FOREIGN KEY (`partnership_id`) REFERENCES `partnership`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `partnership_result_partnership_idx` ON `partnership_result` (`partnership_id`,`position`);--> statement-breakpoint
CREATE TABLE `partnership_tag` (
	`partnership_id` text NOT NULL,
	`vocabulary` text NOT NULL,
	`value` text NOT NULL,
	`position` integer NOT NULL,
	PRIMARY KEY(`partnership_id`, `vocabulary`, `value`),
	FOREIGN KEY (`partnership_id`) REFERENCES `partnership`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `partnership_tag_lookup_idx` ON `partnership_tag` (`vocabulary`,`value`,`partnership_id`);--> statement-breakpoint
CREATE TABLE `partnership_update` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`partnership_id` text NOT NULL,
	`organisation_id` text,
	`author_id` text,
	`body` text DEFAULT '' NOT NULL,
	`status_from` text,
	`status_to` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`partnership_id`) REFERENCES `partnership`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`organisation_id`) REFERENCES `organisation`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`author_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `partnership_update_partnership_idx` ON `partnership_update` (`partnership_id`,`created_at`);