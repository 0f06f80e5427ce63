import { CheckCircleSolid } from "@medusajs/icons"
import { Button, Input, Text, clx } from "@medusajs/ui"
import { useMemo, useState } from "react"
import { useBanks } from "../../lib/queries"
import { errorMessage } from "../../lib/sdk"
import type { Bank } from "../../lib/types"

type BankPickerProps = {
  currency: string
  value: Bank | null
  onChange: (bank: Bank | null) => void
  invalid?: boolean
}

/** Search the currency's payout banks by name or code, then pick one. Remount (key) it when the currency changes. */
export function BankPicker({ currency, value, onChange, invalid }: BankPickerProps) {
  const [search, setSearch] = useState("")
  const banks = useBanks(currency || undefined)
  const matches = useMemo(() => filterBanks(banks.data ?? [], search), [banks.data, search])

  if (value) {
    return (
      <div
        className="bg-ui-bg-component border-ui-border-base flex items-center justify-between gap-x-3 rounded-md border px-3 py-2"
        data-testid="bank-selected"
      >
        <div className="flex min-w-0 items-center gap-x-2">
          <CheckCircleSolid className="text-ui-fg-interactive shrink-0" />
          <div className="min-w-0">
            <Text size="small" weight="plus" leading="compact" className="truncate">
              {value.name}
            </Text>
            <Text size="xsmall" leading="compact" className="text-ui-fg-subtle">
              Bank ID {value.id} · {value.country}
            </Text>
          </div>
        </div>
        <Button type="button" size="small" variant="transparent" onClick={() => onChange(null)} data-testid="bank-change">
          Change
        </Button>
      </div>
    )
  }

  return (
    <div className="flex flex-col gap-y-2">
      <Input
        id="payout-bank"
        type="search"
        size="small"
        autoComplete="off"
        placeholder={currency ? "Search banks by name or ID" : "Choose a currency first"}
        disabled={!currency}
        value={search}
        onChange={(event) => setSearch(event.target.value)}
        aria-invalid={invalid || undefined}
        data-testid="bank-search"
      />
      {currency ? (
        <div
          role="listbox"
          aria-label="Banks"
          className="border-ui-border-base max-h-60 overflow-y-auto rounded-md border"
          data-testid="bank-options"
        >
          {banks.isLoading ? (
            <BankListNote>Loading banks…</BankListNote>
          ) : banks.isError ? (
            <BankListNote error>{errorMessage(banks.error)}</BankListNote>
          ) : matches.length === 0 ? (
            <BankListNote>{search ? `No ${currency} bank matches "${search}"` : `No ${currency} payout banks`}</BankListNote>
          ) : (
            matches.map((bank) => (
              <button
                key={bank.id}
                type="button"
                role="option"
                aria-selected={false}
                onClick={() => onChange(bank)}
                data-testid="bank-option"
                data-bank-id={bank.id}
                className="hover:bg-ui-bg-base-hover focus-visible:bg-ui-bg-base-hover border-ui-border-base flex w-full items-center justify-between gap-x-3 border-b px-3 py-2 text-left outline-none last:border-b-0"
              >
                <Text size="small" leading="compact" className="truncate">
                  {bank.name}
                </Text>
                <Text size="xsmall" leading="compact" className="text-ui-fg-muted shrink-0 font-mono">
                  {bank.id}
                </Text>
              </button>
            ))
          )}
        </div>
      ) : null}
    </div>
  )
}

function BankListNote({ children, error }: { children: string; error?: boolean }) {
  return (
    <Text size="small" className={clx("px-3 py-2", error ? "text-ui-fg-error" : "text-ui-fg-subtle")}>
      {children}
    </Text>
  )
}

function filterBanks(banks: Bank[], search: string): Bank[] {
  const needle = search.trim().toLowerCase()
  const sorted = [...banks].sort((a, b) => a.name.localeCompare(b.name))
  if (!needle) return sorted
  return sorted.filter((bank) => bank.name.toLowerCase().includes(needle) || bank.id.toLowerCase().includes(needle))
}
