import { ArrowPath, CheckCircle, DocumentText, ReceiptPercent, XCircle } from "@medusajs/icons"
import { Button, Label, Prompt, Textarea, usePrompt } from "@medusajs/ui"
import { useState } from "react"
import type { AttentionAction, AttentionItem } from "../../lib/types"
import { formatMoney } from "../../lib/format"
import { ACTION_LABELS, useConfirmMarkNotRefunded, useRunAttentionAction, type RunOptions } from "./action-feedback"

/** What the admin can do about one item: exactly the actions the server offers for it, in a fixed order. */
export function AttentionActions({ item }: { item: AttentionItem }) {
  const { run: runAction, isPending, running } = useRunAttentionAction()
  const prompt = usePrompt()
  const confirmNotRefunded = useConfirmMarkNotRefunded()
  const [reviewing, setReviewing] = useState(false)
  const [note, setNote] = useState("")

  const run = (action: AttentionAction, options?: RunOptions) => runAction(item.id, action, options)

  const refund = () =>
    run("refund", {
      confirm: () =>
        prompt({
          title: "Refund at Gate?",
          description:
            `Gives the shopper back everything Gate still holds of payment ${item.gate_payment_id} ` +
            `(${formatMoney(item.amount, item.currency_code)} recorded here). The refund carries a fixed key, so it is never sent twice.`,
          confirmText: ACTION_LABELS.refund,
          cancelText: "Cancel",
          variant: "danger",
        }),
    })

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
          disabled={isPending}
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
          disabled={isPending}
          isLoading={running === "retry"}
          data-testid="attention-action-retry"
        >
          <ArrowPath />
          {ACTION_LABELS.retry}
        </Button>
      ) : null}
      {/*
        Retry at Gate and Record in Medusa ask nothing first: a retry is sent only while every earlier attempt is
        declined (two can never both succeed), and recording claims the refund first, so neither can double anything.
      */}
      {has("retry_refund") ? (
        <Button
          size="small"
          variant="secondary"
          className="whitespace-nowrap"
          onClick={() => run("retry_refund")}
          disabled={isPending}
          isLoading={running === "retry_refund"}
          data-testid="attention-action-retry_refund"
        >
          <ArrowPath />
          {ACTION_LABELS.retry_refund}
        </Button>
      ) : null}
      {has("mark_not_refunded") ? (
        <Button
          size="small"
          variant="secondary"
          className="whitespace-nowrap"
          onClick={() => run("mark_not_refunded", { confirm: () => confirmNotRefunded(item) })}
          disabled={isPending}
          isLoading={running === "mark_not_refunded"}
          data-testid="attention-action-mark_not_refunded"
        >
          <XCircle />
          {ACTION_LABELS.mark_not_refunded}
        </Button>
      ) : null}
      {has("record_in_medusa") ? (
        <Button
          size="small"
          variant="secondary"
          className="whitespace-nowrap"
          onClick={() => run("record_in_medusa")}
          disabled={isPending}
          isLoading={running === "record_in_medusa"}
          data-testid="attention-action-record_in_medusa"
        >
          <DocumentText />
          {ACTION_LABELS.record_in_medusa}
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
          disabled={isPending}
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
              void run("mark_reviewed", { note: note.trim() || undefined })
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
