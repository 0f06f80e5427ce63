import { Migration } from "@medusajs/framework/mikro-orm/migrations";

export class Migration20261125093612 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table if exists "fw_gate_operation" drop constraint if exists "fw_gate_operation_kind_gate_payment_id_unique";`);
    this.addSql(`alter table if exists "fw_gate_operation" drop constraint if exists "fw_gate_operation_gate_payment_id_gate_operation_id_unique";`);
    this.addSql(`alter table if exists "fw_attention" drop constraint if exists "fw_attention_kind_gate_payment_id_unique";`);
    this.addSql(`create table if not exists "fw_attention" ("id" text not null, "kind" text check ("kind" in ('held_callback', 'orphan_payment', 'completion_failed', 'refund_failed', 'payout_held')) not null, "state" text check ("state" in ('open', 'resolved')) not null default 'open', "gate_payment_id" text not null, "session_id" text null, "cart_id" text null, "order_id" text null, "amount" numeric not null, "currency_code" text not null, "code" text null, "message" text not null, "refund_key" text null, "resolution" text null, "resolved_by" text null, "raw_amount" jsonb not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "fw_attention_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_fw_attention_deleted_at" ON "fw_attention" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_fw_attention_kind_gate_payment_id_unique" ON "fw_attention" ("kind", "gate_payment_id") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_fw_attention_state" ON "fw_attention" ("state") WHERE deleted_at IS NULL;`);

    this.addSql(`alter table if exists "fw_gate_callback" drop constraint if exists "fw_gate_callback_outcome_check";`);

    this.addSql(`alter table if exists "fw_gate_callback" add constraint "fw_gate_callback_outcome_check" check("outcome" in ('received', 'applied', 'held', 'unmatched', 'ignored', 'orphan', 'attention'));`);

    this.addSql(`drop index if exists "IDX_fw_gate_operation_gate_operation_id_unique";`);

    this.addSql(`alter table if exists "fw_gate_operation" add column if not exists "completion_attempts" integer not null default 0, add column if not exists "last_status_at" timestamptz null;`);
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_fw_gate_operation_gate_payment_id_gate_operation_id_unique" ON "fw_gate_operation" ("gate_payment_id", "gate_operation_id") WHERE gate_operation_id IS NOT NULL AND deleted_at IS NULL;`);
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_fw_gate_operation_kind_gate_payment_id_unique" ON "fw_gate_operation" ("kind", "gate_payment_id") WHERE kind = 'sale' AND deleted_at IS NULL;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "fw_attention" cascade;`);

    this.addSql(`alter table if exists "fw_gate_callback" drop constraint if exists "fw_gate_callback_outcome_check";`);

    this.addSql(`alter table if exists "fw_gate_callback" add constraint "fw_gate_callback_outcome_check" check("outcome" in ('received', 'applied', 'held', 'unmatched', 'ignored'));`);

    this.addSql(`drop index if exists "IDX_fw_gate_operation_gate_payment_id_gate_operation_id_unique";`);
    this.addSql(`drop index if exists "IDX_fw_gate_operation_kind_gate_payment_id_unique";`);
    this.addSql(`alter table if exists "fw_gate_operation" drop column if exists "completion_attempts", drop column if exists "last_status_at";`);

    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_fw_gate_operation_gate_operation_id_unique" ON "fw_gate_operation" ("gate_operation_id") WHERE gate_operation_id IS NOT NULL AND deleted_at IS NULL;`);
  }

}
