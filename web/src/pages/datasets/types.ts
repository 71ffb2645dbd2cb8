// Shapes of the dataset routes the knowledge-base screens read (FastGPT's wire names).

export interface ModelItem {
  model: string;
  name: string;
  type: "llm" | "embedding" | "rerank" | "tts" | "stt" | string;
  provider?: string;
  isDefault?: boolean;
}

export interface DatasetItem {
  _id: string;
  parentId?: string | null;
  type: string;
  name: string;
  intro?: string | null;
  avatar?: string | null;
  /** A model id in the list, a model object in the detail. */
  vectorModel?: string | { model: string; name?: string } | null;
  agentModel?: string | { model: string; name?: string } | null;
  updateTime?: string | null;
}

export interface CollectionItem {
  _id: string;
  datasetId: string;
  parentId?: string | null;
  type: string;
  name: string;
  trainingType?: string;
  chunkSize?: number;
  rawLink?: string | null;
  rawTextLength?: number | null;
  forbid?: boolean;
  updateTime?: string | null;
  dataAmount: number;
  trainingAmount: number;
  hasError: boolean;
}

export interface CollectionDetail extends Omit<CollectionItem, "datasetId" | "trainingAmount" | "hasError"> {
  datasetId: DatasetItem;
  sourceName?: string;
}

export interface TrainingQueue {
  rebuildingCount: number;
  trainingCount: number;
}

export interface TrainingErrorItem {
  _id: string;
  collectionId: string;
  mode: string;
  q: string;
  a?: string | null;
  chunkIndex: number;
  retryCount: number;
  errorMsg?: string | null;
}

export interface ChunkItem {
  _id: string;
  collectionId: string;
  q: string;
  a?: string | null;
  chunkIndex: number;
  updateTime?: string | null;
  rebuilding?: boolean;
}

export interface Page<T> {
  list: T[];
  total: number;
}

export type ScoreType = "embedding" | "fullText" | "reRank" | "rrf";

export interface ScoreItem {
  type: ScoreType | string;
  value: number;
  index: number;
}

export interface SearchQuote {
  id: string;
  datasetId: string;
  collectionId: string;
  sourceName?: string;
  sourceId?: string | null;
  q: string;
  a?: string | null;
  chunkIndex?: number;
  score: ScoreItem[];
}

export interface SearchTestResult {
  list: SearchQuote[];
  duration: string;
  searchMode: string;
  limit: number;
  similarity: number;
  usingReRank: boolean;
  usingSimilarityFilter?: boolean;
  queryExtensionModel?: string;
}

export interface CollectionCreated {
  collectionId: string;
  results: { insertLen: number };
}
