/**
 * third-party-service's upstream API (8084): a bucket's upstream is set, read, listed and
 * deleted; bad input is refused with 400 and the reason; the secret is never read back.
 */
import { describe, expect, it } from "vitest";
import { uniqueBucketName } from "../helpers/s3";
import { upstreamsApi } from "../helpers/upstreams";

const SECRET = "never-shown-secret-0123456789";
const valid = { endpoint: "https://s3.eu-west-1.amazonaws.com", bucket: "source-bucket", region: "eu-west-1", access_key_id: "AKIDEXAMPLE", secret_access_key: SECRET };

describe("/api/v1/upstreams", () => {
  it("PUT creates (201), PUT again replaces (200); GET, the list and DELETE answer without the secret", async () => {
    const bucket = uniqueBucketName("upstream-api");
    const created = await upstreamsApi("PUT", `/${bucket}`, valid);
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ local_bucket: bucket, endpoint: valid.endpoint, bucket: "source-bucket", region: "eu-west-1", access_key_id: "AKIDEXAMPLE", force_path_style: false });
    const replaced = await upstreamsApi("PUT", `/${bucket}`, { ...valid, endpoint: "http://127.0.0.1:9000/", region: undefined });
    expect(replaced.status).toBe(200);
    // an IP address cannot be addressed virtual-hosted; the trailing slash is dropped; the region defaults
    expect(replaced.json).toMatchObject({ endpoint: "http://127.0.0.1:9000", force_path_style: true, region: "us-east-1", created_at: created.json.created_at });

    const one = await upstreamsApi("GET", `/${bucket}`);
    expect(one.status).toBe(200);
    expect(one.json.local_bucket).toBe(bucket);
    const list = await upstreamsApi("GET", "");
    expect(list.json.upstreams.map((u: { local_bucket: string }) => u.local_bucket)).toContain(bucket);
    for (const answer of [created, replaced, one, list]) {
      expect(answer.text).not.toContain(SECRET);
      expect(answer.text).not.toContain("secret_access_key");
    }

    expect((await upstreamsApi("DELETE", `/${bucket}`)).status).toBe(204);
    expect((await upstreamsApi("GET", `/${bucket}`)).status).toBe(404);
    expect((await upstreamsApi("DELETE", `/${bucket}`)).status).toBe(404);
  });

  it.each([
    ["no body", undefined, "no JSON body"],
    ["invalid JSON", "{", "not valid JSON"],
    ["a missing endpoint", { ...valid, endpoint: undefined }, "endpoint"],
    ["an endpoint that is not a URL", { ...valid, endpoint: "s3 please" }, "not a URL"],
    ["an endpoint of another scheme", { ...valid, endpoint: "ftp://example.com" }, "not http or https"],
    ["credentials in the endpoint", { ...valid, endpoint: "https://a:b@example.com" }, "credentials go in"],
    ["a bad upstream bucket name", { ...valid, bucket: "No_Such Bucket" }, "bucket"],
    ["an empty access key", { ...valid, access_key_id: "" }, "access_key_id"],
    ["a missing secret", { ...valid, secret_access_key: undefined }, "secret_access_key"],
    ["a bad region", { ...valid, region: "EU West" }, "region"],
    ["force_path_style not a boolean", { ...valid, force_path_style: "yes" }, "force_path_style"],
    ["virtual-hosted addressing of an IP address", { ...valid, endpoint: "http://127.0.0.1:9000", force_path_style: false }, "force_path_style"],
    ["an unknown field", { ...valid, colour: "blue" }, "colour"],
  ])("PUT with %s is refused with 400 and the reason", async (_, body, reason) => {
    const bucket = uniqueBucketName("upstream-bad");
    const answer = await upstreamsApi("PUT", `/${bucket}`, body);
    expect(answer.status).toBe(400);
    expect(answer.json.error).toBe("bad_request");
    expect(answer.json.reason).toContain(reason);
    expect((await upstreamsApi("GET", `/${bucket}`)).status).toBe(404);
  });

  it("PUT for a local bucket name S3 would refuse is 400", async () => {
    const answer = await upstreamsApi("PUT", "/Not_A_Bucket", valid);
    expect(answer.status).toBe(400);
    expect(answer.json.reason).toContain("not a valid bucket name");
  });
});
