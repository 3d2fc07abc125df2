/** The multipart upload operations, one file each. */
export { abortMultipartUpload } from "./abort-upload";
export { completeMultipartUpload } from "./complete-upload";
export { createMultipartUpload } from "./create-upload";
export { listMultipartUploads } from "./list-uploads";
export { listParts } from "./list-parts";
export { uploadPart } from "./upload-part";
export { uploadPartCopy } from "./upload-part-copy";
