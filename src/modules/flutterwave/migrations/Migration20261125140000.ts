import { Migration } from "@medusajs/framework/mikro-orm/migrations";

/**
 * Operations page and CSV export: every ledger row says which rail it went through (all rows so far are ECommPay's;
 * the flutterwave-v3 rail will write its own name), and the operations list, its export and its analytics read the
 * ledger by date range, in (created_at, id) order.
 */
export class Migration20261125140000 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table if exists "fw_gate_operation" add column if not exists "rail" text not null default 'ecommpay';`);
    this.addSql(`alter table if exists "fw_payout" add column if not exists "rail" text not null default 'ecommpay';`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_fw_gate_operation_created_at_id" ON "fw_gate_operation" ("created_at", "id") WHERE deleted_at IS NULL;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists "IDX_fw_gate_operation_created_at_id";`);
    this.addSql(`alter table if exists "fw_payout" drop column if exists "rail";`);
    this.addSql(`alter table if exists "fw_gate_operation" drop column if exists "rail";`);
  }

}
