/** The `versionId` query parameter: a version MockS3 made, or "null". */
import { S3Error } from "../../../../shared/s3-errors";

const VERSION_ID = /^(null|[0-9a-f]{32})$/;

export function versionIdOf(query: URLSearchParams): string | undefined {
  const versionId = query.get("versionId");
  if (versionId === null) return undefined;
  if (!VERSION_ID.test(versionId)) throw new S3Error("InvalidArgument", "Invalid version id specified", { ArgumentName: "versionId", ArgumentValue: versionId });
  return versionId;
}
