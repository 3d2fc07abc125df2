/**
 * PutBucketNotificationConfiguration and GetBucketNotificationConfiguration. The targets live
 * in the bucket's Durable Object, beside the outbox of object events that queue-service
 * delivers to them (workers/queue-service). A bucket without targets answers an empty
 * configuration, as S3 does.
 */
import { unwrap } from "../../../../shared/s3-errors";
import { readBodyText } from "../body/read-body";
import { checkDestinations, MAX_NOTIFICATION_DOCUMENT_BYTES, notificationConfigurationXml, parseNotificationConfiguration } from "../notifications/configuration";
import { bucketObject, type S3Context, type S3Result } from "../s3/context";

export async function putBucketNotification(ctx: S3Context): Promise<S3Result> {
  const targets = parseNotificationConfiguration(await readBodyText(ctx, MAX_NOTIFICATION_DOCUMENT_BYTES));
  await checkDestinations(targets, ctx.env.MOCKS3_DESTINATION_GUARD);
  unwrap(await bucketObject(ctx).setNotification(ctx.caller, targets));
  return {};
}

export async function getBucketNotification(ctx: S3Context): Promise<S3Result> {
  return { xml: notificationConfigurationXml(unwrap(await bucketObject(ctx).getNotification(ctx.caller))) };
}
