-- SSE-C: each upload of a part draws its own counter value, kept with the part, so that a
-- part uploaded again never reuses a keystream.
ALTER TABLE `parts` ADD `cipher_part` integer;