/** Overview: every service's health, the storage nodes with their switch, traffic over the last minutes, what is in force. */
import { ColumnHeads } from "./fields";

export function Overview() {
  return (
    <>
      <section aria-labelledby="services-title">
        <h2 id="services-title">Services</h2>
        <ul id="services" class="health">
          <li>Loading…</li>
        </ul>
      </section>
      <section aria-labelledby="nodes-title">
        <h2 id="nodes-title">Storage nodes</h2>
        <table id="nodes">
          <ColumnHeads names={["Node", "State", "Blobs", "Used", "Backlog", "Switch"]} />
          <tbody></tbody>
        </table>
      </section>
      <section aria-labelledby="traffic-title">
        <h2 id="traffic-title">Traffic</h2>
        <p id="traffic-now">Requests per second and error share, sampled every 2 s over the last 5 minutes.</p>
        <svg id="traffic-chart" class="chart" viewBox="0 0 600 160" role="img" aria-labelledby="traffic-chart-title">
          <title id="traffic-chart-title">Requests per second (line) and 5xx share (red) over the last 5 minutes</title>
        </svg>
        <table id="traffic-table">
          <caption>Per service and S3 operation, over the last sample</caption>
          <ColumnHeads names={["Service", "Operation", "Requests/s", "5xx share", "4xx share"]} />
          <tbody></tbody>
        </table>
      </section>
      <section aria-labelledby="force-title">
        <h2 id="force-title">In force</h2>
        <p id="in-force">Loading…</p>
      </section>
    </>
  );
}
