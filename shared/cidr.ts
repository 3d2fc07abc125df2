/**
 * Client addresses against IPs and CIDR blocks, IPv4 and IPv6 (an IPv4-mapped IPv6 address
 * counts as its IPv4 one), through ipaddr.js: fault rules' `source` condition, and bucket
 * policies' `IpAddress` / `NotIpAddress` (shared/access/policy-conditions.ts).
 */
import ipaddr from "ipaddr.js";

export function isAddressOrCidr(text: string): boolean {
  return ipaddr.isValid(text) || ipaddr.isValidCIDR(text);
}

type Address = ipaddr.IPv4 | ipaddr.IPv6;

/** The last address parsed: every `source` rule tests the same request's address (~3 µs a parse). */
let lastParsed: { text: string; ip: Address | undefined } = { text: "", ip: undefined };

function parsed(text: string): Address | undefined {
  if (lastParsed.text !== text) lastParsed = { text, ip: ipaddr.isValid(text) ? ipaddr.process(text) : undefined };
  return lastParsed.ip;
}

/** A matcher for a list of IPs and CIDR blocks. */
export function addressMatcher(list: string[]): (address: string | undefined) => boolean {
  const ranges = list.map((entry) => (ipaddr.isValidCIDR(entry) ? cidrRange(entry) : ([ipaddr.process(entry), -1] as const)));
  return (address) => {
    const ip = address ? parsed(address) : undefined;
    if (!ip) return false;
    return ranges.some(([range, bits]) => {
      if (ip.kind() !== range.kind()) return false;
      const length = bits < 0 ? (ip.kind() === "ipv4" ? 32 : 128) : bits;
      return ip.match(range, length);
    });
  };
}

/** The matchers of single ranges, kept: a bucket policy tests the same few on every request. */
const rangeMatchers = new Map<string, (address: string | undefined) => boolean>();

/** Whether `address` is `range` (an IP or a CIDR block); false when either is not valid. */
export function addressInRange(address: string, range: string): boolean {
  let matches = rangeMatchers.get(range);
  if (!matches) {
    matches = isAddressOrCidr(range) ? addressMatcher([range]) : () => false;
    if (rangeMatchers.size < 1000) rangeMatchers.set(range, matches);
  }
  return matches(address);
}

/** A block written as IPv4-mapped IPv6 (`::ffff:10.0.0.0/104`) is its IPv4 block, as addresses are. */
function cidrRange(entry: string): [ipaddr.IPv4 | ipaddr.IPv6, number] {
  const [range, bits] = ipaddr.parseCIDR(entry);
  if (range.kind() === "ipv6" && bits >= 96 && (range as ipaddr.IPv6).isIPv4MappedAddress()) return [(range as ipaddr.IPv6).toIPv4Address(), bits - 96];
  return [range, bits];
}
