CREATE TABLE `case_study_image` (
	`id` text PRIMARY KEY NOT NULL,
	`case_study_id` text NOT NULL,
	`role` text NOT NULL,
	`position` integer NOT NULL,
	`alt` text NOT NULL,
	`caption` text DEFAULT '' NOT NULL,
	`width` integer NOT NULL,
	`height` integer NOT NULL,
	`bytes` integer NOT NULL,
	`data` blob NOT NULL,
	`small_data` blob,
	`content_hash` text NOT NULL,
	`created_by` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`case_study_id`) REFERENCES `case_study`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`created_by`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `case_study_image_case_idx` ON `case_study_image` (`case_study_id`,`role`,`position`);