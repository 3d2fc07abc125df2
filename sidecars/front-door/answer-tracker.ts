/**
 * Where the gateway's answers end, on one connection: the front door forwards them byte for
 * byte and only needs to know how many requests are still owed an answer and whether one is
 * on its way — so that a client that half-closes after its request still gets the answer
 * (the gateway's connection is ended only once nothing is owed), and so that the front door
 * answers a cut or stalled request itself only while the gateway has not begun to.
 *
 * An answer to a request that said `Connection: close` ends the connection once it is out
 * (workerd keeps it open). It reads heads (status, Content-Length, Transfer-Encoding) and skips bodies: a HEAD's
 * answer, 1xx, 204 and 304 have none; a chunked body ends at its last chunk and trailers;
 * an answer with neither header runs to the connection's close. Answers are workerd's, so
 * anything it cannot read simply stops the tracking (the connection then ends as it ends).
 */

const CRLF_CRLF = Buffer.from("\r\n\r\n");
const LF = 0x0a;
const MAX_HEAD_BYTES = 256 * 1024;

type State = "head" | "fixed" | "chunk-size" | "chunk-data" | "chunk-end" | "trailer" | "to-close";

export class AnswerTracker {
  /** the requests still owed an answer, oldest first */
  private readonly owedRequests: Array<{ method: string; close: boolean }> = [];
  /** an answer to a request that asked to close the connection (`Connection: close`) is complete */
  onClosingAnswer: () => void = () => {};
  private state: State = "head";
  private held: Buffer = Buffer.alloc(0);
  private remaining = 0;

  /** Requests sent on and not yet answered in full. */
  get owed(): number {
    return this.owedRequests.length;
  }

  /** Whether an answer has begun and not ended. */
  get answering(): boolean {
    return this.state !== "head" || this.held.length > 0;
  }

  /** A request was sent on to the gateway. */
  expect(method: string, close: boolean): void {
    this.owedRequests.push({ method, close });
  }

  /** Reads answer bytes (without keeping them, apart from an unfinished head or line). */
  push(chunk: Buffer): void {
    let data = chunk;
    while (data.length > 0 && this.state !== "to-close") {
      if (this.state === "head") data = this.readHead(data);
      else if (this.state === "fixed" || this.state === "chunk-data") {
        const take = Math.min(this.remaining, data.length);
        this.remaining -= take;
        data = data.subarray(take);
        if (this.remaining === 0) {
          if (this.state === "fixed") this.answered();
          else this.state = "chunk-end";
        }
      } else data = this.readLine(data);
    }
  }

  private readHead(data: Buffer): Buffer {
    const buffered = this.held.length > 0 ? Buffer.concat([this.held, data]) : data;
    const end = buffered.indexOf(CRLF_CRLF);
    if (end < 0) {
      if (buffered.length > MAX_HEAD_BYTES) this.state = "to-close";
      else this.held = Buffer.from(buffered);
      return Buffer.alloc(0);
    }
    this.held = Buffer.alloc(0);
    const head = buffered.toString("latin1", 0, end);
    const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1]);
    if (!(status >= 100)) {
      this.state = "to-close";
      return Buffer.alloc(0);
    }
    const rest = buffered.subarray(end + 4);
    if (status < 200 && status !== 101) return rest; // an interim answer: the final one follows
    const method = this.owedRequests[0]?.method;
    const chunked = /\r\ntransfer-encoding:[^\r]*chunked/i.test(head);
    const length = /\r\ncontent-length:[ \t]*(\d+)/i.exec(head)?.[1];
    if (method === "HEAD" || status === 204 || status === 304) this.answered();
    else if (chunked) this.state = "chunk-size";
    else if (length !== undefined) {
      this.remaining = Number(length);
      if (this.remaining === 0) this.answered();
      else this.state = "fixed";
    } else this.state = "to-close";
    return rest;
  }

  private readLine(data: Buffer): Buffer {
    const lf = data.indexOf(LF);
    if (lf < 0) {
      this.held = Buffer.concat([this.held, data]);
      return Buffer.alloc(0);
    }
    const line = Buffer.concat([this.held, data.subarray(0, lf)])
      .toString("latin1")
      .trim();
    this.held = Buffer.alloc(0);
    if (this.state === "chunk-size") {
      const size = Number.parseInt(line, 16);
      if (Number.isNaN(size)) this.state = "to-close";
      else if (size === 0) this.state = "trailer";
      else {
        this.state = "chunk-data";
        this.remaining = size;
      }
    } else if (this.state === "chunk-end") this.state = "chunk-size";
    else if (line === "") this.answered(); // the trailer section's end
    return data.subarray(lf + 1);
  }

  private answered(): void {
    const request = this.owedRequests.shift();
    this.state = "head";
    if (request?.close) this.onClosingAnswer();
  }
}
