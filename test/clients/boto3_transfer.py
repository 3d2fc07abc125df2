"""boto3's managed transfer against MockS3: upload_file in parts, download_file in ranges.

Usage: boto3_transfer.py <endpoint> <bucket> <file> <downloaded file>
Prints one JSON line: the ETag and length HEAD reports, and the part count of part 1.
"""
import json
import sys

import boto3
from boto3.s3.transfer import TransferConfig

endpoint, bucket, source, target = sys.argv[1:5]
s3 = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1")
config = TransferConfig(multipart_threshold=8 * 1024 * 1024, multipart_chunksize=8 * 1024 * 1024, max_concurrency=4)
s3.upload_file(source, bucket, "boto3/object.bin", Config=config)
s3.download_file(bucket, "boto3/object.bin", target, Config=config)
head = s3.head_object(Bucket=bucket, Key="boto3/object.bin")
part = s3.head_object(Bucket=bucket, Key="boto3/object.bin", PartNumber=1)
print(json.dumps({"etag": head["ETag"], "length": head["ContentLength"], "parts": part.get("PartsCount")}))
