import { Migration } from "@medusajs/framework/mikro-orm/migrations";

export class Migration20261125031417 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table if exists "fw_payout" drop constraint if exists "fw_payout_gate_payment_id_unique";`);
    this.addSql(`alter table if exists "fw_payout" drop constraint if exists "fw_payout_idempotency_key_unique";`);
    this.addSql(`alter table if exists "fw_gate_operation" drop constraint if exists "fw_gate_operation_kind_merchant_key_unique";`);
    this.addSql(`alter table if exists "fw_gate_operation" drop constraint if exists "fw_gate_operation_gate_operation_id_unique";`);
    this.addSql(`alter table if exists "fw_gate_callback" drop constraint if exists "fw_gate_callback_dedupe_key_unique";`);
    this.addSql(`create table if not exists "fw_gate_callback" ("id" text not null, "dedupe_key" text not null, "gate_payment_id" text not null, "gate_operation_id" text null, "operation_type" text null, "operation_status" text null, "payment_status" text not null, "outcome" text check ("outcome" in ('received', 'applied', 'held', 'unmatched', 'ignored')) not null default 'received', "reason" text null, "deliveries" integer not null default 1, "body" jsonb not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "fw_gate_callback_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_fw_gate_callback_deleted_at" ON "fw_gate_callback" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_fw_gate_callback_dedupe_key_unique" ON "fw_gate_callback" ("dedupe_key") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_fw_gate_callback_gate_payment_id" ON "fw_gate_callback" ("gate_payment_id") WHERE deleted_at IS NULL;`);

    this.addSql(`create table if not exists "fw_gate_operation" ("id" text not null, "kind" text check ("kind" in ('sale', 'refund', 'payout')) not null, "gate_payment_id" text not null, "gate_operation_id" text null, "request_id" text null, "merchant_key" text null, "amount" numeric not null, "currency_code" text not null, "status" text check ("status" in ('pending', 'success', 'decline')) not null default 'pending', "code" text null, "message" text null, "source" text check ("source" in ('request', 'callback', 'status')) not null default 'request', "redirect_data" jsonb null, "session_id" text null, "raw_amount" jsonb not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "fw_gate_operation_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_fw_gate_operation_deleted_at" ON "fw_gate_operation" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_fw_gate_operation_gate_payment_id" ON "fw_gate_operation" ("gate_payment_id") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_fw_gate_operation_gate_operation_id_unique" ON "fw_gate_operation" ("gate_operation_id") WHERE gate_operation_id IS NOT NULL AND deleted_at IS NULL;`);
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_fw_gate_operation_kind_merchant_key_unique" ON "fw_gate_operation" ("kind", "merchant_key") WHERE merchant_key IS NOT NULL AND deleted_at IS NULL;`);

    this.addSql(`create table if not exists "fw_payout" ("id" text not null, "idempotency_key" text not null, "gate_payment_id" text not null, "bank_id" text not null, "bank_name" text not null, "account_number" text not null, "amount" numeric not null, "currency_code" text not null, "description" text null, "status" text check ("status" in ('pending', 'success', 'decline')) not null default 'pending', "code" text null, "message" text null, "created_by" text null, "raw_amount" jsonb not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "fw_payout_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_fw_payout_deleted_at" ON "fw_payout" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_fw_payout_idempotency_key_unique" ON "fw_payout" ("idempotency_key") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_fw_payout_gate_payment_id_unique" ON "fw_payout" ("gate_payment_id") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_fw_payout_status" ON "fw_payout" ("status") WHERE deleted_at IS NULL;`);

    this.addSql(`create table if not exists "fw_reconciliation_run" ("id" text not null, "trigger" text check ("trigger" in ('job', 'manual')) not null, "checked" integer not null default 0, "changed" integer not null default 0, "still_pending" integer not null default 0, "failed" integer not null default 0, "items" jsonb not null, "started_at" timestamptz null, "finished_at" timestamptz null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "fw_reconciliation_run_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_fw_reconciliation_run_deleted_at" ON "fw_reconciliation_run" ("deleted_at") WHERE deleted_at IS NULL;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "fw_gate_callback" cascade;`);

    this.addSql(`drop table if exists "fw_gate_operation" cascade;`);

    this.addSql(`drop table if exists "fw_payout" cascade;`);

    this.addSql(`drop table if exists "fw_reconciliation_run" cascade;`);
  }

}
