import { Text } from "@medusajs/ui"
import { formatMoney } from "../../lib/format"
import type { MoneyTotal } from "../../lib/types"

type DayVolume = MoneyTotal & { day: string }

/** At most this many days get a bar each; a longer range shows only the days with paid sales. */
const MAX_FILLED_DAYS = 120
const WIDTH = 640
const HEIGHT = 140

/** Every UTC day from `first` to `last`, both included (YYYY-MM-DD). */
function daysBetween(first: string, last: string): string[] {
  const days: string[] = []
  const date = new Date(`${first}T00:00:00.000Z`)
  const end = new Date(`${last}T00:00:00.000Z`).getTime()
  while (date.getTime() <= end && days.length <= MAX_FILLED_DAYS) {
    days.push(date.toISOString().slice(0, 10))
    date.setUTCDate(date.getUTCDate() + 1)
  }
  return days
}

type VolumeChartProps = { currency: string; volume: DayVolume[]; from?: string; to?: string }

/**
 * Paid volume per day for one currency, as a plain SVG bar chart. The sums are the server's exact decimals; a bar's
 * height is only drawn in proportion (the one place a float touches an amount, and only for pixels).
 */
export function VolumeChart({ currency, volume, from, to }: VolumeChartProps) {
  const byDay = new Map(volume.map((entry) => [entry.day, entry]))
  const known = volume.map((entry) => entry.day).sort()
  const first = from ?? known[0]
  const last = to ?? known[known.length - 1]
  let days = first && last ? daysBetween(first, last) : known
  if (days.length > MAX_FILLED_DAYS) days = known
  const max = Math.max(1, ...volume.map((entry) => Number(entry.amount_minor)))
  const slot = WIDTH / Math.max(1, days.length)
  const bar = Math.min(36, Math.max(1, slot * 0.7))

  return (
    <div className="flex flex-col gap-y-1" data-testid="volume-chart" data-currency={currency}>
      <Text size="xsmall" className="text-ui-fg-subtle">
        Paid volume per day, {currency}
      </Text>
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT + 18}`}
        className="h-[160px] w-full"
        role="img"
        aria-label={`Paid volume per day in ${currency}`}
        preserveAspectRatio="none"
      >
        <line x1={0} y1={HEIGHT} x2={WIDTH} y2={HEIGHT} className="stroke-ui-border-base" strokeWidth={1} />
        {days.map((day, index) => {
          const entry = byDay.get(day)
          const height = entry ? Math.max(2, (Number(entry.amount_minor) / max) * (HEIGHT - 4)) : 0
          const x = index * slot + (slot - bar) / 2
          return (
            <g key={day} data-testid="volume-bar" data-day={day} data-amount={entry?.amount ?? "0"}>
              <title>{entry ? `${day}: ${formatMoney(entry.amount, currency)} (${entry.count} paid)` : `${day}: nothing paid`}</title>
              <rect x={x} y={HEIGHT - height} width={bar} height={height} rx={1} className="fill-ui-fg-interactive" />
              {/* An invisible full-height target, so a day without sales still shows its tooltip. */}
              <rect x={index * slot} y={0} width={slot} height={HEIGHT} fill="transparent" />
            </g>
          )
        })}
        {days.length > 0 ? (
          <>
            <text x={0} y={HEIGHT + 14} className="fill-ui-fg-muted text-[10px]">
              {days[0]}
            </text>
            <text x={WIDTH} y={HEIGHT + 14} textAnchor="end" className="fill-ui-fg-muted text-[10px]">
              {days[days.length - 1]}
            </text>
          </>
        ) : null}
      </svg>
    </div>
  )
}
