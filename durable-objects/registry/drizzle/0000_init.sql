CREATE TABLE `buckets` (
	`name` text PRIMARY KEY NOT NULL,
	`owner_id` text NOT NULL,
	`region` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `buckets_owner` ON `buckets` (`owner_id`,`name`);