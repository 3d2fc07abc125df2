/**
 * The seed README's S3 examples, run exactly as written (only the port differs): its curl
 * lines with the real curl, and its AWS CLI block with the real AWS CLI in a throw-away
 * configuration directory.
 */
import { execFile } from "node:child_process";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { scratchDir } from "../helpers/scratch-dir";

const run = promisify(execFile);

/** One seed line: replace `localhost:8080` by the test stack and split like a shell would. */
function seedCommand(line: string, port: string): string[] {
  const args: string[] = [];
  for (const match of line.replace("localhost:8080", `localhost:${port}`).matchAll(/"([^"]*)"|(\S+)/g)) args.push(match[1] ?? match[2]!);
  return args;
}

async function curl(line: string, port: string): Promise<string> {
  const [command, ...args] = seedCommand(line, port);
  expect(command).toBe("curl");
  const { stdout } = await run("curl", ["-sS", "--fail-with-body", ...args]);
  return stdout;
}

describe("seed README examples", () => {
  const port = new URL(inject("endpoint")).port;

  it("curl › the seed's basic operations work as written", async () => {
    expect(await curl("curl -X PUT http://localhost:8080/test-bucket/", port)).toBe("");
    await curl('curl -X PUT http://localhost:8080/test-bucket/test.txt -H "Content-Type: text/plain" -d "Hello MockS3!"', port);
    expect(await curl("curl http://localhost:8080/test-bucket/test.txt", port)).toBe("Hello MockS3!");
    const listing = await curl("curl http://localhost:8080/test-bucket/", port);
    expect(listing).toContain("<Key>test.txt</Key>");
    expect(listing).toContain("<Size>13</Size>");
    const head = await curl("curl -I http://localhost:8080/test-bucket/test.txt", port);
    expect(head).toMatch(/^HTTP\/1\.1 200/);
    expect(head).toMatch(/content-type: text\/plain/i);
    expect(head).toMatch(/content-length: 13/i);
    await curl("curl -X DELETE http://localhost:8080/test-bucket/test.txt", port);
    const after = await run("curl", ["-s", "-o", "/dev/null", "-w", "%{http_code}", `http://localhost:${port}/test-bucket/test.txt`]);
    expect(after.stdout).toBe("404");
  });

  describe("AWS CLI", () => {
    let env: NodeJS.ProcessEnv;
    let work: string;
    let cli: { version: string; endpointFromEnv: boolean };

    beforeAll(async () => {
      work = await scratchDir("mocks3-cli");
      env = {
        ...process.env,
        AWS_CONFIG_FILE: path.join(work, "config"),
        AWS_SHARED_CREDENTIALS_FILE: path.join(work, "credentials"),
        AWS_ENDPOINT_URL: `http://localhost:${port}`,
        AWS_ACCESS_KEY_ID: "",
        AWS_SECRET_ACCESS_KEY: "",
        AWS_PROFILE: "",
      };
      delete env.AWS_ACCESS_KEY_ID;
      delete env.AWS_SECRET_ACCESS_KEY;
      delete env.AWS_PROFILE;
      delete env.AWS_DEFAULT_REGION;
      const { stdout, stderr } = await run("aws", ["--version"], { env });
      const version = (stdout || stderr).trim();
      // AWS_ENDPOINT_URL arrived in AWS CLI v1.29 / v2.13 (2023); older CLIs need --endpoint-url.
      const [, major, minor] = /aws-cli\/(\d+)\.(\d+)/.exec(version) ?? [];
      cli = { version, endpointFromEnv: Number(major) === 1 ? Number(minor) >= 29 : Number(minor) >= 13 };
      await writeFile(path.join(work, "file.txt"), "hello from the AWS CLI\n");
    });

    async function aws(line: string): Promise<string> {
      const args = line.split(/\s+/).slice(1);
      if (!cli.endpointFromEnv) args.push("--endpoint-url", env.AWS_ENDPOINT_URL!);
      const { stdout } = await run("aws", args, { env, cwd: work });
      return stdout;
    }

    // Nine AWS CLI runs, each starting Python.
    it("AWS CLI › the seed's configure, mb, cp, ls and rm work as written", { timeout: 120_000 }, async () => {
      for (const line of [
        "aws configure set aws_access_key_id test",
        "aws configure set aws_secret_access_key test",
        "aws configure set default.region us-east-1",
        "aws configure set default.output json",
      ]) {
        await run("aws", line.split(" ").slice(1), { env });
      }
      expect(await aws("aws s3 mb s3://my-bucket")).toContain("make_bucket: my-bucket");
      expect(await aws("aws s3 cp file.txt s3://my-bucket/")).toContain("upload: ./file.txt to s3://my-bucket/file.txt");
      expect(await aws("aws s3 ls s3://my-bucket/")).toMatch(/\s23 file\.txt/);
      expect(await aws("aws s3 rm s3://my-bucket/file.txt")).toContain("delete: s3://my-bucket/file.txt");
      expect(await aws("aws s3 ls s3://my-bucket/")).toBe("");
    });
  });
});
