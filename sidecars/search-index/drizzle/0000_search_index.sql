CREATE TABLE `dead_letters` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`bucket` text NOT NULL,
	`key` text NOT NULL,
	`event_name` text NOT NULL,
	`destination` text NOT NULL,
	`configuration_id` text NOT NULL,
	`attempts` integer NOT NULL,
	`reason` text NOT NULL,
	`failed_at` integer NOT NULL,
	`record` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `dead_letters_bucket` ON `dead_letters` (`bucket`,`id`);--> statement-breakpoint
CREATE TABLE `object_metadata` (
	`bucket` text NOT NULL,
	`key` text NOT NULL,
	`name` text NOT NULL,
	`value` text NOT NULL,
	PRIMARY KEY(`bucket`, `key`, `name`)
);
--> statement-breakpoint
CREATE INDEX `object_metadata_value` ON `object_metadata` (`name`,`value`);--> statement-breakpoint
CREATE TABLE `object_tags` (
	`bucket` text NOT NULL,
	`key` text NOT NULL,
	`name` text NOT NULL,
	`value` text NOT NULL,
	PRIMARY KEY(`bucket`, `key`, `name`)
);
--> statement-breakpoint
CREATE INDEX `object_tags_value` ON `object_tags` (`name`,`value`);--> statement-breakpoint
CREATE TABLE `objects` (
	`bucket` text NOT NULL,
	`key` text NOT NULL,
	`version_id` text NOT NULL,
	`size` integer NOT NULL,
	`etag` text NOT NULL,
	`content_type` text,
	`last_modified` integer NOT NULL,
	`user_metadata` text NOT NULL,
	`tags` text NOT NULL,
	`indexed_at` integer NOT NULL,
	PRIMARY KEY(`bucket`, `key`)
);
--> statement-breakpoint
CREATE INDEX `objects_size` ON `objects` (`bucket`,`size`);--> statement-breakpoint
CREATE INDEX `objects_modified` ON `objects` (`bucket`,`last_modified`);--> statement-breakpoint
CREATE INDEX `objects_type` ON `objects` (`bucket`,`content_type`);