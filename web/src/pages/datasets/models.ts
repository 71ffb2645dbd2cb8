// The deployment's models, by kind, for the dataset forms.
import { api, listOf } from "../../api/client";
import type { ModelItem } from "./types";

export async function fetchModels(): Promise<ModelItem[]> {
  return listOf(await api.get<ModelItem[] | { list: ModelItem[] }>("/api/core/ai/model/list"));
}

/** Models of one kind, the default one first. */
export function modelsOfType(models: ModelItem[] | undefined, type: string): ModelItem[] {
  const matching = (models ?? []).filter((model) => model.type === type);
  return [...matching.filter((model) => model.isDefault), ...matching.filter((model) => !model.isDefault)];
}

/** A dataset's model field (an id in lists, an object in the detail) → its id. */
export function modelId(value: string | { model: string; name?: string } | null | undefined): string {
  if (!value) return "";
  return typeof value === "string" ? value : value.model;
}

export function modelName(models: ModelItem[] | undefined, value: string | { model: string; name?: string } | null | undefined): string {
  const id = modelId(value);
  const known = (models ?? []).find((model) => model.model === id);
  if (known) return known.name;
  return typeof value === "object" && value?.name ? value.name : id;
}
