CREATE TABLE `tasks` (
	`id` integer PRIMARY KEY NOT NULL,
	`node` text NOT NULL,
	`kind` text NOT NULL,
	`blob_id` text NOT NULL,
	`size` integer NOT NULL,
	`sources` text NOT NULL,
	`attempts` integer NOT NULL,
	`not_before` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `tasks_node` ON `tasks` (`node`,`not_before`);--> statement-breakpoint
CREATE INDEX `tasks_blob` ON `tasks` (`blob_id`,`node`);