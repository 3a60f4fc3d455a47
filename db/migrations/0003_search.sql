CREATE TABLE `search_document` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`ref` text NOT NULL,
	`type` text NOT NULL,
	`record_id` text NOT NULL,
	`visibility` text NOT NULL,
	`sort_date` integer NOT NULL,
	`facets` text NOT NULL,
	`meta` text NOT NULL,
	`path` text NOT NULL,
	`language` text NOT NULL,
	`title` text NOT NULL,
	`summary` text NOT NULL,
	`keywords` text NOT NULL,
	`body` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `search_document_ref_unique` ON `search_document` (`ref`);--> statement-breakpoint
CREATE INDEX `search_document_sort_idx` ON `search_document` (`sort_date`);--> statement-breakpoint
CREATE INDEX `search_document_type_idx` ON `search_document` (`type`);--> statement-breakpoint
CREATE INDEX `search_document_facet_table_idx` ON `search_document` (`id`,`type`,`visibility`,`sort_date`,`facets`);--> statement-breakpoint
CREATE TABLE `search_facet` (
	`document_id` integer NOT NULL,
	`name` text NOT NULL,
	`value` text NOT NULL,
	PRIMARY KEY(`name`, `value`, `document_id`),
	FOREIGN KEY (`document_id`) REFERENCES `search_document`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `search_facet_document_idx` ON `search_facet` (`document_id`);--> statement-breakpoint
CREATE TABLE `search_outbox` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`ref` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`last_error` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `search_outbox_due_idx` ON `search_outbox` (`next_attempt_at`);--> statement-breakpoint
CREATE INDEX `search_outbox_ref_idx` ON `search_outbox` (`ref`);