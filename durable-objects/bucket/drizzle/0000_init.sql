CREATE TABLE `bucket` (
	`name` text PRIMARY KEY NOT NULL,
	`owner_id` text NOT NULL,
	`region` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `objects` (
	`key` text PRIMARY KEY NOT NULL,
	`size` integer NOT NULL,
	`etag` text NOT NULL,
	`last_modified` integer NOT NULL,
	`blob` text,
	`content_type` text,
	`content_encoding` text,
	`content_disposition` text,
	`content_language` text,
	`cache_control` text,
	`expires` text,
	`user_metadata` text NOT NULL,
	`tags` text NOT NULL,
	`checksum` text
);
