// The chunk settings form of the import panel → FastGPT's collection-create parameters.

export interface ChunkForm {
  trainingType: "chunk" | "qa";
  settingMode: "auto" | "custom";
  splitMode: "paragraph" | "size";
  /** As typed; used in custom mode. */
  chunkSize: string;
  /** Split texts shorter than the 1000-character trigger too (`chunkTriggerType: forceChunk`). */
  forceChunk: boolean;
}

export const DEFAULT_CHUNK_FORM: ChunkForm = {
  trainingType: "chunk",
  settingMode: "auto",
  splitMode: "paragraph",
  chunkSize: "1000",
  forceChunk: false,
};

/** The server's smallest chunk size. */
export const MIN_CHUNK_SIZE = 64;

/** Why the form cannot be sent, or null. */
export function chunkFormError(form: ChunkForm): string | null {
  if (form.settingMode !== "custom") return null;
  const size = Number(form.chunkSize.trim());
  if (!form.chunkSize.trim() || !Number.isInteger(size) || size < MIN_CHUNK_SIZE) {
    return `Chunk size must be a whole number of at least ${MIN_CHUNK_SIZE}`;
  }
  return null;
}

export function chunkParams(form: ChunkForm): Record<string, unknown> {
  const params: Record<string, unknown> = { trainingType: form.trainingType, chunkSettingMode: form.settingMode };
  if (form.settingMode === "custom") {
    params.chunkSplitMode = form.splitMode;
    params.chunkSize = Number(form.chunkSize.trim());
  }
  if (form.forceChunk) params.chunkTriggerType = "forceChunk";
  return params;
}
