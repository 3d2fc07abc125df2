/**
 * Bucket configurations stored and read back (workers/gateway/src/bucket-config): the read
 * calls Terraform's S3 bucket resource makes on every refresh, each answered as S3 answers a
 * new bucket (no 501); each configuration's round trip with the JS SDK and its removal; S3's
 * validation errors; another key refused; a sample through the AWS CLI's s3api.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import {
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteBucketEncryptionCommand,
  DeleteBucketLifecycleCommand,
  DeleteBucketOwnershipControlsCommand,
  DeleteBucketPolicyCommand,
  DeleteBucketReplicationCommand,
  DeleteBucketTaggingCommand,
  DeleteBucketWebsiteCommand,
  DeletePublicAccessBlockCommand,
  GetBucketAccelerateConfigurationCommand,
  GetBucketEncryptionCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketLoggingCommand,
  GetBucketOwnershipControlsCommand,
  GetBucketPolicyCommand,
  GetBucketPolicyStatusCommand,
  GetBucketReplicationCommand,
  GetBucketRequestPaymentCommand,
  GetBucketTaggingCommand,
  GetBucketVersioningCommand,
  GetBucketWebsiteCommand,
  GetObjectAttributesCommand,
  GetObjectLockConfigurationCommand,
  GetPublicAccessBlockCommand,
  PutBucketAccelerateConfigurationCommand,
  PutBucketEncryptionCommand,
  PutBucketLifecycleConfigurationCommand,
  PutBucketLoggingCommand,
  PutBucketOwnershipControlsCommand,
  PutBucketPolicyCommand,
  PutBucketReplicationCommand,
  PutBucketRequestPaymentCommand,
  PutBucketTaggingCommand,
  PutBucketVersioningCommand,
  PutBucketWebsiteCommand,
  PutObjectCommand,
  PutObjectLockConfigurationCommand,
  PutPublicAccessBlockCommand,
  UploadPartCommand,
} from "@aws-sdk/client-s3";
import { describe, expect, inject, it } from "vitest";
import { checkRule } from "../../shared/faults/rule";
import { OTHER_KEY } from "../helpers/credentials";
import { endpoint, newBucket, s3Client, s3Error, signer, uniqueBucketName } from "../helpers/s3";

const s3 = s3Client();
const other = s3Client(OTHER_KEY);

/** The read calls of Terraform's aws_s3_bucket refresh (provider v5), with what S3 answers for a new bucket. */
const TERRAFORM_REFRESH: Array<[query: string, status: number, code?: string]> = [
  ["policy", 404, "NoSuchBucketPolicy"],
  ["acl", 200],
  ["cors", 404, "NoSuchCORSConfiguration"],
  ["website", 404, "NoSuchWebsiteConfiguration"],
  ["versioning", 200],
  ["accelerate", 200],
  ["requestPayment", 200],
  ["logging", 200],
  ["lifecycle", 404, "NoSuchLifecycleConfiguration"],
  ["replication", 404, "ReplicationConfigurationNotFoundError"],
  ["encryption", 200],
  ["object-lock", 404, "ObjectLockConfigurationNotFoundError"],
  ["tagging", 404, "NoSuchTagSet"],
  ["location", 200],
  ["ownershipControls", 200],
  ["publicAccessBlock", 200],
  ["policyStatus", 404, "NoSuchBucketPolicy"],
];

const policyOf = (bucket: string, principal: unknown = "*", extra: Record<string, unknown> = {}) =>
  JSON.stringify({ Version: "2012-10-17", Statement: [{ Sid: "PublicRead", Effect: "Allow", Principal: principal, Action: "s3:GetObject", Resource: `arn:aws:s3:::${bucket}/*`, ...extra }] });

describe("bucket configurations", () => {
  it("Terraform refresh › every read of a new bucket answers as S3 does, none 501", async () => {
    const bucket = await newBucket("tf-refresh");
    for (const [query, status, code] of TERRAFORM_REFRESH) {
      const response = await signer().fetch(`${endpoint()}/${bucket}?${query}`);
      const text = await response.text();
      expect(response.status, `GET ?${query}: ${text}`).toBe(status);
      if (code) expect(text, query).toContain(`<Code>${code}</Code>`);
    }
    // S3's defaults for a bucket made since 2023
    expect((await s3.send(new GetBucketEncryptionCommand({ Bucket: bucket }))).ServerSideEncryptionConfiguration?.Rules).toEqual([
      { ApplyServerSideEncryptionByDefault: { SSEAlgorithm: "AES256" }, BucketKeyEnabled: false },
    ]);
    expect((await s3.send(new GetPublicAccessBlockCommand({ Bucket: bucket }))).PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      IgnorePublicAcls: true,
      BlockPublicPolicy: true,
      RestrictPublicBuckets: true,
    });
    expect((await s3.send(new GetBucketOwnershipControlsCommand({ Bucket: bucket }))).OwnershipControls?.Rules).toEqual([{ ObjectOwnership: "BucketOwnerEnforced" }]);
    expect((await s3.send(new GetBucketRequestPaymentCommand({ Bucket: bucket }))).Payer).toBe("BucketOwner");
    expect((await s3.send(new GetBucketAccelerateConfigurationCommand({ Bucket: bucket }))).Status).toBeUndefined();
    expect((await s3.send(new GetBucketLoggingCommand({ Bucket: bucket }))).LoggingEnabled).toBeUndefined();
  });

  it("tagging and policy › round-trip; a public policy only once the access block allows it; it comes back as written, with its public status; delete removes both", async () => {
    const bucket = await newBucket("tags-policy");
    const TagSet = [
      { Key: "team", Value: "chaos" },
      { Key: "cost-centre", Value: "" },
    ];
    expect((await s3.send(new PutBucketTaggingCommand({ Bucket: bucket, Tagging: { TagSet } }))).$metadata.httpStatusCode).toBe(204);
    expect((await s3.send(new GetBucketTaggingCommand({ Bucket: bucket }))).TagSet).toEqual(TagSet);
    const policy = policyOf(bucket);
    // a new bucket blocks public policies, as S3's have since 2023
    expect(await s3Error(s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: policy })))).toEqual({ code: "AccessDenied", status: 403 });
    const open = { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: false, RestrictPublicBuckets: false };
    await s3.send(new PutPublicAccessBlockCommand({ Bucket: bucket, PublicAccessBlockConfiguration: open }));
    expect((await s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: policy }))).$metadata.httpStatusCode).toBe(204);
    expect((await s3.send(new GetBucketPolicyCommand({ Bucket: bucket }))).Policy).toBe(policy);
    expect((await s3.send(new GetBucketPolicyStatusCommand({ Bucket: bucket }))).PolicyStatus?.IsPublic).toBe(true);
    await s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: policyOf(bucket, { AWS: "arn:aws:iam::123456789012:root" }) }));
    expect((await s3.send(new GetBucketPolicyStatusCommand({ Bucket: bucket }))).PolicyStatus?.IsPublic).toBe(false);
    expect((await s3.send(new DeleteBucketTaggingCommand({ Bucket: bucket }))).$metadata.httpStatusCode).toBe(204);
    expect((await s3.send(new DeleteBucketPolicyCommand({ Bucket: bucket }))).$metadata.httpStatusCode).toBe(204);
    expect(await s3Error(s3.send(new GetBucketTaggingCommand({ Bucket: bucket })))).toEqual({ code: "NoSuchTagSet", status: 404 });
    expect(await s3Error(s3.send(new GetBucketPolicyCommand({ Bucket: bucket })))).toEqual({ code: "NoSuchBucketPolicy", status: 404 });
  });

  it("lifecycle, encryption, website › round-trip and delete back to S3's answer for none", async () => {
    const bucket = await newBucket("lifecycle");
    const Rules = [
      { ID: "expire-logs", Status: "Enabled" as const, Filter: { Prefix: "logs/" }, Expiration: { Days: 30 } },
      { ID: "old-versions", Status: "Disabled" as const, Filter: { Prefix: "" }, NoncurrentVersionExpiration: { NoncurrentDays: 7 }, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 2 } },
    ];
    await s3.send(new PutBucketLifecycleConfigurationCommand({ Bucket: bucket, LifecycleConfiguration: { Rules } }));
    expect((await s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: bucket }))).Rules).toEqual(Rules);
    await s3.send(new DeleteBucketLifecycleCommand({ Bucket: bucket }));
    expect(await s3Error(s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: bucket })))).toEqual({ code: "NoSuchLifecycleConfiguration", status: 404 });

    const kms = { ApplyServerSideEncryptionByDefault: { SSEAlgorithm: "aws:kms" as const, KMSMasterKeyID: "arn:aws:kms:us-east-1:123456789012:key/abc" }, BucketKeyEnabled: true };
    await s3.send(new PutBucketEncryptionCommand({ Bucket: bucket, ServerSideEncryptionConfiguration: { Rules: [kms] } }));
    expect((await s3.send(new GetBucketEncryptionCommand({ Bucket: bucket }))).ServerSideEncryptionConfiguration?.Rules).toEqual([kms]);
    await s3.send(new DeleteBucketEncryptionCommand({ Bucket: bucket }));
    expect((await s3.send(new GetBucketEncryptionCommand({ Bucket: bucket }))).ServerSideEncryptionConfiguration?.Rules?.[0]?.ApplyServerSideEncryptionByDefault?.SSEAlgorithm).toBe("AES256");

    const WebsiteConfiguration = { IndexDocument: { Suffix: "index.html" }, ErrorDocument: { Key: "error.html" } };
    await s3.send(new PutBucketWebsiteCommand({ Bucket: bucket, WebsiteConfiguration }));
    const site = await s3.send(new GetBucketWebsiteCommand({ Bucket: bucket }));
    expect({ IndexDocument: site.IndexDocument, ErrorDocument: site.ErrorDocument }).toEqual(WebsiteConfiguration);
    await s3.send(new DeleteBucketWebsiteCommand({ Bucket: bucket }));
    expect(await s3Error(s3.send(new GetBucketWebsiteCommand({ Bucket: bucket })))).toEqual({ code: "NoSuchWebsiteConfiguration", status: 404 });
  });

  it("access block, ownership, accelerate, request payment, logging › round-trip; deleting the 2023 defaults leaves none", async () => {
    const bucket = await newBucket("settings");
    const open = { BlockPublicAcls: false, IgnorePublicAcls: false, BlockPublicPolicy: false, RestrictPublicBuckets: true };
    await s3.send(new PutPublicAccessBlockCommand({ Bucket: bucket, PublicAccessBlockConfiguration: open }));
    expect((await s3.send(new GetPublicAccessBlockCommand({ Bucket: bucket }))).PublicAccessBlockConfiguration).toEqual(open);
    await s3.send(new DeletePublicAccessBlockCommand({ Bucket: bucket }));
    expect(await s3Error(s3.send(new GetPublicAccessBlockCommand({ Bucket: bucket })))).toEqual({ code: "NoSuchPublicAccessBlockConfiguration", status: 404 });

    await s3.send(new PutBucketOwnershipControlsCommand({ Bucket: bucket, OwnershipControls: { Rules: [{ ObjectOwnership: "ObjectWriter" }] } }));
    expect((await s3.send(new GetBucketOwnershipControlsCommand({ Bucket: bucket }))).OwnershipControls?.Rules).toEqual([{ ObjectOwnership: "ObjectWriter" }]);
    await s3.send(new DeleteBucketOwnershipControlsCommand({ Bucket: bucket }));
    expect(await s3Error(s3.send(new GetBucketOwnershipControlsCommand({ Bucket: bucket })))).toEqual({ code: "OwnershipControlsNotFoundError", status: 404 });

    await s3.send(new PutBucketAccelerateConfigurationCommand({ Bucket: bucket, AccelerateConfiguration: { Status: "Enabled" } }));
    expect((await s3.send(new GetBucketAccelerateConfigurationCommand({ Bucket: bucket }))).Status).toBe("Enabled");
    await s3.send(new PutBucketRequestPaymentCommand({ Bucket: bucket, RequestPaymentConfiguration: { Payer: "Requester" } }));
    expect((await s3.send(new GetBucketRequestPaymentCommand({ Bucket: bucket }))).Payer).toBe("Requester");

    const target = await newBucket("log-target");
    await s3.send(new PutBucketLoggingCommand({ Bucket: bucket, BucketLoggingStatus: { LoggingEnabled: { TargetBucket: target, TargetPrefix: "access/" } } }));
    expect((await s3.send(new GetBucketLoggingCommand({ Bucket: bucket }))).LoggingEnabled).toEqual({ TargetBucket: target, TargetPrefix: "access/" });
    await s3.send(new PutBucketLoggingCommand({ Bucket: bucket, BucketLoggingStatus: {} }));
    expect((await s3.send(new GetBucketLoggingCommand({ Bucket: bucket }))).LoggingEnabled).toBeUndefined();
  });

  it("replication and object lock › need versioning enabled, then round-trip", async () => {
    const bucket = await newBucket("replicated");
    const ReplicationConfiguration = {
      Role: "arn:aws:iam::123456789012:role/replication",
      Rules: [
        { ID: "all", Status: "Enabled" as const, Priority: 1, Filter: { Prefix: "" }, DeleteMarkerReplication: { Status: "Disabled" as const }, Destination: { Bucket: "arn:aws:s3:::backup-bucket" } },
      ],
    };
    expect(await s3Error(s3.send(new PutBucketReplicationCommand({ Bucket: bucket, ReplicationConfiguration })))).toEqual({ code: "InvalidRequest", status: 400 });
    const lock = { ObjectLockEnabled: "Enabled" as const, Rule: { DefaultRetention: { Mode: "GOVERNANCE" as const, Days: 3 } } };
    expect(await s3Error(s3.send(new PutObjectLockConfigurationCommand({ Bucket: bucket, ObjectLockConfiguration: lock })))).toEqual({ code: "InvalidBucketState", status: 409 });

    await s3.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: "Enabled" } }));
    await s3.send(new PutBucketReplicationCommand({ Bucket: bucket, ReplicationConfiguration }));
    expect((await s3.send(new GetBucketReplicationCommand({ Bucket: bucket }))).ReplicationConfiguration).toEqual(ReplicationConfiguration);
    await s3.send(new DeleteBucketReplicationCommand({ Bucket: bucket }));
    expect(await s3Error(s3.send(new GetBucketReplicationCommand({ Bucket: bucket })))).toEqual({ code: "ReplicationConfigurationNotFoundError", status: 404 });
    await s3.send(new PutObjectLockConfigurationCommand({ Bucket: bucket, ObjectLockConfiguration: lock }));
    expect((await s3.send(new GetObjectLockConfigurationCommand({ Bucket: bucket }))).ObjectLockConfiguration).toEqual(lock);
  });

  it("validation › refused with S3's codes, and nothing stored", async () => {
    const bucket = await newBucket("invalid");
    // any command of the SDK (their types differ per command)
    const fails = (command: any) => s3Error(s3.send(command));
    const tooMany = Array.from({ length: 51 }, (_, i) => ({ Key: `k${i}`, Value: "v" }));
    expect(await fails(new PutBucketTaggingCommand({ Bucket: bucket, Tagging: { TagSet: tooMany } }))).toEqual({ code: "InvalidTag", status: 400 });
    expect(await fails(new PutBucketTaggingCommand({ Bucket: bucket, Tagging: { TagSet: [{ Key: "aws:reserved", Value: "x" }] } }))).toEqual({ code: "InvalidTag", status: 400 });
    for (const policy of [
      "not json",
      "[]",
      JSON.stringify({ Statement: [] }),
      policyOf("someone-elses-bucket"),
      policyOf(bucket, "*", { Action: "ec2:RunInstances" }),
      policyOf(bucket, "*", { Effect: "Maybe" }),
    ]) {
      expect(await fails(new PutBucketPolicyCommand({ Bucket: bucket, Policy: policy })), policy).toEqual({ code: "MalformedPolicy", status: 400 });
    }
    expect(await fails(new PutBucketLifecycleConfigurationCommand({ Bucket: bucket, LifecycleConfiguration: { Rules: [{ ID: "none", Status: "Enabled", Filter: { Prefix: "" } }] } }))).toEqual({
      code: "InvalidRequest",
      status: 400,
    });
    const twice = { ID: "same", Status: "Enabled" as const, Filter: { Prefix: "" }, Expiration: { Days: 1 } };
    expect(await fails(new PutBucketLifecycleConfigurationCommand({ Bucket: bucket, LifecycleConfiguration: { Rules: [twice, twice] } }))).toEqual({ code: "InvalidArgument", status: 400 });
    expect(await fails(new PutBucketLifecycleConfigurationCommand({ Bucket: bucket, LifecycleConfiguration: { Rules: [{ ...twice, Expiration: { Days: 0 } }] } }))).toEqual({
      code: "InvalidArgument",
      status: 400,
    });
    const aesWithKey = { ApplyServerSideEncryptionByDefault: { SSEAlgorithm: "AES256" as const, KMSMasterKeyID: "key" } };
    expect(await fails(new PutBucketEncryptionCommand({ Bucket: bucket, ServerSideEncryptionConfiguration: { Rules: [aesWithKey] } }))).toEqual({ code: "InvalidArgument", status: 400 });
    expect(await fails(new PutBucketWebsiteCommand({ Bucket: bucket, WebsiteConfiguration: { ErrorDocument: { Key: "e.html" } } }))).toEqual({ code: "InvalidArgument", status: 400 });
    expect(await fails(new PutBucketLoggingCommand({ Bucket: bucket, BucketLoggingStatus: { LoggingEnabled: { TargetBucket: "no-such-target-bucket-xyz", TargetPrefix: "" } } }))).toEqual({
      code: "InvalidTargetBucketForLogging",
      status: 400,
    });
    const raw = await signer().fetch(`${endpoint()}/${bucket}?ownershipControls`, {
      method: "PUT",
      body: "<OwnershipControls><Rule><ObjectOwnership>Everyone</ObjectOwnership></Rule></OwnershipControls>",
    });
    expect(raw.status).toBe(400);
    expect(await raw.text()).toContain("<Code>MalformedXML</Code>");
    // nothing of the refused documents was kept
    expect(await fails(new GetBucketTaggingCommand({ Bucket: bucket }))).toEqual({ code: "NoSuchTagSet", status: 404 });
    expect(await fails(new GetBucketPolicyCommand({ Bucket: bucket }))).toEqual({ code: "NoSuchBucketPolicy", status: 404 });
    expect(await fails(new GetBucketLifecycleConfigurationCommand({ Bucket: bucket }))).toEqual({ code: "NoSuchLifecycleConfiguration", status: 404 });
    expect((await s3.send(new GetBucketOwnershipControlsCommand({ Bucket: bucket }))).OwnershipControls?.Rules).toEqual([{ ObjectOwnership: "BucketOwnerEnforced" }]);
  });

  it("owners › another key can neither read nor change a bucket's configuration", async () => {
    const bucket = await newBucket("owned");
    expect(await s3Error(other.send(new GetBucketEncryptionCommand({ Bucket: bucket })))).toEqual({ code: "AccessDenied", status: 403 });
    expect(await s3Error(other.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: policyOf(bucket) })))).toEqual({ code: "AccessDenied", status: 403 });
    expect(await s3Error(other.send(new GetBucketPolicyCommand({ Bucket: bucket })))).toEqual({ code: "AccessDenied", status: 403 });
  });

  it("CreateBucket › object lock enabled at creation turns versioning on; the ownership header is kept", async () => {
    const locked = uniqueBucketName("locked");
    await s3.send(new CreateBucketCommand({ Bucket: locked, ObjectLockEnabledForBucket: true, ObjectOwnership: "ObjectWriter" }));
    expect((await s3.send(new GetBucketVersioningCommand({ Bucket: locked }))).Status).toBe("Enabled");
    expect((await s3.send(new GetObjectLockConfigurationCommand({ Bucket: locked }))).ObjectLockConfiguration).toEqual({ ObjectLockEnabled: "Enabled" });
    expect((await s3.send(new GetBucketOwnershipControlsCommand({ Bucket: locked }))).OwnershipControls?.Rules).toEqual([{ ObjectOwnership: "ObjectWriter" }]);
    const refused = await signer().fetch(`${endpoint()}/${uniqueBucketName("bad-owner")}`, { method: "PUT", headers: { "x-amz-object-ownership": "Everyone" } });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain("<Code>InvalidArgument</Code>");
  });

  it("GetObjectAttributes › the attributes asked for, of a single PUT and of a multipart object", async () => {
    const bucket = await newBucket("attributes");
    const put = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "one", Body: "attribute bytes", ChecksumAlgorithm: "CRC32" }));
    const one = await s3.send(new GetObjectAttributesCommand({ Bucket: bucket, Key: "one", ObjectAttributes: ["ETag", "Checksum", "StorageClass", "ObjectSize"] }));
    expect(one.ETag).toBe(put.ETag!.replaceAll('"', ""));
    expect(one.ObjectSize).toBe(15);
    expect(one.StorageClass).toBe("STANDARD");
    expect(one.Checksum?.ChecksumCRC32).toBe(put.ChecksumCRC32);
    expect(one.ObjectParts).toBeUndefined();
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: "parts" }));
    const part = await s3.send(new UploadPartCommand({ Bucket: bucket, Key: "parts", UploadId, PartNumber: 1, Body: "only part" }));
    await s3.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: "parts", UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] } }));
    const parts = await s3.send(new GetObjectAttributesCommand({ Bucket: bucket, Key: "parts", ObjectAttributes: ["ObjectParts", "ObjectSize"] }));
    expect(parts.ObjectParts?.TotalPartsCount).toBe(1);
    expect(parts.ObjectSize).toBe(9);
    expect(parts.ETag).toBeUndefined();
    const unknown = await signer().fetch(`${endpoint()}/${bucket}/one?attributes`, { headers: { "x-amz-object-attributes": "ETag,Colour" } });
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toContain("<Code>InvalidArgument</Code>");
    expect(await s3Error(s3.send(new GetObjectAttributesCommand({ Bucket: bucket, Key: "missing", ObjectAttributes: ["ETag"] })))).toEqual({ code: "NoSuchKey", status: 404 });
  });

  it("fault rules › every new operation is a valid operation condition", () => {
    for (const operation of ["GetBucketPolicy", "PutBucketLifecycleConfiguration", "GetPublicAccessBlock", "GetObjectLockConfiguration", "GetObjectAttributes"]) {
      expect(checkRule({ name: "r", service: "gateway", conditions: [{ type: "operation", value: operation }], action: { type: "slow_down" } }).ok, operation).toBe(true);
    }
  });

  it("AWS CLI › s3api put-bucket-tagging, get-bucket-tagging and get-public-access-block", { timeout: 60_000 }, async () => {
    const bucket = await newBucket("cli-config");
    const env = { ...process.env, AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test", AWS_DEFAULT_REGION: "us-east-1", AWS_CONFIG_FILE: "/dev/null", AWS_SHARED_CREDENTIALS_FILE: "/dev/null" };
    const aws = async (...args: string[]) => (await promisify(execFile)("aws", ["--endpoint-url", inject("endpoint"), "--output", "json", "s3api", ...args, "--bucket", bucket], { env })).stdout;
    await aws("put-bucket-tagging", "--tagging", "TagSet=[{Key=env,Value=test}]");
    expect(JSON.parse(await aws("get-bucket-tagging"))).toEqual({ TagSet: [{ Key: "env", Value: "test" }] });
    expect(JSON.parse(await aws("get-public-access-block")).PublicAccessBlockConfiguration.BlockPublicPolicy).toBe(true);
  });
});
