CREATE TABLE `node_state` (
	`id` integer PRIMARY KEY NOT NULL,
	`down` integer NOT NULL
);
