/**
 * A few lines of Python run with the machine's real boto3, against the suite's stack: the
 * lines find `s3` (a client with the default key), `json` and `args` (the JSON value passed
 * in), and print one JSON value, which is returned.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { DEFAULT_KEY } from "./credentials";
import { endpoint } from "./s3";

const run = promisify(execFile);

export interface Boto3Options {
  /** botocore's `signature_version`, e.g. "s3" for SigV2 */
  signatureVersion?: string;
  args?: unknown;
}

export async function boto3Json<T>(lines: string[], { signatureVersion, args = null }: Boto3Options = {}): Promise<T> {
  const config = signatureVersion ? `, config=Config(signature_version=${JSON.stringify(signatureVersion)})` : "";
  const script = [
    "import boto3, json, sys",
    "from botocore.config import Config",
    "args = json.loads(sys.argv[1])",
    `s3 = boto3.client("s3", endpoint_url=${JSON.stringify(endpoint())}, aws_access_key_id=${JSON.stringify(DEFAULT_KEY.accessKeyId)}, aws_secret_access_key=${JSON.stringify(DEFAULT_KEY.secretAccessKey)}, region_name="us-east-1"${config})`,
    ...lines,
  ].join("\n");
  const { stdout } = await run("python3", ["-c", script, JSON.stringify(args)]);
  return JSON.parse(stdout) as T;
}
