/**
 * The front door on MOCKS3_PORT (8080): a small proxy in front of the gateway worker, for
 * what workerd cannot do.
 *
 * - workerd never answers `Expect: 100-continue`, so the AWS CLI, boto3 and rclone would
 *   stall a second per upload. The front door answers it as soon as the head arrives.
 * - It forwards bytes, not parsed messages: each client connection gets its own connection
 *   to the gateway, requests go through as sent (Host, path, query and headers byte for byte,
 *   since SigV4 signs them) and answers come back untouched, streaming both ways with
 *   backpressure. Only request heads are read (request-framer.ts): Node's HTTP server and
 *   client cost ~0.3–0.4 ms of CPU per proxied request here, this costs a few µs.
 * - Path segments that are exactly `.` or `..` are sent as `%2E` / `%2E%2E`: workerd would
 *   resolve them away, while in S3 they are part of the key.
 * - Every request head gets `x-mocks3-connection` and `x-mocks3-client-address`, replacing
 *   any the client sent, and the gateway can have a connection reset through the control
 *   channel (control.ts): connection-level faults (shared/front-door-protocol.ts).
 * - Large plain PUT bodies are hashed as they pass (body-digests.ts), off workerd's thread;
 *   the gateway takes their digests through the control channel.
 * - While the control channel says to refuse (service_down in mode `refuse`, refusal.ts), it
 *   stops listening, so that clients get ECONNREFUSED, and closes the connections it has,
 *   as a crashed server would; when the refusal ends it listens on the same port again.
 *
 * - It answers what the gateway never sees: a request it cannot frame (request-framer.ts), a
 *   body cut short by the client's half-close (IncompleteBody) or stalled for longer than
 *   the request timeout (RequestTimeout), a gateway it cannot reach (503) — framing-errors.ts.
 *   A client that half-closes after whole requests still gets every answer: the gateway's
 *   connection ends only once nothing is owed (answer-tracker.ts).
 *
 * It assumes, like every S3 client, that a request with `Expect: 100-continue` is not
 * pipelined behind an unfinished answer (the interim answer would land inside it).
 */
import net from "node:net";
import { BODY_DIGEST_HEADER, CLIENT_ADDRESS_HEADER, CONNECTION_HEADER } from "../../shared/front-door-protocol";
import { AnswerTracker } from "./answer-tracker";
import type { BodyDigestTable } from "./body-digests";
import { ClientReader } from "./client-reader";
import { ConnectionTable } from "./connections";
import { handOn, takeReadBuffer } from "./read-buffers";
import { Refusal } from "./refusal";
import { errorAnswer } from "./framing-errors";
import { type FramerEvent, type FramingError, RequestFramer } from "./request-framer";

export interface FrontDoorOptions {
  host: string;
  port: number;
  /** the gateway worker's own socket, e.g. http://127.0.0.1:41234 */
  target: string;
  /** where the connections are kept, shared with the control channel; a table of its own by default */
  connections?: ConnectionTable;
  /** when to refuse connections, set through the control channel */
  refusal?: Refusal;
  /** how long a request may go without a byte from the client before RequestTimeout (S3: about 20 s) */
  requestTimeoutMs?: number;
  /** where the digests of large bodies are filed for the gateway (shared with the control channel); none are computed without it */
  digests?: BodyDigestTable;
}

export interface FrontDoor {
  url: string;
  close(): Promise<void>;
}

const CONTINUE = Buffer.from("HTTP/1.1 100 Continue\r\n\r\n");
const RELISTEN_MS = 200;
export const DEFAULT_REQUEST_TIMEOUT_MS = 20_000;

export async function startFrontDoor({
  host,
  port,
  target,
  connections = new ConnectionTable(),
  refusal = new Refusal(),
  requestTimeoutMs = DEFAULT_REQUEST_TIMEOUT_MS,
  digests,
}: FrontDoorOptions): Promise<FrontDoor> {
  const upstream = new URL(target);
  const server: net.Server = net.createServer({ noDelay: true, pauseOnConnect: true }, (accepted) => {
    const reader = new ClientReader(accepted, server);
    const client = reader.socket;
    const answers = new AnswerRelay(client, upstream);
    const id = connections.add(client, answers.gateway);
    const tags = { [CONNECTION_HEADER]: id, [CLIENT_ADDRESS_HEADER]: clientAddress(client), [BODY_DIGEST_HEADER]: undefined };
    bridge(reader, answers, new RequestFramer(tags, digests), requestTimeoutMs);
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as net.AddressInfo;
  let closed = false;
  const obey = (refusing: boolean) => (refusing ? stopListening(server, connections) : listenAgain());
  const unsubscribe = refusal.onChange(obey);
  if (refusal.refusing) obey(true);

  function listenAgain(): void {
    const retry = (error: Error) => {
      console.error(JSON.stringify({ level: "error", msg: "the front door cannot listen again", port: address.port, error: String(error) }));
      setTimeout(() => !closed && !refusal.refusing && !server.listening && listenAgain(), RELISTEN_MS).unref();
    };
    server.once("error", retry);
    server.listen(address.port, host, () => server.off("error", retry));
  }

  return {
    url: `http://${host.includes(":") ? `[${host}]` : host}:${address.port}`,
    async close() {
      closed = true;
      unsubscribe();
      connections.destroyAll();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** No new connections (the port is closed: ECONNREFUSED), and none of the open ones. */
function stopListening(server: net.Server, connections: ConnectionTable): void {
  server.close();
  connections.destroyAll();
}

/** The client's address as S3 would log it: an IPv4 client without the `::ffff:` of a dual-stack socket. */
function clientAddress(client: net.Socket): string | undefined {
  const address = client.remoteAddress;
  return address?.startsWith("::ffff:") && address.includes(".") ? address.slice(7) : address;
}

/**
 * The client's connection to the gateway, and the gateway's answers passed to the client as
 * they are read, into the front door's read buffers (read-buffers.ts), with the gateway
 * paused while the client's socket is full. Half the CPU of `gateway.pipe(client)` for a
 * large GET here: fewer, larger reads, and no stream machinery in between.
 */
class AnswerRelay {
  readonly gateway: net.Socket;
  readonly tracker = new AnswerTracker();
  /** whether the gateway has sent anything yet */
  answered = false;
  /** called after each read of the gateway's answers */
  onRead: () => void = () => {};
  private spare = takeReadBuffer();

  constructor(
    private readonly client: net.Socket,
    upstream: URL,
  ) {
    const onread = { buffer: () => this.spare, callback: (bytes: number, buffer: Uint8Array) => this.relay(bytes, buffer as Buffer) };
    this.gateway = net.connect({ host: upstream.hostname, port: Number(upstream.port), noDelay: true, onread });
    this.gateway.on("end", () => client.end());
  }

  private relay(bytes: number, buffer: Buffer): boolean {
    this.answered = true;
    this.tracker.push(buffer.subarray(0, bytes));
    this.spare = handOn(bytes, buffer, (chunk, done) => {
      if (!this.client.write(chunk, done)) {
        this.gateway.pause();
        this.client.once("drain", () => this.gateway.resume());
      }
    });
    this.onRead();
    return true;
  }
}

/** Joins one client connection to its gateway connection; `framer` reads (and tags) the client's requests. */
function bridge(reader: ClientReader, answers: AnswerRelay, framer: RequestFramer, requestTimeoutMs: number): void {
  const client = reader.socket;
  const { gateway, tracker } = answers;
  /** the client sent FIN: the gateway's connection ends once every answer is in */
  let clientEnded = false;
  /** an answer of the front door's own, waiting for the gateway's earlier answers to be out */
  let ownAnswer: { text: string; afterOwed: number } | undefined;

  const sendOwnAnswer = () => {
    if (!ownAnswer || tracker.owed > ownAnswer.afterOwed || tracker.answering) return;
    client.end(ownAnswer.text);
    gateway.destroy();
  };
  /** Answers with an S3 error and closes, once the gateway owes nothing before it (`current`: the request in question was sent on). */
  const answerAndClose = (status: number, code: string, message: string, current: boolean) => {
    if (ownAnswer) return;
    reader.onRead = () => {};
    client.pause();
    ownAnswer = { text: errorAnswer(status, code, message), afterOwed: current ? 1 : 0 };
    if (current && tracker.owed === 1 && tracker.answering) {
      // the gateway has begun this request's answer: it ends the exchange, not us
      ownAnswer = undefined;
      clientEnded = true;
      return;
    }
    sendOwnAnswer();
  };
  const idle = setTimeout(function onIdle() {
    if (client.destroyed) return;
    if (!framer.midRequest || client.isPaused()) idle.refresh();
    else answerAndClose(400, "RequestTimeout", "Your socket connection to the server was not read from or written to within the timeout period.", !framer.inHead);
  }, requestTimeoutMs);
  idle.unref();

  reader.onRead = (chunk, done) => {
    idle.refresh();
    let events: FramerEvent[];
    try {
      events = framer.push(chunk);
    } catch (error) {
      const refused = error as FramingError;
      answerAndClose(refused.status ?? 400, refused.code ?? "BadRequest", refused.message, false);
      done?.();
      return;
    }
    events.forEach((event, i) => {
      if (event.kind === "head") {
        tracker.expect(event.method, event.close);
        if (event.expectContinue) client.write(CONTINUE);
      }
      // writes complete in order: the last one's callback frees the read buffer
      if (!gateway.write(event.bytes, i === events.length - 1 ? done : undefined)) client.pause();
    });
    if (events.length === 0) done?.(); // the framer copies what it holds on to
  };
  tracker.onClosingAnswer = () => {
    clientEnded = true;
    reader.onRead = () => {};
  };
  answers.onRead = () => {
    if (ownAnswer) sendOwnAnswer();
    else if (clientEnded && tracker.owed === 0 && !tracker.answering) gateway.end();
  };
  gateway.on("drain", () => client.resume());
  client.on("end", () => {
    clientEnded = true;
    if (framer.midRequest) {
      if (framer.inHead) client.end();
      else answerAndClose(400, "IncompleteBody", "You did not provide the number of bytes specified by the Content-Length HTTP header.", true);
    } else if (tracker.owed === 0) gateway.end();
  });
  client.on("error", () => gateway.destroy());
  gateway.on("error", (error) => {
    // Before any answer, the gateway is unreachable: say so as S3 would. After one, it
    // dropped the connection (say, a body it chose not to read); the client sees it close.
    if (!answers.answered && client.writable) unavailable(client, error);
    else client.destroy();
  });
  gateway.on("close", () => client.end());
  client.on("close", () => {
    clearTimeout(idle);
    gateway.destroy();
  });
}

/** The gateway could not be reached: an S3 error clients retry, as they would a real 503. */
function unavailable(client: net.Socket, error: Error): void {
  client.end(errorAnswer(503, "ServiceUnavailable", `The gateway is not answering (${error.message}).`));
}
