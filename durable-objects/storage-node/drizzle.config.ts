import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "sqlite",
  driver: "durable-sqlite",
  schema: "./durable-objects/storage-node/schema.ts",
  out: "./durable-objects/storage-node/drizzle",
});
