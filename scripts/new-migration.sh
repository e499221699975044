#!/usr/bin/env bash
# Writes prisma/migrations/<timestamp>_<name>/migration.sql: the SQL that takes the schema
# as committed at BASE (default HEAD) to the schema in the work tree.
#
# Prisma 7's `migrate diff` needs the schema-engine binary, which cannot be downloaded
# here; Prisma 6.19's CLI can diff two schema files offline with its JS engine and the
# pg adapter. It is installed once into a cache folder (never into the project).
# Usage: scripts/new-migration.sh add_widgets [BASE]
set -euo pipefail
name="${1:?usage: scripts/new-migration.sh <snake_case_name> [base-rev]}"
base="${2:-HEAD}"
[[ "$name" =~ ^[a-z0-9_]+$ ]] || { echo "name must be snake_case" >&2; exit 2; }
root="$(git rev-parse --show-toplevel)"
cache="${PULSE_PRISMA6_DIR:-$HOME/.cache/pulse-prisma6}"
if [ ! -x "$cache/node_modules/.bin/prisma" ]; then
  mkdir -p "$cache"
  (cd "$cache" && [ -f package.json ] || echo '{"name":"pulse-prisma6","private":true}' > package.json
   cd "$cache" && npm i --no-audit --no-fund prisma@6.19 @prisma/adapter-pg@6.19 @prisma/client@6.19 pg >/dev/null)
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
with_url() { sed 's/^\(  provider = "postgresql"\)$/\1\n  url      = env("DATABASE_URL")/' ; }
git -C "$root" show "$base:prisma/schema.prisma" | with_url > "$work/from.prisma"
with_url < "$root/prisma/schema.prisma" > "$work/to.prisma"
cat > "$work/prisma.config.ts" <<'CFG'
import { defineConfig } from "prisma/config";
import { PrismaPg } from "@prisma/adapter-pg";
export default defineConfig({
  engine: "js",
  experimental: { adapter: true },
  schema: "to.prisma",
  adapter: async () => new PrismaPg({ connectionString: process.env.DATABASE_URL! }),
} as never);
CFG
ln -s "$cache/node_modules" "$work/node_modules"
touch "$work/no-engine"
sql="$(cd "$work" && DATABASE_URL="${DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/postgres}" \
  PRISMA_QUERY_ENGINE_LIBRARY="$work/no-engine" PRISMA_SCHEMA_ENGINE_BINARY="$work/no-engine" \
  ./node_modules/.bin/prisma migrate diff --from-schema-datamodel from.prisma --to-schema-datamodel to.prisma --script 2>/dev/null)"
if [ -z "$(echo "$sql" | grep -v '^--' | grep -v '^\s*$')" ]; then echo "no schema change against $base" >&2; exit 1; fi
dir="$root/prisma/migrations/$(date -u +%Y%m%d%H%M%S)_$name"
mkdir -p "$dir"
printf '%s\n' "$sql" > "$dir/migration.sql"
echo "wrote ${dir#$root/}/migration.sql"
