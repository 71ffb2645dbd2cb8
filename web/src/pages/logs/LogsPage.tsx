import { Link, useParams, useSearchParams } from "react-router";
import { api } from "../../api/client";
import type { AppDetail } from "../../api/types";
import { ErrorText } from "../../components/ErrorText";
import { useLoad } from "../../components/useLoad";
import { AnalyticsTab } from "./AnalyticsTab";
import { LogsTab } from "./LogsTab";
import "./logs.css";

const TABS = [
  { id: "logs", label: "Logs" },
  { id: "analytics", label: "Analytics" },
] as const;
type TabId = (typeof TABS)[number]["id"];

/** /apps/:appId/logs — the chat logs and the analytics dashboard (?tab=analytics). */
export function LogsPage() {
  const { appId = "" } = useParams();
  const [params, setParams] = useSearchParams();
  const tab: TabId = params.get("tab") === "analytics" ? "analytics" : "logs";
  const { data: app, error } = useLoad(() => api.get<AppDetail>("/api/core/app/detail", { appId }), [appId]);
  return (
    <section className="logs-page">
      <header className="page-header">
        <h1>{app ? `${app.name}: logs & analytics` : "Logs & analytics"}</h1>
        <nav className="actions" aria-label="App">
          <Link to={`/apps/${appId}`}>App settings</Link>
          <Link to={`/apps/${appId}/chat`}>Chat</Link>
        </nav>
      </header>
      <ErrorText error={error} />
      <div className="tabs" role="tablist" aria-label="Logs and analytics">
        {TABS.map((item) => (
          <button
            key={item.id}
            type="button"
            role="tab"
            id={`logs-tab-${item.id}`}
            aria-selected={tab === item.id}
            aria-controls={`logs-panel-${item.id}`}
            className={tab === item.id ? "tab active" : "tab"}
            onClick={() => setParams(item.id === "logs" ? {} : { tab: item.id }, { replace: true })}
          >
            {item.label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`logs-panel-${tab}`} aria-labelledby={`logs-tab-${tab}`}>
        {tab === "logs" ? <LogsTab appId={appId} /> : <AnalyticsTab appId={appId} />}
      </div>
    </section>
  );
}
