import { Table, Text } from "@medusajs/ui"

/** A table's one row saying it has nothing to show, spanning every column. */
export function EmptyTableRow({ columns, text, "data-testid": testId }: { columns: number; text: string; "data-testid": string }) {
  return (
    <Table.Row>
      {/* Table.Cell's props omit colSpan; a plain td with the same classes spans the row. */}
      <td colSpan={columns} className="h-12 py-0 pr-6" data-testid={testId}>
        <Text size="small" className="text-ui-fg-subtle">
          {text}
        </Text>
      </td>
    </Table.Row>
  )
}
