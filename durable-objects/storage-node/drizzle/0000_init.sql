CREATE TABLE `blobs` (
	`id` text PRIMARY KEY NOT NULL,
	`size` integer NOT NULL,
	`state` text NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `blobs_state` ON `blobs` (`state`,`updated_at`);--> statement-breakpoint
CREATE TABLE `chunks` (
	`blob_id` text NOT NULL,
	`idx` integer NOT NULL,
	`data` blob NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `chunks_blob_idx` ON `chunks` (`blob_id`,`idx`);