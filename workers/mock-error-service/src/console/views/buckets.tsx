/** Buckets: every bucket; a bucket's folders and objects; an object's metadata, tags, versions and download; the bucket's settings. */
import { ColumnHeads } from "./fields";

export function Buckets() {
  return (
    <div class="columns">
      <section aria-labelledby="buckets-title">
        <h2 id="buckets-title">Buckets</h2>
        <ul id="buckets" class="plain">
          <li>Loading…</li>
        </ul>
      </section>
      <section aria-labelledby="objects-title">
        <h2 id="objects-title">Objects</h2>
        <nav id="crumbs" aria-label="Where in the bucket"></nav>
        <table id="objects">
          <ColumnHeads names={["Key", "Size", "Last modified"]} />
          <tbody></tbody>
        </table>
        <button type="button" id="objects-more" hidden>
          More
        </button>
      </section>
      <section aria-labelledby="detail-title">
        <h2 id="detail-title">Details</h2>
        <div id="object-detail">
          <p>Choose a bucket, then an object.</p>
        </div>
        <section aria-labelledby="settings-title">
          <h3 id="settings-title">Bucket settings</h3>
          <pre id="bucket-settings" tabindex={0}></pre>
        </section>
      </section>
    </div>
  );
}
