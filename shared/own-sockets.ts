/**
 * Whether a URL chosen by a user — a bucket notification's webhook, a read-through upstream —
 * would reach MockS3 itself: one of the stack's own ports on an address of this machine.
 * MockS3 never sends there. Otherwise S3 credentials would drive the control plane: a webhook
 * to `http://127.0.0.1:8082/api/v1/nodes/node-0/down` takes a storage node down, one to
 * `…:8085/api/v1/halt` halts every fault. Receivers on loopback on any other port are fine.
 *
 * - The host is read as URL parsing leaves it, which is what fetch() connects to: decimal,
 *   hex, octal and short IPv4 forms (`2130706433`, `0x7f.1`, `127.1`) are dotted quads by
 *   then, IPv6 is compressed, a trailing dot stays.
 * - This machine: 127.0.0.0/8, 0.0.0.0/8 (Linux connects 0.0.0.0 to itself), `::1`, `::`,
 *   an IPv4 address inside IPv6 (`::ffff:127.0.0.1`, `::127.0.0.1`, `64:ff9b::/96`) when the
 *   IPv4 one is, `localhost` and `*.localhost`, and the machine's own addresses and name when
 *   they are known (`OwnSockets.hosts`).
 * - Workers cannot resolve names nor know the ports Miniflare draws at start-up: under
 *   `npm start` they ask the stack's destination guard (sidecars/stack/destination-guard.ts,
 *   MOCKS3_DESTINATION_GUARD), which knows both; without one (wrangler dev) they check the
 *   default ports here.
 */
import ipaddr from "ipaddr.js";

export interface OwnSockets {
  ports: ReadonlySet<number>;
  /** the machine's own addresses (as `normalAddress` writes them) and names, beside loopback */
  hosts: ReadonlySet<string>;
}

/** A stack on the default ports: `npm start` (8080–8085, the sidecar on 8090) and `wrangler dev` (8787). */
const DEFAULT_OWN_SOCKETS: OwnSockets = { ports: new Set([8080, 8081, 8082, 8083, 8084, 8085, 8090, 8787]), hosts: new Set() };

/** IPv6 blocks whose last 32 bits are an IPv4 address the kernel may reach: mapped, SIIT, NAT64, compatible. */
const IPV4_CARRIERS = ["::ffff:0:0/96", "::ffff:0:0:0/96", "64:ff9b::/96", "::/96"].map((block) => ipaddr.IPv6.parseCIDR(block));

/**
 * Why MockS3 refuses to send to `url`, or undefined. `guard` is MOCKS3_DESTINATION_GUARD: the
 * stack's guard decides; without one, the default ports on a local address are refused.
 */
export async function destinationRefusal(guard: string | undefined, url: string): Promise<string | undefined> {
  if (!guard) return ownSocketRefusal(new URL(url), DEFAULT_OWN_SOCKETS);
  const answer = await fetch(`${guard}?url=${encodeURIComponent(url)}`);
  if (!answer.ok) throw new Error(`the destination guard answered ${answer.status}: ${await answer.text()}`);
  return ((await answer.json()) as { refused?: string }).refused;
}

/**
 * Why a connection to `url` would reach MockS3 itself, or undefined. `resolved`: an address the
 * URL's host name resolves to, checked in its place.
 */
export function ownSocketRefusal(url: URL, own: OwnSockets, resolved?: string): string | undefined {
  const port = urlPort(url);
  if (!own.ports.has(port) || !isThisMachine(resolved ?? url.hostname, own.hosts)) return undefined;
  return `${url.protocol}//${url.host} is MockS3 itself (${resolved ? `${url.hostname} is ${resolved}, ` : ""}port ${port} on this machine)`;
}

export function urlPort(url: URL): number {
  return url.port ? Number(url.port) : url.protocol === "https:" ? 443 : 80;
}

/** An IP address (a URL's `[…]` IPv6 host included), not a name to resolve. */
export function isAddress(host: string): boolean {
  return ipaddr.isValid(unbracketed(host));
}

/** `localhost`, `*.localhost` (RFC 6761: always loopback), or a name that stands for this machine. */
export function isLocalName(host: string, hosts: ReadonlySet<string>): boolean {
  const name = host.toLowerCase().replace(/\.+$/, "");
  return name === "localhost" || name.endsWith(".localhost") || hosts.has(name);
}

/** An address as the own-hosts set holds it: IPv4 dotted, IPv6 in full, an IPv4 inside IPv6 as the IPv4. */
export function normalAddress(host: string): string | undefined {
  const text = unbracketed(host);
  return ipaddr.isValid(text) ? carriedIPv4(ipaddr.parse(text)).toNormalizedString() : undefined;
}

function isThisMachine(host: string, hosts: ReadonlySet<string>): boolean {
  if (isLocalName(host, hosts)) return true;
  const text = unbracketed(host);
  if (!ipaddr.isValid(text)) return false;
  const address = carriedIPv4(ipaddr.parse(text));
  const range = address.range();
  return range === "loopback" || range === "unspecified" || hosts.has(address.toNormalizedString());
}

function carriedIPv4(address: ipaddr.IPv4 | ipaddr.IPv6): ipaddr.IPv4 | ipaddr.IPv6 {
  if (address.kind() === "ipv4") return address;
  const v6 = address as ipaddr.IPv6;
  if (!IPV4_CARRIERS.some(([block, bits]) => v6.match(block, bits))) return v6;
  const [high, low] = v6.parts.slice(6) as [number, number];
  return new ipaddr.IPv4([high >> 8, high & 0xff, low >> 8, low & 0xff]);
}

function unbracketed(host: string): string {
  return host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host;
}
