import { MedusaError } from "@medusajs/framework/utils"
import type { ResolvedFlutterwaveOptions } from "../../../options"
import { railFor, type PaymentRail } from "../../../rails"
import type { GateClient } from "../../../rails/ecommpay"
import type { EffectiveSettings, SettingsStore } from "./settings-store"

/** The settings in force, with the rail they choose: what takes payments, sends refunds and payouts. */
export type ConnectedSettings = { options: ResolvedFlutterwaveOptions; rail: PaymentRail; gate?: GateClient; version: number }

/**
 * The rail for the settings in force, built once per settings version: a new secret, URL or checkout mode saved on
 * any instance takes effect on the next call after the store rereads the row.
 */
export class RailForSettings {
  private built?: { settings: EffectiveSettings; rail: PaymentRail; gate?: GateClient }

  constructor(
    private readonly store: SettingsStore,
    private readonly warn: (message: string) => void
  ) {}

  /** Throws a readable NOT_ALLOWED error while the plugin has no keys (or its stored secret cannot be read). */
  async connected(): Promise<ConnectedSettings> {
    const settings = await this.store.current()
    if (settings.problem !== undefined) throw new MedusaError(MedusaError.Types.NOT_ALLOWED, settings.problem)
    if (this.built?.settings !== settings) {
      const { rail, gate } = railFor({ ...settings.options, logger: { warn: (message) => this.warn(`flutterwave: ${message}`) } })
      this.built = { settings, rail, gate }
    }
    return { options: settings.options, rail: this.built.rail, gate: this.built.gate, version: settings.version }
  }
}
