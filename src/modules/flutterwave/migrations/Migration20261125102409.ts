import { Migration } from "@medusajs/framework/mikro-orm/migrations";

export class Migration20261125102409 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table if exists "fw_attention" drop constraint if exists "fw_attention_kind_gate_payment_id_subject_unique";`);
    this.addSql(`alter table if exists "fw_attention" drop constraint if exists "fw_attention_kind_check";`);

    this.addSql(`drop index if exists "IDX_fw_attention_kind_gate_payment_id_unique";`);

    this.addSql(`alter table if exists "fw_attention" add column if not exists "subject" text not null default '';`);
    this.addSql(`alter table if exists "fw_attention" add constraint "fw_attention_kind_check" check("kind" in ('held_callback', 'orphan_payment', 'completion_failed', 'refund_failed', 'payout_held', 'refund_declined', 'outside_refund_unrecorded'));`);
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_fw_attention_kind_gate_payment_id_subject_unique" ON "fw_attention" ("kind", "gate_payment_id", "subject") WHERE deleted_at IS NULL;`);

    this.addSql(`alter table if exists "fw_gate_operation" add column if not exists "medusa_refund_id" text null, add column if not exists "medusa_amount" text null, add column if not exists "origin" text check ("origin" in ('medusa', 'retry', 'outside', 'orphan')) null, add column if not exists "resolution" text null, add column if not exists "adopt_claimed_at" timestamptz null;`);
    // Refunds recorded by earlier versions: Medusa's refund id was the merchant key; orphan refunds had their own.
    this.addSql(`update "fw_gate_operation" set "medusa_refund_id" = "merchant_key", "origin" = 'medusa' where "kind" = 'refund' and "merchant_key" like 'ref\\_%' and "medusa_refund_id" is null;`);
    this.addSql(`update "fw_gate_operation" set "origin" = 'orphan' where "kind" = 'refund' and "merchant_key" like 'orphan-%' and "origin" is null;`);
    this.addSql(`update "fw_gate_operation" set "origin" = 'outside' where "kind" = 'refund' and "merchant_key" is null and "origin" is null;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_fw_gate_operation_medusa_refund_id" ON "fw_gate_operation" ("medusa_refund_id") WHERE medusa_refund_id IS NOT NULL AND deleted_at IS NULL;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table if exists "fw_attention" drop constraint if exists "fw_attention_kind_check";`);

    this.addSql(`drop index if exists "IDX_fw_attention_kind_gate_payment_id_subject_unique";`);
    this.addSql(`alter table if exists "fw_attention" drop column if exists "subject";`);

    this.addSql(`alter table if exists "fw_attention" add constraint "fw_attention_kind_check" check("kind" in ('held_callback', 'orphan_payment', 'completion_failed', 'refund_failed', 'payout_held'));`);
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_fw_attention_kind_gate_payment_id_unique" ON "fw_attention" ("kind", "gate_payment_id") WHERE deleted_at IS NULL;`);

    this.addSql(`drop index if exists "IDX_fw_gate_operation_medusa_refund_id";`);
    this.addSql(`alter table if exists "fw_gate_operation" drop column if exists "medusa_refund_id", drop column if exists "medusa_amount", drop column if exists "origin", drop column if exists "resolution", drop column if exists "adopt_claimed_at";`);
  }

}
