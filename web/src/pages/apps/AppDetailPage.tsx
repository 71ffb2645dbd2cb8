import { useState } from "react";
import { Link, useParams } from "react-router";
import { api } from "../../api/client";
import type { AppDetail } from "../../api/types";
import { ErrorText } from "../../components/ErrorText";
import { useLoad } from "../../components/useLoad";
import { downloadJson, exportOf } from "./appExport";
import { KeysTab } from "./KeysTab";
import { ShareLinksTab } from "./ShareLinksTab";
import { VersionsTab } from "./VersionsTab";

const TABS = ["Overview", "Versions", "API keys", "Share links"] as const;
type Tab = (typeof TABS)[number];

export function AppDetailPage() {
  const { appId = "" } = useParams();
  const { data: app, error, reload } = useLoad(() => api.get<AppDetail>("/api/core/app/detail", { appId }), [appId]);
  const [tab, setTab] = useState<Tab>("Overview");
  if (error) return <ErrorText error={error} />;
  if (!app) return <p>Loading…</p>;
  return (
    <section>
      <header className="page-header">
        <h1>{app.name}</h1>
        <nav className="actions" aria-label="App">
          <Link to={`/apps/${appId}/workflow`}>Workflow editor</Link>
          <Link to={`/apps/${appId}/chat`}>Chat</Link>
          <Link to={`/apps/${appId}/logs`}>Logs &amp; analytics</Link>
        </nav>
      </header>
      <div className="tabs" role="tablist">
        {TABS.map((name) => (
          <button
            key={name}
            type="button"
            role="tab"
            aria-selected={tab === name}
            className={tab === name ? "tab active" : "tab"}
            onClick={() => setTab(name)}
          >
            {name}
          </button>
        ))}
      </div>
      {tab === "Overview" ? <Overview app={app} onSaved={reload} /> : null}
      {tab === "Versions" ? <VersionsTab app={app} onChanged={reload} /> : null}
      {tab === "API keys" ? <KeysTab appId={appId} /> : null}
      {tab === "Share links" ? <ShareLinksTab appId={appId} /> : null}
    </section>
  );
}

function Overview({ app, onSaved }: { app: AppDetail; onSaved: () => Promise<void> }) {
  const [name, setName] = useState(app.name);
  const [intro, setIntro] = useState(app.intro ?? "");
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  async function save() {
    setError(null);
    try {
      await api.put("/api/core/app/update", { name, intro }, { query: { appId: app._id } });
      setSaved(true);
      await onSaved();
    } catch (err) {
      setError(err);
    }
  }
  return (
    <div className="card">
      <label>
        Name
        <input aria-label="Name" value={name} onChange={(e) => setName(e.target.value)} />
      </label>
      <label>
        Introduction
        <textarea aria-label="Introduction" value={intro} onChange={(e) => setIntro(e.target.value)} rows={3} />
      </label>
      <div className="actions">
        <button type="button" onClick={() => void save()}>
          Save
        </button>
        <button type="button" className="secondary" onClick={() => downloadJson(`${app.name}.json`, exportOf(app))}>
          Export FastGPT JSON
        </button>
        {saved ? <span className="muted">Saved</span> : null}
      </div>
      <dl className="facts">
        <dt>App id</dt>
        <dd>
          <code>{app._id}</code>
        </dd>
        <dt>Type</dt>
        <dd>{app.type}</dd>
        <dt>Nodes</dt>
        <dd>{app.modules?.length ?? 0}</dd>
      </dl>
      <ErrorText error={error} />
    </div>
  );
}
