import { Migration } from "@medusajs/framework/mikro-orm/migrations";

/**
 * Settings for merchants with their own Flutterwave account (the flutterwave-v3 rail): which rail is in force, the
 * public key and API URL in clear, and the secret key, encryption key and webhook secret hash sealed like the
 * ECommPay secret. Existing rows keep rail null: ECommPay, as before.
 */
export class Migration20261207000000 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table if exists "fw_settings" add column if not exists "rail" text null, add column if not exists "fw_public_key" text null, add column if not exists "fw_secret_key_sealed" text null, add column if not exists "fw_encryption_key_sealed" text null, add column if not exists "fw_secret_hash_sealed" text null, add column if not exists "fw_api_url" text null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table if exists "fw_settings" drop column if exists "rail", drop column if exists "fw_public_key", drop column if exists "fw_secret_key_sealed", drop column if exists "fw_encryption_key_sealed", drop column if exists "fw_secret_hash_sealed", drop column if exists "fw_api_url";`);
  }

}
