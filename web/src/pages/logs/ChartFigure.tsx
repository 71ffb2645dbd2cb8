import { useEffect, useRef } from "react";
import type { ChartSpec } from "./chartSeries";
import { formatNumber } from "./chartSeries";
import { Chart } from "./chartSetup";

/** One chart: a canvas named by its summary, and the same numbers as a table behind a toggle. */
export function ChartFigure({ spec }: { spec: ChartSpec }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (!canvas.current) return;
    const chart = new Chart(canvas.current, {
      type: spec.kind,
      data: {
        labels: spec.labels,
        datasets: spec.series.map((series) => ({
          label: series.label,
          data: series.values,
          borderColor: series.color,
          backgroundColor: spec.kind === "bar" ? series.color : `${series.color}33`,
          tension: 0.25,
          pointRadius: spec.labels.length > 31 ? 0 : 3,
        })),
      },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        interaction: { mode: "index", intersect: false },
        plugins: { legend: { position: "bottom" } },
        scales: { y: { beginAtZero: true, ticks: { precision: spec.id === "points" ? undefined : 0 } } },
      },
    });
    return () => chart.destroy();
  }, [spec]);
  const headingId = `logs-chart-${spec.id}`;
  return (
    <figure className="card logs-chart" aria-labelledby={headingId}>
      <h3 id={headingId}>{spec.title}</h3>
      <div className="logs-chart-canvas">
        <canvas ref={canvas} role="img" aria-label={spec.summary} data-testid={`chart-${spec.id}`}>
          {spec.summary}
        </canvas>
      </div>
      <figcaption className="muted">{spec.summary}</figcaption>
      <details>
        <summary>Data table</summary>
        <table className="table logs-chart-table" aria-label={`${spec.title} data`}>
          <thead>
            <tr>
              <th scope="col">Period</th>
              {spec.series.map((series) => (
                <th key={series.label} scope="col">
                  {series.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {spec.labels.map((label, row) => (
              <tr key={label}>
                <th scope="row">{label}</th>
                {spec.series.map((series) => (
                  <td key={series.label}>{formatNumber(series.values[row] ?? 0)}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
