import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "sqlite",
  driver: "durable-sqlite",
  schema: "./durable-objects/storage-cluster/schema.ts",
  out: "./durable-objects/storage-cluster/drizzle",
});
