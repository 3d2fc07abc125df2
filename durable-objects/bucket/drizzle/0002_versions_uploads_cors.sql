CREATE TABLE `parts` (
	`upload_id` text NOT NULL,
	`part_number` integer NOT NULL,
	`size` integer NOT NULL,
	`etag` text NOT NULL,
	`last_modified` integer NOT NULL,
	`blob` text,
	`checksum` text,
	PRIMARY KEY(`upload_id`, `part_number`)
);
--> statement-breakpoint
CREATE TABLE `uploads` (
	`upload_id` text PRIMARY KEY NOT NULL,
	`key` text NOT NULL,
	`initiated` integer NOT NULL,
	`template` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `uploads_key` ON `uploads` (`key`,`initiated`,`upload_id`);--> statement-breakpoint
CREATE TABLE `versions` (
	`key` text NOT NULL,
	`seq` integer NOT NULL,
	`version_id` text NOT NULL,
	`is_latest` integer NOT NULL,
	`delete_marker` integer NOT NULL,
	`size` integer NOT NULL,
	`etag` text NOT NULL,
	`last_modified` integer NOT NULL,
	`blobs` text NOT NULL,
	`content_type` text,
	`content_encoding` text,
	`content_disposition` text,
	`content_language` text,
	`cache_control` text,
	`expires` text,
	`user_metadata` text NOT NULL,
	`tags` text NOT NULL,
	`checksum` text,
	`parts_count` integer,
	`data` blob,
	PRIMARY KEY(`key`, `seq`)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `versions_key_version` ON `versions` (`key`,`version_id`);--> statement-breakpoint
CREATE INDEX `versions_current` ON `versions` (`key`) WHERE is_latest = 1 AND delete_marker = 0;--> statement-breakpoint
ALTER TABLE `bucket` ADD `versioning` text DEFAULT 'Unversioned' NOT NULL;--> statement-breakpoint
ALTER TABLE `bucket` ADD `cors` text;--> statement-breakpoint
-- Every object written before versioning becomes the "null" version of its key; its blob
-- reference gains the replica list of the storage nodes.
INSERT INTO `versions` (`key`, `seq`, `version_id`, `is_latest`, `delete_marker`, `size`, `etag`, `last_modified`, `blobs`,
  `content_type`, `content_encoding`, `content_disposition`, `content_language`, `cache_control`, `expires`,
  `user_metadata`, `tags`, `checksum`, `parts_count`, `data`)
SELECT `key`, rowid, 'null', 1, 0, `size`, `etag`, `last_modified`,
  CASE WHEN `blob` IS NULL THEN '[]' ELSE json_array(json_object('id', json_extract(`blob`, '$.id'), 'size', json_extract(`blob`, '$.size'), 'nodes', json_array(json_extract(`blob`, '$.node')))) END,
  `content_type`, `content_encoding`, `content_disposition`, `content_language`, `cache_control`, `expires`,
  `user_metadata`, `tags`, `checksum`, NULL, `data`
FROM `objects`;
