import { SquareTwoStack } from "@medusajs/icons"
import { Button, toast } from "@medusajs/ui"
import { copyToClipboard } from "../lib/clipboard"
import { errorMessage } from "../lib/sdk"

type CopyButtonProps = { text: string; label?: string; "data-testid"?: string }

export function CopyButton({ text, label = "Copy", "data-testid": testId }: CopyButtonProps) {
  const copy = async () => {
    try {
      await copyToClipboard(text)
      toast.success("Copied")
    } catch (error) {
      toast.error("Could not copy", { description: errorMessage(error) })
    }
  }
  return (
    <Button type="button" size="small" variant="secondary" onClick={copy} data-testid={testId}>
      <SquareTwoStack />
      {label}
    </Button>
  )
}
