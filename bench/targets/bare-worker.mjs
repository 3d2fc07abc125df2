// The runtime's ceiling: a workerd worker that does no work. GET (and HEAD, which workerd
// answers from the GET response without its body) returns the same BODY_SIZE bytes, made
// once per isolate; PUT reads its body to the end — a stream, so 256 MiB never sits in
// memory — and answers 200. No auth, no storage: whatever MockS3 does on top costs the rest.
let body;

export default {
  async fetch(request, env) {
    if (request.method === "PUT" || request.method === "POST") {
      if (request.body) {
        const reader = request.body.getReader();
        while (!(await reader.read()).done);
      }
      return new Response(null, { status: 200, headers: { etag: '"bare"' } });
    }
    body ??= new Uint8Array(Number(env.BODY_SIZE)).fill(120);
    return new Response(body, { headers: { "content-type": "application/octet-stream" } });
  },
};
