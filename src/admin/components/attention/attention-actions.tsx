import { ArrowPath, CheckCircle, ReceiptPercent } from "@medusajs/icons"
import { Button, Label, Prompt, Textarea, toast, usePrompt } from "@medusajs/ui"
import { useState } from "react"
import { useAttentionAction } from "../../lib/queries"
import { errorMessage } from "../../lib/sdk"
import type { AttentionAction, AttentionItem } from "../../lib/types"
import { formatMoney } from "../../lib/format"

export const ACTION_LABELS: Record<AttentionAction, string> = {
  refund: "Refund at Gate",
  retry: "Retry completion",
  mark_reviewed: "Mark reviewed",
}

/** What the admin can do about one item: exactly the actions the server offers for it, in a fixed order. */
export function AttentionActions({ item }: { item: AttentionItem }) {
  const mutation = useAttentionAction()
  const prompt = usePrompt()
  const [reviewing, setReviewing] = useState(false)
  const [note, setNote] = useState("")
  const running = mutation.isPending ? mutation.variables?.action : undefined

  const run = (action: AttentionAction, extra: { note?: string } = {}) =>
    mutation.mutate(
      { id: item.id, action, ...extra },
      {
        onSuccess: (updated) => announce(action, updated),
        onError: (error) => toast.error(`${ACTION_LABELS[action]} failed`, { description: errorMessage(error) }),
      }
    )

  const refund = async () => {
    const confirmed = await prompt({
      title: "Refund at Gate?",
      description:
        `Gives the shopper back everything Gate still holds of payment ${item.gate_payment_id} ` +
        `(${formatMoney(item.amount, item.currency_code)} recorded here). The refund carries a fixed key, so it is never sent twice.`,
      confirmText: ACTION_LABELS.refund,
      cancelText: "Cancel",
      variant: "danger",
    })
    if (confirmed) run("refund")
  }

  if (item.actions.length === 0) return null
  const has = (action: AttentionAction) => item.actions.includes(action)

  return (
    <div className="flex flex-col items-end gap-y-2" data-testid="attention-actions">
      {has("refund") ? (
        <Button
          size="small"
          variant="secondary"
          className="whitespace-nowrap"
          onClick={refund}
          disabled={mutation.isPending}
          isLoading={running === "refund"}
          data-testid="attention-action-refund"
        >
          <ReceiptPercent />
          {ACTION_LABELS.refund}
        </Button>
      ) : null}
      {has("retry") ? (
        <Button
          size="small"
          variant="secondary"
          className="whitespace-nowrap"
          onClick={() => run("retry")}
          disabled={mutation.isPending}
          isLoading={running === "retry"}
          data-testid="attention-action-retry"
        >
          <ArrowPath />
          {ACTION_LABELS.retry}
        </Button>
      ) : null}
      {has("mark_reviewed") ? (
        <Button
          size="small"
          variant="secondary"
          className="whitespace-nowrap"
          onClick={() => {
            setNote("")
            setReviewing(true)
          }}
          disabled={mutation.isPending}
          isLoading={running === "mark_reviewed"}
          data-testid="attention-action-mark_reviewed"
        >
          <CheckCircle />
          {ACTION_LABELS.mark_reviewed}
        </Button>
      ) : null}

      {/* Closing an item takes an optional note, so a usePrompt (no inputs) will not do. */}
      <Prompt open={reviewing} onOpenChange={setReviewing} variant="confirmation">
        <Prompt.Content>
          <form
            onSubmit={(event) => {
              event.preventDefault()
              setReviewing(false)
              run("mark_reviewed", note.trim() ? { note: note.trim() } : {})
            }}
          >
            <Prompt.Header>
              <Prompt.Title>Mark as reviewed?</Prompt.Title>
              <Prompt.Description>
                Closes “{item.title}” without moving any money. Add a note for whoever looks at it next.
              </Prompt.Description>
            </Prompt.Header>
            <div className="flex flex-col gap-y-2 px-6 pt-4">
              <Label size="small" htmlFor={`attention-note-${item.id}`}>
                Note (optional)
              </Label>
              <Textarea
                id={`attention-note-${item.id}`}
                value={note}
                onChange={(event) => setNote(event.target.value)}
                placeholder="e.g. refunded by bank transfer"
                data-testid="attention-note"
              />
            </div>
            <Prompt.Footer>
              <Prompt.Cancel type="button">Cancel</Prompt.Cancel>
              <Button size="small" type="submit" data-testid="attention-confirm-reviewed">
                {ACTION_LABELS.mark_reviewed}
              </Button>
            </Prompt.Footer>
          </form>
        </Prompt.Content>
      </Prompt>
    </div>
  )
}

/** The server's answer, in words: what happened to the item, with Gate's own message where there is one. */
function announce(action: AttentionAction, item: AttentionItem): void {
  if (action === "refund") {
    const description = item.refund.message ?? item.message
    if (item.refund.status === "success") return void toast.success("Refunded at Gate", { description })
    if (item.refund.status === "decline") return void toast.error("Gate declined the refund", { description })
    return void toast.info("Refund sent to Gate", {
      description: item.refund.message ?? "Gate has not answered yet; this page updates when it does.",
    })
  }
  if (action === "retry") {
    if (item.state === "resolved") return void toast.success("Order completed", { description: item.resolution ?? item.message })
    return void toast.warning("Completing the order failed again", { description: item.message })
  }
  toast.success("Marked as reviewed", { description: item.resolution ?? undefined })
}
