CREATE TABLE `recorded_decisions` (
	`recording_id` text NOT NULL,
	`seq` integer NOT NULL,
	`body` text NOT NULL,
	PRIMARY KEY(`recording_id`, `seq`)
);
--> statement-breakpoint
CREATE TABLE `recordings` (
	`id` text PRIMARY KEY NOT NULL,
	`started_at` text NOT NULL,
	`stopped_at` text,
	`stop_reason` text,
	`decisions` integer NOT NULL,
	`max_decisions` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `replay_decisions` (
	`seq` integer PRIMARY KEY NOT NULL,
	`gate` text NOT NULL,
	`body` text NOT NULL,
	`used` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `replay_decisions_gate` ON `replay_decisions` (`gate`,`seq`);--> statement-breakpoint
CREATE TABLE `replay_state` (
	`id` integer PRIMARY KEY NOT NULL,
	`replay_id` text NOT NULL,
	`recording_id` text NOT NULL,
	`started_at` text NOT NULL,
	`decisions` integer NOT NULL,
	`replayed` integer NOT NULL,
	`unknown` integer NOT NULL,
	`ready` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `replay_unknown` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`body` text NOT NULL
);
