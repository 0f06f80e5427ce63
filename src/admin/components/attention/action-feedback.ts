import { toast, usePrompt } from "@medusajs/ui"
import { useRef } from "react"
import { formatMoney } from "../../lib/format"
import { useAttentionAction } from "../../lib/queries"
import { errorMessage } from "../../lib/sdk"
import type { AttentionAction, AttentionItem } from "../../lib/types"

/**
 * Labels, confirmations and toasts for needs-attention actions. The Needs attention page and the order's Flutterwave
 * card both act on the same items (a declined refund is one item, shown in both places), so they share the words.
 */

export const ACTION_LABELS: Record<AttentionAction, string> = {
  refund: "Refund at Gate",
  retry: "Retry completion",
  retry_refund: "Retry at Gate",
  mark_not_refunded: "Mark as not refunded",
  record_in_medusa: "Record in Medusa",
  mark_reviewed: "Mark reviewed",
}

/**
 * Asks before marking a declined refund as not refunded: it cannot be undone, and it does not make Medusa's refunded
 * total right (Medusa 2.21 cannot reverse a recorded refund), so the admin should know both before clicking.
 */
export function useConfirmMarkNotRefunded() {
  const prompt = usePrompt()
  return ({ amount, currency_code }: { amount: string; currency_code: string }) =>
    prompt({
      title: "Mark as not refunded?",
      description:
        `Flutterwave declined this refund of ${formatMoney(amount, currency_code)}: the shopper has not got it back. ` +
        "Marking it as not refunded stops offering Retry at Gate; nothing is sent to Flutterwave. Medusa cannot reverse " +
        "a refund it has recorded, so the order keeps showing it as refunded, and the Flutterwave card keeps flagging " +
        "the difference. Do this when the shopper is paid back another way, or not at all.",
      confirmText: ACTION_LABELS.mark_not_refunded,
      cancelText: "Cancel",
      variant: "danger",
    })
}

export type RunOptions = {
  note?: string
  /** Asked first; the action is not sent unless it answers true. */
  confirm?: () => Promise<boolean>
}

/**
 * Runs actions on needs-attention items, one at a time, with a toast for the outcome.
 *
 * The lock is a ref, set synchronously on the first click: `isPending` only reaches the buttons on a later render
 * (react-query notifies on a timer), so a double click would otherwise send twice. It is held through the
 * confirmation too. The server is idempotent anyway; this keeps a click to one request.
 *
 * `mutateAsync` rather than `mutate` with callbacks: a successful action often removes the buttons (the item leaves
 * the open list, a declined refund stops being declined), and `mutate`'s callbacks do not run once they unmount.
 */
export function useRunAttentionAction() {
  const mutation = useAttentionAction()
  const busy = useRef(false)

  const run = async (id: string, action: AttentionAction, { note, confirm }: RunOptions = {}): Promise<void> => {
    if (busy.current) return
    busy.current = true
    try {
      if (confirm && !(await confirm())) return
      const item = await mutation.mutateAsync({ id, action, ...(note ? { note } : {}) })
      announce(action, item)
    } catch (error) {
      toast.error(`${ACTION_LABELS[action]} failed`, { description: errorMessage(error) })
    } finally {
      busy.current = false
    }
  }

  return {
    run,
    isPending: mutation.isPending,
    /** The action under way, to show its button loading. */
    running: mutation.isPending ? mutation.variables?.action : undefined,
  }
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
  if (action === "retry_refund") {
    // Gate refusing the retry at once comes back as an error; here it was accepted, or already settled.
    if (item.refund.status === "success") {
      return void toast.success("Refunded at Gate on retry", { description: item.resolution ?? undefined })
    }
    if (item.refund.status === "decline") return void toast.error("Gate declined the retry", { description: item.refund.message ?? item.message })
    return void toast.info("Refund sent to Gate again", {
      description: "Flutterwave is processing it; refunds take 3–15 working days. This page updates when Gate answers.",
    })
  }
  if (action === "mark_not_refunded") {
    return void toast.success("Marked as not refunded", {
      description: "Medusa keeps showing the refund; the Flutterwave card keeps flagging the difference.",
    })
  }
  if (action === "record_in_medusa") {
    return void toast.success("Recorded in Medusa", { description: item.resolution ?? undefined })
  }
  toast.success("Marked as reviewed", { description: item.resolution ?? undefined })
}
