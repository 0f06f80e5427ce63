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

  /*
    Retry at Gate and Record in Medusa ask nothing first: a retry is sent only while every earlier attempt is declined
    (two can never both succeed), and recording claims the refund first, so neither can double anything.
  */
  const buttons: Array<{ action: AttentionAction; icon: JSX.Element; onClick: () => unknown }> = [
    { action: "refund", icon: <ReceiptPercent />, onClick: refund },
    { action: "retry", icon: <ArrowPath />, onClick: () => run("retry") },
    { action: "retry_refund", icon: <ArrowPath />, onClick: () => run("retry_refund") },
    { action: "mark_not_refunded", icon: <XCircle />, onClick: () => run("mark_not_refunded", { confirm: () => confirmNotRefunded(item) }) },
    { action: "record_in_medusa", icon: <DocumentText />, onClick: () => run("record_in_medusa") },
    {
      action: "mark_reviewed",
      icon: <CheckCircle />,
      onClick: () => {
        setNote("")
        setReviewing(true)
      },
    },
  ]

  return (
    <div className="flex flex-col items-end gap-y-2" data-testid="attention-actions">
      {buttons
        .filter((button) => item.actions.includes(button.action))
        .map((button) => (
          <Button
            key={button.action}
            size="small"
            variant="secondary"
            className="whitespace-nowrap"
            onClick={button.onClick}
            disabled={isPending}
            isLoading={running === button.action}
            data-testid={`attention-action-${button.action}`}
          >
            {button.icon}
            {ACTION_LABELS[button.action]}
          </Button>
        ))}

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
