export { createPayoutWorkflow, payoutPaymentId } from "./create-payout"
export type { CreatePayoutInput } from "./create-payout"
