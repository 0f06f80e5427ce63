import { Button, Drawer, Text, toast } from "@medusajs/ui"
import { useRef, useState } from "react"
import { compareDecimals, isPositiveDecimal } from "../../lib/decimal"
import { formatMoney } from "../../lib/format"
import { newIdempotencyKey } from "../../lib/idempotency"
import { emptyDraft, toCreatePayoutBody, validateDraft, type PayoutDraft, type PayoutDraftErrors } from "../../lib/payout-draft"
import { useFlutterwaveSettings, type useCreatePayout } from "../../lib/queries"
import { errorMessage } from "../../lib/sdk"
import type { CreatePayoutBody, PayoutDTO } from "../../lib/types"
import { PayoutForm } from "./payout-form"
import { PayoutReview } from "./payout-review"

type NewPayoutFlowProps = {
  createPayout: ReturnType<typeof useCreatePayout>
  onDone: () => void
}

/**
 * Form, then review, then send. One idempotency key per drawer opening: a double click, or a retry after an
 * error, reaches the API with the same key, and the API answers a repeated key with the payout it already has.
 */
export function NewPayoutFlow({ createPayout, onDone }: NewPayoutFlowProps) {
  const settings = useFlutterwaveSettings()
  const [idempotencyKey] = useState(newIdempotencyKey)
  const [step, setStep] = useState<"form" | "review">("form")
  const [draft, setDraft] = useState<PayoutDraft | null>(null)
  const [errors, setErrors] = useState<PayoutDraftErrors>({})
  const sending = useRef(false)

  const currencies = settings.data?.payout_currencies ?? []
  const current = draft ?? emptyDraft(currencies[0] ?? "")
  const body = toCreatePayoutBody(current, idempotencyKey)

  const change = (patch: Partial<PayoutDraft>) => {
    setDraft({ ...current, ...patch })
    setErrors((previous) => {
      const next = { ...previous }
      if ("currency" in patch) delete next.currency
      if ("bank" in patch) delete next.bank
      if ("amount" in patch) delete next.amount
      if ("accountNumber" in patch) delete next.accountNumber
      return next
    })
  }

  const review = () => {
    const found = validateDraft(current)
    setErrors(found)
    if (Object.keys(found).length === 0) setStep("review")
  }

  const send = async () => {
    if (sending.current) return
    sending.current = true
    try {
      const payout = await createPayout.mutateAsync(body)
      announce(payout, body)
      onDone()
    } catch (error) {
      toast.error(errorMessage(error))
    } finally {
      sending.current = false
    }
  }

  return (
    <>
      <Drawer.Header>
        <Drawer.Title>{step === "form" ? "New payout" : "Review payout"}</Drawer.Title>
        <Drawer.Description className="text-ui-fg-subtle txt-compact-small">
          Pay out from your Flutterwave balance to a bank account.
        </Drawer.Description>
      </Drawer.Header>
      <Drawer.Body className="flex flex-col gap-y-4 overflow-y-auto">
        {settings.isLoading ? (
          <Text size="small" className="text-ui-fg-subtle">
            Loading settings…
          </Text>
        ) : settings.isError ? (
          <Text size="small" className="text-ui-fg-error">
            {errorMessage(settings.error)}
          </Text>
        ) : step === "form" ? (
          <PayoutForm
            draft={current}
            errors={errors}
            currencies={currencies}
            limits={settings.data?.payout_limits ?? {}}
            onChange={change}
          />
        ) : (
          <PayoutReview
            body={body}
            bankName={current.bank?.name ?? ""}
            limit={settings.data?.payout_limits[current.currency]}
            failed={createPayout.isError}
          />
        )}
      </Drawer.Body>
      <Drawer.Footer>
        {step === "form" ? (
          <>
            <Drawer.Close asChild>
              <Button size="small" variant="secondary">
                Cancel
              </Button>
            </Drawer.Close>
            <Button size="small" onClick={review} disabled={!settings.data} data-testid="payout-review">
              Review
            </Button>
          </>
        ) : (
          <>
            <Button
              size="small"
              variant="secondary"
              onClick={() => setStep("form")}
              disabled={createPayout.isPending}
              data-testid="payout-back"
            >
              Back
            </Button>
            <Button size="small" onClick={send} isLoading={createPayout.isPending} data-testid="payout-confirm">
              Send payout
            </Button>
          </>
        )}
      </Drawer.Footer>
    </>
  )
}

function announce(payout: PayoutDTO, sent: CreatePayoutBody) {
  if (!isSameRequest(payout, sent)) {
    toast.warning("This payout was already sent", {
      description: `The idempotency key belongs to an earlier payout of ${formatMoney(payout.amount, payout.currency_code)} to ${payout.bank_name}; nothing new was paid.`,
    })
    return
  }
  if (payout.status === "decline") {
    const reason = payout.message ?? "No reason given"
    toast.error("Flutterwave declined the payout", {
      description: payout.code ? `${reason} (code ${payout.code})` : reason,
    })
    return
  }
  toast.success("Payout sent to Flutterwave")
}

/** A repeated idempotency key returns the payout recorded first, whatever this request said. */
function isSameRequest(payout: PayoutDTO, sent: CreatePayoutBody): boolean {
  const sameAmount =
    isPositiveDecimal(payout.amount) && isPositiveDecimal(sent.amount)
      ? compareDecimals(payout.amount, sent.amount) === 0
      : payout.amount === sent.amount
  return sameAmount && payout.bank_id === sent.bank_id && payout.currency_code === sent.currency_code
}
