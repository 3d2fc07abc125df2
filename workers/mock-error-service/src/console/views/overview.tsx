/** Overview: every service's health, the storage nodes with their switch, traffic over the last minutes, what is in force. */
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
          <thead>
            <tr>
              <th scope="col">Node</th>
              <th scope="col">State</th>
              <th scope="col">Blobs</th>
              <th scope="col">Used</th>
              <th scope="col">Backlog</th>
              <th scope="col">Switch</th>
            </tr>
          </thead>
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
          <thead>
            <tr>
              <th scope="col">Service</th>
              <th scope="col">Operation</th>
              <th scope="col">Requests/s</th>
              <th scope="col">5xx share</th>
              <th scope="col">4xx share</th>
            </tr>
          </thead>
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
