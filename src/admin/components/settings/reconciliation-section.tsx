import { ArrowPath } from "@medusajs/icons"
import { Button, Container, Heading, StatusBadge, Table, Text, toast } from "@medusajs/ui"
import { useReconcileNow, useReconciliations } from "../../lib/queries"
import { errorMessage } from "../../lib/sdk"
import type { RailChoice, ReconciliationRun } from "../../lib/types"

/** Whom reconciliation asks, and what it makes up for, with each rail. */
const RAIL_WORDS: Record<RailChoice, { asks: string; news: string; payment: string }> = {
  ecommpay: { asks: "Gate", news: "a callback", payment: "Gate payment" },
  "flutterwave-v3": { asks: "Flutterwave", news: "a webhook", payment: "Flutterwave payment" },
}

/**
 * Reconciliation asks the rail in force (Gate, or Flutterwave's API) about everything still pending past the base time
 * whose next check is due (every 5 minutes on its own).
 * The admin can run it now, and sees the last runs' reports: checked, changed, still pending.
 */
export function ReconciliationSection({ rail = "ecommpay" }: { rail?: RailChoice }) {
  const words = RAIL_WORDS[rail]
  const runs = useReconciliations()
  const reconcile = useReconcileNow()
  const latest = runs.data?.[0]

  const runNow = () =>
    reconcile.mutate(undefined, {
      onSuccess: (run) =>
        toast.success(
          `Reconciled: ${run.checked} checked, ${run.changed} changed, ${run.still_pending} still pending` +
            (run.left_for_next_run > 0 ? `, ${run.left_for_next_run} left for the next run` : "")
        ),
      onError: (error) => toast.error(errorMessage(error)),
    })

  return (
    <Container className="divide-y p-0" data-testid="reconciliation-section">
      <div className="flex items-center justify-between gap-x-4 px-6 py-4">
        <div>
          <Heading level="h2">Reconciliation</Heading>
          <Text size="small" className="text-ui-fg-subtle">
            Asks {words.asks} about payments, refunds and payouts still pending after 10 minutes, in case {words.news} never
            arrived.
          </Text>
        </div>
        <Button size="small" variant="secondary" onClick={runNow} isLoading={reconcile.isPending} data-testid="reconcile-now">
          <ArrowPath />
          Reconcile now
        </Button>
      </div>
      {latest ? <RunReport run={latest} paymentLabel={words.payment} /> : (
        <Text size="small" className="px-6 py-4 text-ui-fg-subtle">
          No reconciliation has run yet.
        </Text>
      )}
    </Container>
  )
}

function RunReport({ run, paymentLabel }: { run: ReconciliationRun; paymentLabel: string }) {
  return (
    <div className="flex flex-col gap-y-3 px-6 py-4" data-testid="reconciliation-report">
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
        <StatusBadge color={run.failed > 0 ? "red" : run.still_pending > 0 ? "orange" : "green"}>
          {run.failed > 0 ? `${run.failed} failed` : run.still_pending > 0 ? "Some still pending" : "All settled"}
        </StatusBadge>
        <Text size="small" className="text-ui-fg-subtle">
          {new Date(run.created_at).toLocaleString()} · {run.trigger === "job" ? "scheduled" : "manual"} · {run.checked} checked ·{" "}
          {run.changed} changed · {run.still_pending} still pending
          {run.left_for_next_run > 0 ? ` · ${run.left_for_next_run} left for the next run (the run's time budget was spent)` : ""}
        </Text>
      </div>
      {run.items.length > 0 ? (
        <Table>
          <Table.Header>
            <Table.Row>
              <Table.HeaderCell>{paymentLabel}</Table.HeaderCell>
              <Table.HeaderCell>Kind</Table.HeaderCell>
              <Table.HeaderCell>Before</Table.HeaderCell>
              <Table.HeaderCell>After</Table.HeaderCell>
              <Table.HeaderCell>Note</Table.HeaderCell>
            </Table.Row>
          </Table.Header>
          <Table.Body>
            {run.items.map((item) => (
              <Table.Row key={`${item.gate_payment_id}-${item.kind}-${item.note ?? ""}`}>
                <Table.Cell className="font-mono text-xs">{item.gate_payment_id}</Table.Cell>
                <Table.Cell>{item.kind}</Table.Cell>
                <Table.Cell>{item.before}</Table.Cell>
                <Table.Cell>{item.after}</Table.Cell>
                <Table.Cell>{item.note ?? ""}</Table.Cell>
              </Table.Row>
            ))}
          </Table.Body>
        </Table>
      ) : null}
    </div>
  )
}
