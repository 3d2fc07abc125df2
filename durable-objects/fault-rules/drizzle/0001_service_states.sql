CREATE TABLE `service_states` (
	`key` text PRIMARY KEY NOT NULL,
	`anomaly_id` text NOT NULL,
	`mode` text,
	`until` text NOT NULL
);
