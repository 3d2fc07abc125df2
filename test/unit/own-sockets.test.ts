/**
 * ownSocketRefusal (shared/own-sockets.ts): a URL is refused when its port is one of the
 * stack's and its host is this machine, whichever way URL parsing leaves the address; any
 * other port, or another machine, is let through.
 */
import { describe, expect, it } from "vitest";
import { ownSocketRefusal, type OwnSockets } from "../../shared/own-sockets";

const OWN: OwnSockets = { ports: new Set([8080, 8085, 443]), hosts: new Set(["10.1.2.3", "0:0:0:0:0:0:0:5", "build-box"]) };
const refused = (url: string, resolved?: string) => ownSocketRefusal(new URL(url), OWN, resolved);

describe("ownSocketRefusal", () => {
  it("loopback and any-address, however spelt › refused on the stack's ports", () => {
    for (const host of [
      "127.0.0.1",
      "127.9.9.9",
      "2130706433",
      "0x7f.1",
      "0177.0.0.1",
      "127.1",
      "127.0.0.1.",
      "0.0.0.0",
      "0",
      "localhost",
      "LocalHost.",
      "a.b.localhost",
      "[::1]",
      "[::]",
      "[0:0:0:0:0:0:0:1]",
      "[::ffff:127.0.0.1]",
      "[::ffff:7f00:1]",
      "[::127.0.0.1]",
      "[64:ff9b::127.0.0.1]",
      "[::ffff:0:127.0.0.1]",
    ]) {
      expect({ host, refused: refused(`http://${host}:8085/api/v1/halt`) }).toEqual({ host, refused: expect.stringContaining("is MockS3 itself") });
    }
  });

  it("the machine's own addresses and name › refused; resolved names are judged by their address", () => {
    for (const host of ["10.1.2.3", "[::ffff:10.1.2.3]", "[::5]", "build-box", "BUILD-BOX."]) expect({ host, refused: refused(`http://${host}:8080/`) }).toEqual({ host, refused: expect.any(String) });
    expect(refused("http://hooks.example:8085/", "127.0.0.1")).toBe("http://hooks.example:8085 is MockS3 itself (hooks.example is 127.0.0.1, port 8085 on this machine)");
    expect(refused("http://hooks.example:8085/", "93.184.216.34")).toBeUndefined();
  });

  it("the port as fetch() reaches it › the scheme's default counts", () => {
    expect(refused("https://127.0.0.1/")).toBeDefined();
    expect(refused("http://127.0.0.1/")).toBeUndefined();
    expect(refused("http://127.0.0.1:08085/")).toBeDefined();
  });

  it("other ports and other machines › let through", () => {
    for (const url of [
      "http://127.0.0.1:9000/hook",
      "http://localhost:8081/",
      "http://[::1]:9000/",
      "http://10.1.2.4:8085/",
      "http://192.168.0.7:8080/",
      "http://example.com:8085/",
      "http://[2001:db8::1]:8085/",
      "http://localhost.example.com:8085/",
    ]) {
      expect({ url, refused: refused(url) }).toEqual({ url, refused: undefined });
    }
  });
});
