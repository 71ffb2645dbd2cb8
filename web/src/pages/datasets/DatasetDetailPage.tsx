import { Link, useParams, useSearchParams } from "react-router";
import { api } from "../../api/client";
import { ErrorText } from "../../components/ErrorText";
import { useLoad } from "../../components/useLoad";
import { CollectionsTab } from "./CollectionsTab";
import { CollectionView } from "./CollectionView";
import { fetchModels, modelName } from "./models";
import { SearchTestTab } from "./SearchTestTab";
import { SettingsTab } from "./SettingsTab";
import type { DatasetItem } from "./types";
import "./datasets.css";

const TABS = [
  ["collections", "Collections"],
  ["search", "Search test"],
  ["settings", "Settings"],
] as const;
type Tab = (typeof TABS)[number][0];

/**
 * `/datasets/:datasetId`: tabs in `?tab=` (collections, search, settings); `?collection=<id>` opens a
 * collection's chunks and training errors (`&view=errors` opens the errors first).
 */
export function DatasetDetailPage() {
  const { datasetId = "" } = useParams();
  const [params, setParams] = useSearchParams();
  const { data: dataset, error, reload } = useLoad(() => api.get<DatasetItem>("/api/core/dataset/detail", { id: datasetId }), [datasetId]);
  const { data: models } = useLoad(fetchModels, []);
  const collectionId = params.get("collection");
  const tab: Tab = TABS.some(([key]) => key === params.get("tab")) ? (params.get("tab") as Tab) : "collections";

  if (error) return <ErrorText error={error} />;
  if (!dataset) return <p>Loading…</p>;
  return (
    <section className="ds">
      <header className="page-header">
        <div>
          <h1>{dataset.name}</h1>
          {dataset.intro ? <p className="muted">{dataset.intro}</p> : null}
        </div>
        <div className="ds-header-facts muted">
          <span>Vector model: {modelName(models, dataset.vectorModel)}</span>
          <span>Agent model: {modelName(models, dataset.agentModel)}</span>
          <Link to="/datasets">All knowledge bases</Link>
        </div>
      </header>
      <div className="tabs" role="tablist" aria-label="Knowledge base">
        {TABS.map(([key, label]) => (
          <button
            key={key}
            type="button"
            role="tab"
            aria-selected={tab === key && !collectionId}
            className={tab === key && !collectionId ? "tab active" : "tab"}
            onClick={() => setParams(key === "collections" ? {} : { tab: key })}
          >
            {label}
          </button>
        ))}
      </div>
      {collectionId ? (
        <CollectionView datasetId={datasetId} collectionId={collectionId} focusErrors={params.get("view") === "errors"} />
      ) : null}
      {!collectionId && tab === "collections" ? <CollectionsTab datasetId={datasetId} /> : null}
      {!collectionId && tab === "search" ? <SearchTestTab datasetId={datasetId} models={models} /> : null}
      {!collectionId && tab === "settings" ? <SettingsTab dataset={dataset} models={models} onSaved={reload} /> : null}
    </section>
  );
}
