CREATE TABLE `events` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`key` text NOT NULL,
	`version_id` text,
	`size` integer,
	`etag` text,
	`time` integer NOT NULL,
	`request_id` text,
	`source_ip` text,
	`principal` text
);
--> statement-breakpoint
ALTER TABLE `bucket` ADD `notification` text;