CREATE TABLE `experiments` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` text NOT NULL,
	`status` text NOT NULL,
	`body` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `experiments_status` ON `experiments` (`status`);--> statement-breakpoint
CREATE TABLE `samples` (
	`experiment_id` text NOT NULL,
	`t` integer NOT NULL,
	`values` text NOT NULL,
	PRIMARY KEY(`experiment_id`, `t`)
);
