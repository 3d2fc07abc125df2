/**
 * `/api/v1/recordings` and `/api/v1/replay`: record the injection decisions of a run, and
 * make a later run take the same ones (shared/faults/recording.ts).
 *
 *   POST   /recordings            starts one (201); 409 while another runs
 *   POST   /recordings/:id/stop   stops it (DELETE /recordings/:id too)
 *   GET    /recordings            the recordings kept, newest first
 *   GET    /recordings/:id        one, exported whole: what POST /replay takes
 *   POST   /replay                a recording's decisions in force (201), instead of the draws
 *   GET    /replay                its progress: replayed, pending, unknown requests
 *   DELETE /replay                ends it, with what it came to
 *
 * Every change is in force at every gate before the answer (the rule set's broadcast), and
 * the gates' buffered decisions are flushed before a recording stops or is read.
 */
import { Hono } from "hono";
import { DECISIONS_PAGE } from "../../../shared/faults/recording";
import { replayDocument } from "../../../shared/faults/replay-document";
import { describeIssues } from "../../../shared/faults/rule";
import { badRequest, conflict, jsonBody, notFound } from "../../../shared/json-body";
import { flushAll, pushRules, rulesStore } from "./broadcast";
import { maxRecordedDecisions } from "./recording-limit";

export const recordingsApi = new Hono<{ Bindings: MockErrorEnv }>();

recordingsApi.post("/recordings", async (c) => {
  const answer = await rulesStore(c.env).startRecording(maxRecordedDecisions(c.env));
  if ("running" in answer) throw conflict(`recording ${answer.running.id} is running; stop it first (POST /api/v1/recordings/${answer.running.id}/stop)`);
  await pushRules(c.env);
  return c.json(answer.started, 201);
});

recordingsApi.get("/recordings", async (c) => {
  await flushAll(c.env);
  const recordings = await rulesStore(c.env).listRecordings();
  return c.json({ recordings, total: recordings.length });
});

recordingsApi.get("/recordings/:id", async (c) => {
  await flushAll(c.env);
  const store = rulesStore(c.env);
  const recording = await store.exportRecording(c.req.param("id"), 0);
  if (!recording) throw notFound(`recording ${c.req.param("id")}`);
  // the decisions come a page at a time; a recording that vanished meanwhile (others started) ends the list
  for (let page = recording.decisions_list; page.length === DECISIONS_PAGE; ) {
    page = (await store.exportRecording(recording.id, page.at(-1)!.seq))?.decisions_list ?? [];
    recording.decisions_list.push(...page);
  }
  return c.json(recording);
});

for (const [method, path] of [
  ["post", "/recordings/:id/stop"],
  ["delete", "/recordings/:id"],
] as const) {
  recordingsApi.on(method, path, async (c) => {
    // decisions taken before the stop belong to the recording
    await flushAll(c.env);
    const stopped = await rulesStore(c.env).stopRecording(c.req.param("id"));
    if (!stopped) throw notFound(`recording ${c.req.param("id")}`);
    await pushRules(c.env);
    return c.json(stopped);
  });
}

recordingsApi.post("/replay", async (c) => {
  const parsed = replayDocument.safeParse(await jsonBody(c));
  if (!parsed.success) throw badRequest(`not a recording (GET /api/v1/recordings/{id} exports one): ${describeIssues(parsed.error)}`);
  const { id, decisions_list } = parsed.data;
  const store = rulesStore(c.env);
  const replay = await store.startReplay(id, decisions_list.length);
  // in pages, the last one putting it in force (one call at least, for an empty recording)
  for (let at = 0; at === 0 || at < decisions_list.length; at += DECISIONS_PAGE) {
    const page = decisions_list.slice(at, at + DECISIONS_PAGE);
    if (!(await store.addToReplay(replay, page, at + DECISIONS_PAGE >= decisions_list.length))) throw conflict("another replay was posted meanwhile and took this one's place");
  }
  const progress = await store.replayProgress();
  await pushRules(c.env);
  return c.json(progress, 201);
});

recordingsApi.get("/replay", async (c) => {
  await flushAll(c.env);
  const progress = await rulesStore(c.env).replayProgress();
  if (!progress) throw notFound("a replay");
  return c.json(progress);
});

recordingsApi.delete("/replay", async (c) => {
  await flushAll(c.env);
  const ended = await rulesStore(c.env).endReplay();
  if (!ended) throw notFound("a replay");
  await pushRules(c.env);
  return c.json(ended);
});
