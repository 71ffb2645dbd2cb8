// Search-test scores shown the way FastGPT's quote card shows them: one primary score (rrf, else
// reRank, else embedding, else fullText) as "#rank | label value", the others as secondary badges.
// Full-text and RRF values are ranking artefacts, so the primary badge shows only their rank.
import type { ScoreItem } from "./types";

interface ScoreKind {
  label: string;
  description: string;
  /** Whether the raw value means something on its own (a similarity), so it gets a bar. */
  showScore: boolean;
}

export const SCORE_KINDS: Record<string, ScoreKind> = {
  embedding: {
    label: "Semantic search",
    description: "Vector similarity between the query and the chunk (inner product, 0–1).",
    showScore: true,
  },
  fullText: {
    label: "Full-text search",
    description: "Keyword match score of the full-text index; only the rank is comparable.",
    showScore: false,
  },
  reRank: {
    label: "Rerank",
    description: "Relevance given by the rerank model (0–1).",
    showScore: true,
  },
  rrf: {
    label: "RRF ranking",
    description: "Reciprocal-rank fusion of the recall lists; only the rank is comparable.",
    showScore: false,
  },
};

const PRIORITY = ["rrf", "reRank", "embedding", "fullText"];

export interface ShownScore {
  type: string;
  label: string;
  description: string;
  /** 1-based rank within this score type. */
  rank: number;
  value: number;
  /** The value with 4 decimals, as FastGPT prints it. */
  valueText: string;
  showScore: boolean;
  /** 0–100 for a progress bar, clamped. */
  percent: number;
}

function shown(item: ScoreItem): ShownScore {
  const kind = SCORE_KINDS[item.type] ?? { label: item.type, description: "", showScore: true };
  const value = Number.isFinite(item.value) ? item.value : 0;
  return {
    type: item.type,
    label: kind.label,
    description: kind.description,
    rank: (Number.isFinite(item.index) ? item.index : 0) + 1,
    value,
    valueText: value.toFixed(4),
    showScore: kind.showScore,
    percent: Math.max(0, Math.min(100, value * 100)),
  };
}

export interface FormattedScores {
  primary?: ShownScore;
  secondary: ShownScore[];
}

/** The primary score and the others in FastGPT's order (rrf → reRank → embedding → fullText, then unknown). */
export function formatScores(scores: ScoreItem[] | null | undefined): FormattedScores {
  if (!Array.isArray(scores) || scores.length === 0) return { secondary: [] };
  const byType = new Map<string, ScoreItem>();
  for (const item of scores) if (!byType.has(item.type)) byType.set(item.type, item);
  const known = PRIORITY.filter((type) => byType.has(type));
  const unknown = [...byType.keys()].filter((type) => !PRIORITY.includes(type));
  const ordered = [...known, ...unknown].map((type) => shown(byType.get(type) as ScoreItem));
  return { primary: ordered[0], secondary: ordered.slice(1) };
}

/** "#1 | Semantic search 0.8312" (value only where it means something), as the primary badge reads. */
export function primaryText(score: ShownScore): string {
  return `#${score.rank} | ${score.label}${score.showScore ? ` ${score.valueText}` : ""}`;
}

/** "#2 Full-text search: 3.1000", as a secondary badge reads. */
export function secondaryText(score: ShownScore): string {
  return `#${score.rank} ${score.label}: ${score.valueText}`;
}
