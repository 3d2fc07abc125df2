/**
 * The blob files, when `npm start` gave the gateway the disk service that holds them
 * (shared/blob-files.ts): the gateway then writes and reads chunks itself, and asks
 * storage-service only where. Without it (wrangler dev) every byte goes through
 * storage-service.
 */
import { BlobFiles } from "../../../../shared/blob-files";

export function blobFiles(env: GatewayEnv): BlobFiles | undefined {
  const disk = (env as GatewayEnv & { BLOB_DISK?: Fetcher }).BLOB_DISK;
  return disk && new BlobFiles(disk);
}
