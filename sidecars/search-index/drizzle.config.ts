import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "turso",
  schema: "./sidecars/search-index/schema.ts",
  out: "./sidecars/search-index/drizzle",
});
