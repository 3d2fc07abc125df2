-- Chunk rows record their size; new chunks' bytes are files in the node's disk directory (data null), existing rows keep theirs.
CREATE TABLE `__new_chunks` (
	`blob_id` text NOT NULL,
	`idx` integer NOT NULL,
	`bytes` integer NOT NULL,
	`data` blob
);
--> statement-breakpoint
INSERT INTO `__new_chunks`("blob_id", "idx", "bytes", "data") SELECT "blob_id", "idx", length("data"), "data" FROM `chunks`;--> statement-breakpoint
DROP TABLE `chunks`;--> statement-breakpoint
ALTER TABLE `__new_chunks` RENAME TO `chunks`;--> statement-breakpoint
CREATE UNIQUE INDEX `chunks_blob_idx` ON `chunks` (`blob_id`,`idx`);