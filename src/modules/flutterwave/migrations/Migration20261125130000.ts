import { Migration } from "@medusajs/framework/mikro-orm/migrations";

/** Settings → Flutterwave: the admin's settings (one row, the secret sealed) and their audit trail. */
export class Migration20261125130000 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table if not exists "fw_settings" ("id" text not null, "checkout" text null, "project_id" text null, "secret_key_sealed" text null, "gate_url" text null, "payment_page_url" text null, "sale_limits" jsonb null, "payout_limits" jsonb null, "version" integer not null default 0, "updated_by" text null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "fw_settings_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_fw_settings_deleted_at" ON "fw_settings" ("deleted_at") WHERE deleted_at IS NULL;`);

    this.addSql(`create table if not exists "fw_settings_change" ("id" text not null, "actor_id" text null, "fields" jsonb not null, "version" integer not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "fw_settings_change_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_fw_settings_change_deleted_at" ON "fw_settings_change" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_fw_settings_change_created_at" ON "fw_settings_change" ("created_at") WHERE deleted_at IS NULL;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "fw_settings_change" cascade;`);
    this.addSql(`drop table if exists "fw_settings" cascade;`);
  }

}
