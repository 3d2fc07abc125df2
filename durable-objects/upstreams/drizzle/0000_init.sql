CREATE TABLE `upstreams` (
	`bucket` text PRIMARY KEY NOT NULL,
	`endpoint` text NOT NULL,
	`upstream_bucket` text NOT NULL,
	`region` text NOT NULL,
	`access_key_id` text NOT NULL,
	`secret_access_key` text NOT NULL,
	`force_path_style` integer NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
