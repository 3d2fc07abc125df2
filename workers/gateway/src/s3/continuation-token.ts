/** Continuation tokens are opaque to clients: the position to continue after, base64url-encoded. */
import { S3Error } from "../../../../shared/s3-errors";

export function encodeToken(after: string): string {
  return btoa(String.fromCharCode(...new TextEncoder().encode(after))).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export function decodeToken(token: string): string {
  try {
    const binary = atob(token.replace(/-/g, "+").replace(/_/g, "/"));
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
  } catch {
    throw new S3Error("InvalidArgument", "The continuation token provided is incorrect", { ArgumentName: "continuation-token" });
  }
}
