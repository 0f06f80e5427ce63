import { Migration } from "@medusajs/framework/mikro-orm/migrations";

/**
 * Reconciliation's schedule: each pending operation says how often Gate was asked about it and when it is asked next,
 * so a refund pending for days is asked a few times a day instead of on every run. Reconciliation reads the pending
 * rows that are due through a partial index (final rows, nearly the whole ledger, are not in it). Existing rows start
 * with no schedule: due at the next run, as before.
 */
export class Migration20261125150000 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table if exists "fw_gate_operation" add column if not exists "checks" integer not null default 0, add column if not exists "next_check_at" timestamptz null;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_fw_gate_operation_kind_next_check_at" ON "fw_gate_operation" ("kind", "next_check_at") WHERE status = 'pending' AND deleted_at IS NULL;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists "IDX_fw_gate_operation_kind_next_check_at";`);
    this.addSql(`alter table if exists "fw_gate_operation" drop column if exists "checks", drop column if exists "next_check_at";`);
  }

}
