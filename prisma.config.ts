// Prisma 7 CLI configuration. The app itself never reads this file: it builds its own
// adapter from src/config.ts. The CLI needs a URL only for commands that connect
// (migrate, studio); `prisma generate` works without one.
import { defineConfig } from "prisma/config";

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "" },
});
