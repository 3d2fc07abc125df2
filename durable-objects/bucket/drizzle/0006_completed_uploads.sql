CREATE TABLE `completed_uploads` (
	`upload_id` text PRIMARY KEY NOT NULL,
	`key` text NOT NULL,
	`parts` text NOT NULL,
	`etag` text NOT NULL,
	`checksum` text,
	`version_id` text NOT NULL,
	`versioning` text NOT NULL,
	`completed_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `completed_uploads_at` ON `completed_uploads` (`completed_at`);