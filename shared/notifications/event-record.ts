/**
 * An event as S3 sends it to a destination: one entry of `Records`, event version 2.1. Keys
 * are URL-encoded (a space as `+`, slashes kept) and ETags unquoted, as S3 writes them.
 */
import type { EventBatch, NotificationTarget, ObjectEvent } from "./object-events";

export interface S3EventRecord {
  eventVersion: "2.1";
  eventSource: "aws:s3";
  awsRegion: string;
  eventTime: string;
  eventName: string;
  userIdentity: { principalId: string };
  requestParameters: { sourceIPAddress: string };
  responseElements: { "x-amz-request-id": string; "x-amz-id-2": string };
  s3: {
    s3SchemaVersion: "1.0";
    configurationId: string;
    bucket: { name: string; ownerIdentity: { principalId: string }; arn: string };
    object: { key: string; size?: number; eTag?: string; versionId?: string; sequencer: string };
  };
}

export function eventRecord(event: ObjectEvent, bucket: NonNullable<EventBatch["bucket"]>, target: NotificationTarget): S3EventRecord {
  const object: S3EventRecord["s3"]["object"] = { key: encodeKey(event.key), sequencer: sequencer(event.seq) };
  if (event.size !== undefined) object.size = event.size;
  if (event.etag) object.eTag = event.etag.replace(/"/g, "");
  if (event.versionId !== undefined && event.versionId !== "null") object.versionId = event.versionId;
  return {
    eventVersion: "2.1",
    eventSource: "aws:s3",
    awsRegion: bucket.region,
    eventTime: new Date(event.time).toISOString(),
    eventName: event.name,
    userIdentity: { principalId: event.principal ?? bucket.ownerId },
    requestParameters: { sourceIPAddress: event.sourceIp ?? "127.0.0.1" },
    responseElements: { "x-amz-request-id": event.requestId ?? "", "x-amz-id-2": event.requestId ?? "" },
    s3: {
      s3SchemaVersion: "1.0",
      configurationId: target.id,
      bucket: { name: bucket.name, ownerIdentity: { principalId: bucket.ownerId }, arn: `arn:aws:s3:::${bucket.name}` },
      object,
    },
  };
}

export function encodeKey(key: string): string {
  return encodeURIComponent(key).replace(/%2F/g, "/").replace(/%20/g, "+");
}

/** Hex of the bucket's event sequence, zero-padded, so that later events compare greater as strings too. */
function sequencer(seq: number): string {
  return seq.toString(16).toUpperCase().padStart(16, "0");
}
