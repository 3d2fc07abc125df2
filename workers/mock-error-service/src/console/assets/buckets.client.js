// Buckets: buckets, folders and objects; an object's details and download; the bucket's settings.
import { $, el, say, api, call, mib } from "./core.js";

function buckets() {
  let bucket;
  let prefix = "";
  let next;
  const base = () => `/api/v1/console/buckets/${encodeURIComponent(bucket)}`;
  async function loadBuckets() {
    const { buckets } = await call("/api/v1/console/buckets");
    $("#buckets").replaceChildren(
      ...(buckets.length
        ? buckets.map((b) => el("li", {}, el("button", { type: "button", onclick: () => open(b.name) }, b.name), el("span", { class: "hint" }, ` ${b.objects} objects, ${mib(b.bytes)}`)))
        : [el("li", {}, "No buckets yet.")]),
    );
  }
  async function open(name) {
    bucket = name;
    $("#bucket-settings").textContent = "Loading…";
    await browse("");
    const settings = await call(`${base()}/settings`).catch((error) => ({ error: error.message }));
    $("#bucket-settings").textContent = JSON.stringify(settings, null, 2);
  }
  async function browse(at, more) {
    prefix = at;
    const query = new URLSearchParams({ prefix });
    if (more && next) query.set("after", next);
    const listing = await call(`${base()}/objects?${query}`);
    next = listing.next;
    const parts = prefix.split("/").filter(Boolean);
    $("#crumbs").replaceChildren(
      el("button", { type: "button", class: "linklike", onclick: () => browse("") }, bucket),
      ...parts.map((part, i) => [" / ", el("button", { type: "button", class: "linklike", onclick: () => browse(`${parts.slice(0, i + 1).join("/")}/`) }, part)]),
    );
    const rows = [
      ...listing.prefixes.map((p) =>
        el("tr", {}, el("td", {}, el("button", { type: "button", class: "linklike", onclick: () => browse(p) }, p.slice(prefix.length))), el("td", {}, "folder"), el("td", {}, "")),
      ),
      ...listing.objects.map((o) =>
        el(
          "tr",
          {},
          el("td", {}, el("button", { type: "button", class: "linklike", "data-key": o.key, onclick: () => describe(o.key) }, o.key.slice(prefix.length))),
          el("td", {}, o.size),
          el("td", {}, o.last_modified),
        ),
      ),
    ];
    const body = $("#objects tbody");
    if (more) body.append(...rows);
    else body.replaceChildren(...(rows.length ? rows : [el("tr", {}, el("td", { colspan: 3 }, "Empty."))]));
    $("#objects-more").hidden = !next;
  }
  $("#objects-more").addEventListener("click", () => browse(prefix, true));
  async function describe(key) {
    const o = await call(`${base()}/object?${new URLSearchParams({ key })}`);
    const row = (name, value) => [el("dt", {}, name), el("dd", {}, value ?? "—")];
    $("#object-detail").replaceChildren(
      el("h3", {}, o.key),
      el(
        "dl",
        {},
        row("Size", `${o.size} bytes`),
        row("ETag", o.etag),
        row("Content type", o.content_type),
        row("Last modified", o.last_modified),
        row("Version", o.version_id),
        row(
          "Metadata",
          Object.entries(o.metadata)
            .map(([k, v]) => `${k.slice(11)}=${v}`)
            .join(", ") || "none",
        ),
        row("Tags", o.tags.map((t) => `${t.key}=${t.value}`).join(", ") || "none"),
      ),
      el("h4", {}, "Versions"),
      el(
        "ul",
        {},
        o.versions.map((v) => el("li", {}, `${v.version_id}${v.delete_marker ? " (delete marker)" : ` ${v.size} bytes`}${v.latest ? " · latest" : ""} · ${v.last_modified}`)),
      ),
      el("button", { type: "button", id: "download", onclick: () => download(o.key) }, "Download"),
    );
  }
  async function download(key) {
    const response = await api(`${base()}/download?${new URLSearchParams({ key })}`);
    if (!response.ok) {
      say(`Download failed: HTTP ${response.status}`);
      return;
    }
    const url = URL.createObjectURL(await response.blob());
    const link = el("a", { href: url, download: key.split("/").pop() || "object" });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
    say(`Downloaded ${key}.`);
  }
  loadBuckets().catch((error) => say(`Buckets: ${error.message}`));
}

buckets();
