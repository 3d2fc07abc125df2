/** Static website hosting: an index document (or a redirect of every request), an error document, routing rules. Stored and read back. */
import { S3Error } from "../../../../shared/s3-errors";
import type { XmlElement } from "../../../../shared/s3-xml";
import { childOf, type ConfigKind, textOf } from "./config-kind";

export const website: ConfigKind = {
  subresource: "website",
  get: "GetBucketWebsite",
  put: "PutBucketWebsite",
  delete: "DeleteBucketWebsite",
  root: "WebsiteConfiguration",
  schema: { depth: 5, repeated: ["WebsiteConfiguration.RoutingRules.RoutingRule"] },
  check(document) {
    const redirect = childOf(document, "RedirectAllRequestsTo");
    if (redirect) {
      if (!textOf(redirect, "HostName")) throw new S3Error("MalformedXML");
      if (Object.keys(document).length > 1) throw new S3Error("InvalidArgument", "RedirectAllRequestsTo cannot be provided in conjunction with other Routing/Redirect configurations.");
      return document as XmlElement;
    }
    const index = childOf(document, "IndexDocument");
    const suffix = index && textOf(index, "Suffix");
    if (!suffix) throw new S3Error("InvalidArgument", "A value for IndexDocument Suffix must be provided if RedirectAllRequestsTo is empty");
    if (suffix.includes("/")) throw new S3Error("InvalidArgument", "The IndexDocument Suffix is not well formed");
    const error = childOf(document, "ErrorDocument");
    if (error && !textOf(error, "Key")) throw new S3Error("MalformedXML");
    return document as XmlElement;
  },
  unconfigured: "NoSuchWebsiteConfiguration",
};
