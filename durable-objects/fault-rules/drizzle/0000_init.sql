CREATE TABLE `fault_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`time` text NOT NULL,
	`rule_id` text NOT NULL,
	`rule_name` text NOT NULL,
	`service` text NOT NULL,
	`operation` text NOT NULL,
	`bucket` text NOT NULL,
	`key` text NOT NULL,
	`action` text NOT NULL,
	`request_id` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `fault_events_rule` ON `fault_events` (`rule_id`,`id`);--> statement-breakpoint
CREATE TABLE `rule_counts` (
	`rule_id` text PRIMARY KEY NOT NULL,
	`rule_name` text NOT NULL,
	`service` text NOT NULL,
	`action` text NOT NULL,
	`matched` integer NOT NULL,
	`injected` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `rule_set_state` (
	`id` integer PRIMARY KEY NOT NULL,
	`version` integer NOT NULL,
	`epoch` integer NOT NULL,
	`seed` integer,
	`since` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `rules` (
	`id` text PRIMARY KEY NOT NULL,
	`body` text NOT NULL
);
