/**
 * The front door's answers to requests that are not what they should be, sent as raw bytes:
 * malformed HTTP/1.1 (shapes that could make two parsers disagree about where a request ends)
 * gets 400 with an S3 error document and a closed connection, never a silent drop; a size
 * beyond S3's limit is refused before its body; a body cut short by a half-close gets
 * IncompleteBody, one that stalls gets RequestTimeout; a client that half-closes after whole
 * requests still gets every answer. Nothing a refused request carried is stored.
 */
import net from "node:net";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { startFrontDoor, type FrontDoor } from "../../sidecars/front-door/front-door";
import { newBucket, signer } from "../helpers/s3";

/** How long any exchange here may take: far below the front door's 20 s request timeout. */
const BOUND_MS = 5_000;

interface Transcript {
  text: string;
  /** the connection closed within BOUND_MS */
  closed: boolean;
}

/** Sends `bytes` (then FIN when `halfClose`) and collects what comes back until the connection closes or BOUND_MS. */
function exchange(port: number, bytes: string, halfClose = false): Promise<Transcript> {
  return new Promise((resolve, reject) => {
    let text = "";
    const socket = net.connect({ port, host: "127.0.0.1", allowHalfOpen: true }, () => {
      socket.write(bytes, "latin1");
      if (halfClose) socket.end();
    });
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ text, closed: false });
    }, BOUND_MS);
    socket.on("data", (d) => (text += d.toString("latin1")));
    socket.on("end", () => socket.end());
    socket.on("close", () => {
      clearTimeout(timer);
      resolve({ text, closed: true });
    });
    socket.on("error", reject);
  });
}

function errorCode(text: string): string | undefined {
  return /<Code>([^<]+)<\/Code>/.exec(text)?.[1];
}

async function stored(bucket: string, key: string): Promise<number> {
  const response = await signer().fetch(`${inject("endpoint")}/${bucket}/${key}`);
  await response.arrayBuffer();
  return response.status;
}

describe("front door framing", () => {
  const port = Number(new URL(inject("endpoint")).port);
  let bucket: string;

  beforeAll(async () => {
    bucket = await newBucket("framing");
    const put = await signer().fetch(`${inject("endpoint")}/${bucket}/k`, { method: "PUT", body: "hello" });
    expect(put.status).toBe(200);
  });

  const put = (key: string, headers: string, body: string, version = "1.1") => `PUT /BUCKET/${key} HTTP/${version}\r\nHost: localhost\r\n${headers}\r\n${body}`;
  const chunked = "Transfer-Encoding: chunked\r\n";
  const malformed: Array<[string, (bucket: string) => string, string, string?]> = [
    ["Transfer-Encoding twice", () => put("te-twice", `${chunked}${chunked}`, "5\r\nhello\r\n0\r\n\r\n"), "BadRequest", "te-twice"],
    ["Transfer-Encoding gzip, chunked", () => put("te-gzip", "Transfer-Encoding: gzip, chunked\r\n", "5\r\nhello\r\n0\r\n\r\n"), "BadRequest", "te-gzip"],
    ["Transfer-Encoding with Content-Length", () => put("te-cl", `${chunked}Content-Length: 5\r\n`, "5\r\nhello\r\n0\r\n\r\n"), "BadRequest", "te-cl"],
    ["Content-Length twice, different", () => put("cl-twice", "Content-Length: 5\r\nContent-Length: 6\r\n", "hello!"), "BadRequest", "cl-twice"],
    ["obsolete line folding", () => put("fold", "Content-Length: 5\r\nX-Folded: a\r\n b\r\n", "hello"), "BadRequest", "fold"],
    ["a space before a header's colon", () => put("space", "Content-Length : 5\r\n", "hello"), "BadRequest", "space"],
    ["chunk size 0x5", () => put("hex-prefix", chunked, "0x5\r\nhello\r\n0\r\n\r\n"), "BadRequest", "hex-prefix"],
    ["chunk size +5", () => put("plus", chunked, "+5\r\nhello\r\n0\r\n\r\n"), "BadRequest", "plus"],
    ["chunk size 5 junk", () => put("junk", chunked, "5 junk\r\nhello\r\n0\r\n\r\n"), "BadRequest", "junk"],
    ["chunk size -0", () => put("minus", chunked, "-0\r\n\r\n"), "BadRequest", "minus"],
    ["a bare LF in a chunked body", () => put("bare-lf-body", chunked, "5\nhello\r\n0\r\n\r\n"), "BadRequest", "bare-lf-body"],
    ["HTTP/1.0 with chunked", () => put("http10", chunked, "0\r\n\r\n", "1.0"), "BadRequest", "http10"],
    ["Content-Length 5 GiB + 1", () => put("huge", "Content-Length: 5368709121\r\n", ""), "EntityTooLarge", "huge"],
    ["Content-Length 10^15", () => put("huger", "Content-Length: 1000000000000000\r\n", ""), "EntityTooLarge", "huger"],
    ["Content-Length 10^23", () => put("hugest", "Content-Length: 100000000000000000000000\r\n", ""), "InvalidArgument", "hugest"],
    ["bare-LF line endings", () => "GET /BUCKET/k HTTP/1.1\nHost: localhost\n\n", "BadRequest"],
    ["asterisk-form", () => "OPTIONS * HTTP/1.1\r\nHost: localhost\r\n\r\n", "BadRequest"],
    ["a garbled request line", () => "GET /BUCKET/k HTTP/9.9\r\nHost: localhost\r\n\r\n", "BadRequest"],
  ];

  it.each(malformed)("front door › %s: 400 with an S3 error, the connection closed, nothing stored", async (_, request, code, key) => {
    const { text, closed } = await exchange(port, request(bucket).replace("BUCKET", bucket));
    expect(closed).toBe(true);
    expect(text).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(text).toContain("Connection: close");
    expect(errorCode(text)).toBe(code);
    if (key) expect(await stored(bucket, key)).toBe(404);
  });

  it("front door › serves an absolute-form request target as its path, and closes after the answer to Connection: close", async () => {
    const { text, closed } = await exchange(port, `GET http://localhost:${port}/${bucket}/k HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`);
    expect(closed).toBe(true);
    expect(text).toMatch(/^HTTP\/1\.1 200 OK/);
    expect(text.endsWith("hello")).toBe(true);
  });

  it("front door › a client that half-closes after whole requests gets every answer", async () => {
    const requests =
      `GET /${bucket}/k HTTP/1.1\r\nHost: localhost\r\n\r\n` +
      `HEAD /${bucket}/k HTTP/1.1\r\nHost: localhost\r\n\r\n` +
      `PUT /${bucket}/after-fin HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\n\r\nworld` +
      `GET /${bucket}/missing HTTP/1.1\r\nHost: localhost\r\n\r\n`;
    const { text, closed } = await exchange(port, requests, true);
    expect(closed).toBe(true);
    expect(text.match(/HTTP\/1\.1 \d{3}/g)).toEqual(["HTTP/1.1 200", "HTTP/1.1 200", "HTTP/1.1 200", "HTTP/1.1 404"]);
    expect(errorCode(text)).toBe("NoSuchKey");
    expect(await (await signer().fetch(`${inject("endpoint")}/${bucket}/after-fin`)).text()).toBe("world");
  });

  for (const [label, framing, body] of [
    ["Content-Length", "Content-Length: 10\r\n", "abc"],
    ["chunked", chunked, "5\r\nhel"],
  ] as const) {
    it(`front door › a ${label} body cut short by a half-close: 400 IncompleteBody, nothing stored`, async () => {
      const { text, closed } = await exchange(port, put(`cut-${label}`, framing, body).replace("BUCKET", bucket), true);
      expect(closed).toBe(true);
      expect(text).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
      expect(errorCode(text)).toBe("IncompleteBody");
      expect(await stored(bucket, `cut-${label}`)).toBe(404);
    });
  }
});

describe("front door request timeout", () => {
  let door: FrontDoor;
  let doorPort: number;

  beforeAll(async () => {
    // a front door of its own with a short timeout, in front of the suite's (a byte relay either way)
    door = await startFrontDoor({ host: "127.0.0.1", port: 0, target: inject("endpoint"), requestTimeoutMs: 300 });
    doorPort = Number(new URL(door.url).port);
  });
  afterAll(async () => {
    await door?.close();
  });

  it("front door › a body that stalls mid-way gets 400 RequestTimeout and a closed connection; an idle kept-alive connection stays open", async () => {
    const bucket = await newBucket("stall");
    const stalled = await exchange(doorPort, `PUT /${bucket}/stalled HTTP/1.1\r\nHost: localhost\r\nContent-Length: 10\r\n\r\nabc`);
    expect(stalled.closed).toBe(true);
    expect(errorCode(stalled.text)).toBe("RequestTimeout");
    expect(await stored(bucket, "stalled")).toBe(404);

    // between requests there is nothing to time out: the connection is still there after it
    const idle = await exchange(doorPort, `GET /${bucket}/stalled HTTP/1.1\r\nHost: localhost\r\n\r\n`);
    expect(idle.closed).toBe(false);
    expect(idle.text).toMatch(/^HTTP\/1\.1 404/);
  });
});
