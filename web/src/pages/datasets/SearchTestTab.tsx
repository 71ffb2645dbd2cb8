import { useState, type FormEvent } from "react";
import { Link } from "react-router";
import { api } from "../../api/client";
import { ErrorText } from "../../components/ErrorText";
import { modelsOfType } from "./models";
import { formatScores, primaryText, secondaryText } from "./scores";
import type { ModelItem, SearchQuote, SearchTestResult } from "./types";

const MODES: Array<[string, string]> = [
  ["embedding", "Semantic search"],
  ["fullTextRecall", "Full-text search"],
  ["mixedRecall", "Mixed search"],
];

/** `POST /api/core/dataset/searchTest`: try a query against the dataset and see each hit's scores. */
export function SearchTestTab({ datasetId, models }: { datasetId: string; models?: ModelItem[] }) {
  const rerankers = modelsOfType(models, "rerank");
  const [text, setText] = useState("");
  const [searchMode, setSearchMode] = useState("embedding");
  const [similarity, setSimilarity] = useState("0");
  const [limit, setLimit] = useState("5000");
  const [embeddingWeight, setEmbeddingWeight] = useState("0.5");
  const [usingReRank, setUsingReRank] = useState(false);
  const [rerankModel, setRerankModel] = useState("");
  const [result, setResult] = useState<SearchTestResult>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  async function run(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const body: Record<string, unknown> = {
        datasetId,
        text: text.trim(),
        searchMode,
        similarity: Number(similarity) || 0,
        limit: Number(limit) || 5000,
        usingReRank,
      };
      if (searchMode === "mixedRecall") body.embeddingWeight = Number(embeddingWeight);
      if (usingReRank && (rerankModel || rerankers[0])) body.rerankModel = rerankModel || rerankers[0].model;
      setResult(await api.post<SearchTestResult>("/api/core/dataset/searchTest", body));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="ds-search">
      <form className="card" onSubmit={run} aria-label="Search test">
        <label>
          Query
          <textarea value={text} onChange={(e) => setText(e.target.value)} rows={3} required maxLength={5000} />
        </label>
        <div className="ds-grid">
          <label>
            Search mode
            <select value={searchMode} onChange={(e) => setSearchMode(e.target.value)}>
              {MODES.map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </select>
          </label>
          <label>
            Minimum similarity
            <input type="number" min={0} max={1} step={0.01} value={similarity} onChange={(e) => setSimilarity(e.target.value)} />
          </label>
          <label>
            Token limit
            <input type="number" min={1} max={20000} step={1} value={limit} onChange={(e) => setLimit(e.target.value)} />
          </label>
          {searchMode === "mixedRecall" ? (
            <label>
              Semantic weight
              <input
                type="number"
                min={0}
                max={1}
                step={0.1}
                value={embeddingWeight}
                onChange={(e) => setEmbeddingWeight(e.target.value)}
              />
            </label>
          ) : null}
        </div>
        <div className="actions">
          <label className="inline">
            <input
              type="checkbox"
              checked={usingReRank}
              onChange={(e) => setUsingReRank(e.target.checked)}
              disabled={rerankers.length === 0}
            />
            Rerank results
          </label>
          {usingReRank && rerankers.length > 0 ? (
            <label className="inline">
              Rerank model{" "}
              <select value={rerankModel} onChange={(e) => setRerankModel(e.target.value)}>
                {rerankers.map((model) => (
                  <option key={model.model} value={model.model}>
                    {model.name}
                  </option>
                ))}
              </select>
            </label>
          ) : null}
          {rerankers.length === 0 ? <span className="muted">No rerank model is configured.</span> : null}
          <button type="submit" disabled={busy || !text.trim()}>
            {busy ? "Searching…" : "Search"}
          </button>
        </div>
      </form>
      <ErrorText error={error} />
      {result ? <SearchResults datasetId={datasetId} result={result} /> : null}
    </div>
  );
}

function SearchResults({ datasetId, result }: { datasetId: string; result: SearchTestResult }) {
  const mode = MODES.find(([value]) => value === result.searchMode)?.[1] ?? result.searchMode;
  return (
    <section aria-label="Search results">
      <p className="muted" role="status">
        {result.list.length} result{result.list.length === 1 ? "" : "s"} · {result.duration} · {mode}
        {result.usingReRank ? " · reranked" : ""}
        {result.usingSimilarityFilter ? ` · similarity ≥ ${result.similarity}` : ""}
        {result.queryExtensionModel ? ` · query extended by ${result.queryExtensionModel}` : ""}
      </p>
      {result.list.length === 0 ? <p>No chunk matched.</p> : null}
      <ol className="ds-results">
        {result.list.map((quote) => (
          <ResultCard key={quote.id} datasetId={datasetId} quote={quote} />
        ))}
      </ol>
    </section>
  );
}

function ResultCard({ datasetId, quote }: { datasetId: string; quote: SearchQuote }) {
  const { primary, secondary } = formatScores(quote.score);
  return (
    <li className="card ds-result" aria-label={`Result from ${quote.sourceName ?? "a chunk"}`}>
      <div className="ds-scores">
        {primary ? (
          <span className="ds-score-primary" title={primary.description} data-testid="primary-score">
            {primaryText(primary)}
          </span>
        ) : null}
        {secondary.map((score) => (
          <span key={score.type} className="ds-score" title={score.description}>
            {secondaryText(score)}
            {score.showScore ? <progress max={100} value={score.percent} aria-label={`${score.label} score`} /> : null}
          </span>
        ))}
      </div>
      <p className="ds-chunk-text">{quote.q}</p>
      {quote.a ? <p className="ds-chunk-text ds-chunk-a">{quote.a}</p> : null}
      <p className="muted">
        {quote.q.length + (quote.a?.length ?? 0)} characters ·{" "}
        <Link to={`/datasets/${datasetId}?collection=${quote.collectionId}`}>{quote.sourceName || "source"}</Link>
        {quote.chunkIndex !== undefined ? ` · chunk #${quote.chunkIndex}` : ""}
      </p>
    </li>
  );
}
