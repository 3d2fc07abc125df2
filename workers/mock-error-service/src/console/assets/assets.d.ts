/** The console's browser script and style sheet, bundled as text (the `rules` in wrangler.toml). */
declare module "*.client.js" {
  const text: string;
  export default text;
}
declare module "*.client.css" {
  const text: string;
  export default text;
}
