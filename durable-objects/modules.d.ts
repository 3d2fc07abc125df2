/** drizzle-kit's migration files, bundled as text (see the `rules` in wrangler.toml). */
declare module "*.sql" {
  const sql: string;
  export default sql;
}
