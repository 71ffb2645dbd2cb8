import { useMemo, useState } from "react";
import { ErrorText } from "../../components/ErrorText";
import { useLoad } from "../../components/useLoad";
import { ChartFigure } from "./ChartFigure";
import { buildCharts, formatNumber } from "./chartSeries";
import { getChartData, getTotalData, type Timespan } from "./logsApi";

const RANGES = [7, 30, 90] as const;
const GROUPINGS: ReadonlyArray<{ value: Timespan; label: string }> = [
  { value: "day", label: "Day" },
  { value: "week", label: "Week" },
  { value: "month", label: "Month" },
  { value: "quarter", label: "Quarter" },
];

/** getTotalData (all time) and getChartData over the chosen range and grouping. */
export function AnalyticsTab({ appId }: { appId: string }) {
  const [days, setDays] = useState<number>(7);
  const [span, setSpan] = useState<Timespan>("day");
  const totals = useLoad(() => getTotalData(appId), [appId]);
  const chart = useLoad(() => getChartData(appId, days, span, new Date()), [appId, days, span]);
  const specs = useMemo(() => (chart.data ? buildCharts(chart.data, days, span) : []), [chart.data, days, span]);
  return (
    <section aria-label="Analytics">
      <div className="card">
        <h2>All time</h2>
        <ErrorText error={totals.error} />
        {totals.data ? (
          <dl className="logs-totals" aria-label="All-time totals">
            <div>
              <dt>Users</dt>
              <dd data-testid="total-users">{formatNumber(totals.data.totalUsers)}</dd>
            </div>
            <div>
              <dt>Chats</dt>
              <dd data-testid="total-chats">{formatNumber(totals.data.totalChats)}</dd>
            </div>
            <div>
              <dt>Points</dt>
              <dd data-testid="total-points">{formatNumber(totals.data.totalPoints)}</dd>
            </div>
          </dl>
        ) : (
          !totals.error && <p className="muted">Loading…</p>
        )}
      </div>
      <div className="row-form logs-controls">
        <label className="inline">
          Range&nbsp;
          <select aria-label="Range" value={days} onChange={(event) => setDays(Number(event.target.value))}>
            {RANGES.map((value) => (
              <option key={value} value={value}>
                Last {value} days
              </option>
            ))}
          </select>
        </label>
        <label className="inline">
          Group by&nbsp;
          <select aria-label="Group by" value={span} onChange={(event) => setSpan(event.target.value as Timespan)}>
            {GROUPINGS.map((item) => (
              <option key={item.value} value={item.value}>
                {item.label}
              </option>
            ))}
          </select>
        </label>
        {chart.loading ? <span className="muted">Loading…</span> : null}
      </div>
      <ErrorText error={chart.error} />
      <div className="logs-charts">
        {specs.map((spec) => (
          <ChartFigure key={spec.id} spec={spec} />
        ))}
      </div>
    </section>
  );
}
