// Shapes of the public API that more than one screen reads (FastGPT field names).
export type AppType = "simple" | "advanced" | "workflow" | "plugin" | "workflowTool" | "folder" | string;

export interface AppListItem {
  _id: string;
  name: string;
  avatar?: string;
  intro?: string;
  type: AppType;
  updateTime?: string;
  parentId?: string | null;
}

export interface FlowNode {
  nodeId: string;
  name: string;
  flowNodeType: string;
  position?: { x: number; y: number };
  inputs: Array<Record<string, unknown> & { key: string }>;
  outputs: Array<Record<string, unknown> & { key: string }>;
  [field: string]: unknown;
}

export interface FlowEdge {
  source: string;
  target: string;
  sourceHandle?: string;
  targetHandle?: string;
  [field: string]: unknown;
}

export interface AppDetail extends AppListItem {
  modules: FlowNode[];
  edges: FlowEdge[];
  chatConfig?: Record<string, unknown>;
  version?: string;
  [field: string]: unknown;
}

export interface AppVersion {
  _id: string;
  versionName?: string;
  time?: string;
  isPublish?: boolean;
  tmbId?: string;
}

export interface ApiKeyItem {
  _id: string;
  name: string;
  apiKey: string;
  appId?: string | null;
  createTime?: string;
  lastUsedTime?: string | null;
  usagePoints?: number;
}

export interface ShareLinkItem {
  _id: string;
  shareId: string;
  name: string;
  appId: string;
  showCite?: boolean;
  showRunningStatus?: boolean;
  showFullText?: boolean;
  limit?: { QPM?: number | null; maxUsagePoints?: number | null; expiredTime?: string | null; hookUrl?: string };
  usagePoints?: number;
  lastTime?: string | null;
}

/** What FastGPT's "export" copies and "import" reads. */
export interface AppExport {
  nodes: FlowNode[];
  edges: FlowEdge[];
  chatConfig?: Record<string, unknown>;
}
