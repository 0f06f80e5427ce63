import { Plus } from "@medusajs/icons"
import { Button, Drawer } from "@medusajs/ui"
import { useState } from "react"
import { useCreatePayout } from "../../lib/queries"
import { NewPayoutFlow } from "./new-payout-flow"

/** The "New payout" button and its drawer. Closing is blocked while a payout is being sent. */
export function NewPayoutDrawer() {
  const [open, setOpen] = useState(false)
  const createPayout = useCreatePayout()

  const onOpenChange = (next: boolean) => {
    if (!next && createPayout.isPending) return
    if (next) createPayout.reset()
    setOpen(next)
  }

  return (
    <Drawer open={open} onOpenChange={onOpenChange}>
      <Drawer.Trigger asChild>
        <Button size="small" variant="secondary" data-testid="new-payout">
          <Plus />
          New payout
        </Button>
      </Drawer.Trigger>
      <Drawer.Content data-testid="new-payout-drawer">
        {/* Drawer.Content unmounts on close, so each opening starts a new draft with a new idempotency key. */}
        {open ? <NewPayoutFlow createPayout={createPayout} onDone={() => setOpen(false)} /> : null}
      </Drawer.Content>
    </Drawer>
  )
}
