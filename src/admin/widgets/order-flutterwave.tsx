import { defineWidgetConfig } from "@medusajs/admin-sdk"
import type { AdminOrder, DetailWidgetProps } from "@medusajs/framework/types"
import { ArrowPath } from "@medusajs/icons"
import { Button, Container, Heading } from "@medusajs/ui"
import { useState } from "react"
import { PaymentOperations } from "../components/order/payment-operations"
import { useOrderFlutterwave } from "../lib/queries"

/**
 * Gate's view of the order's Flutterwave payments: the sale, each refund and where it stands, why any was declined,
 * and the ways out of a refund Medusa recorded that Flutterwave declined.
 */
const OrderFlutterwaveWidget = ({ data: order }: DetailWidgetProps<AdminOrder>) => {
  const { data: payments, refetch } = useOrderFlutterwave(order.id)
  // Only the admin's own Refresh spins the button: `isFetching` is also true on every 5 s poll while a refund settles.
  const [refreshing, setRefreshing] = useState(false)
  const refresh = async () => {
    setRefreshing(true)
    try {
      await refetch()
    } finally {
      setRefreshing(false)
    }
  }

  if (!payments || payments.length === 0) return null

  return (
    <Container className="divide-y p-0" data-testid="flutterwave-order-widget">
      <div className="flex items-center justify-between px-6 py-4">
        <Heading level="h2">Flutterwave</Heading>
        <Button
          size="small"
          variant="transparent"
          onClick={refresh}
          isLoading={refreshing}
          data-testid="flutterwave-refresh"
        >
          <ArrowPath />
          Refresh
        </Button>
      </div>
      {payments.map((payment) => (
        <PaymentOperations key={payment.payment_id} payment={payment} />
      ))}
    </Container>
  )
}

export const config = defineWidgetConfig({
  zone: "order.details.side.after",
})

export default OrderFlutterwaveWidget
