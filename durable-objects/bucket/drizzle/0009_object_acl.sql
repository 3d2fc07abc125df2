-- The version rows gain an ACL (and with it the version's owner), for buckets whose ownership
-- setting enables ACLs, and an index of the few with a restore, whose completion and expiry
-- the bucket announces. As in 0008, the table is rebuilt rather than altered so that `data`
-- stays the last column.
CREATE TABLE `versions_next` (
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
	`storage_class` text,
	`restore` text,
	`object_lock` text,
	`encryption` text,
	`acl` text,
	`data` blob,
	PRIMARY KEY(`key`, `seq`)
);--> statement-breakpoint
INSERT INTO `versions_next` (`key`, `seq`, `version_id`, `is_latest`, `delete_marker`, `size`, `etag`, `last_modified`, `blobs`, `content_type`, `content_encoding`, `content_disposition`, `content_language`, `cache_control`, `expires`, `user_metadata`, `tags`, `checksum`, `parts_count`, `storage_class`, `restore`, `object_lock`, `encryption`, `data`)
	SELECT `key`, `seq`, `version_id`, `is_latest`, `delete_marker`, `size`, `etag`, `last_modified`, `blobs`, `content_type`, `content_encoding`, `content_disposition`, `content_language`, `cache_control`, `expires`, `user_metadata`, `tags`, `checksum`, `parts_count`, `storage_class`, `restore`, `object_lock`, `encryption`, `data` FROM `versions`;--> statement-breakpoint
DROP TABLE `versions`;--> statement-breakpoint
ALTER TABLE `versions_next` RENAME TO `versions`;--> statement-breakpoint
CREATE UNIQUE INDEX `versions_key_version` ON `versions` (`key`,`version_id`);--> statement-breakpoint
CREATE INDEX `versions_current` ON `versions` (`key`) WHERE is_latest = 1 AND delete_marker = 0;--> statement-breakpoint
CREATE INDEX `versions_listing` ON `versions` (`key`,"seq" desc);--> statement-breakpoint
CREATE INDEX `versions_restoring` ON `versions` (`key`) WHERE "versions"."restore" IS NOT NULL;